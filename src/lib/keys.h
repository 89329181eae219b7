/* PC key words (scan code << 8 | ASCII) of the US layout, and the decoder
 * of what a serial terminal sends for keys: ASCII, and the ANSI/VT100
 * escape sequences of the cursor and function keys ("ESC [ A",
 * "ESC O P", "ESC [ 2 4 ~", modifiers ignored). Pure functions of the
 * bytes given: the keyboard handler and the serial console use them, the
 * host tests and fuzzers call them directly. */
#ifndef KELP_KEYS_H
#define KELP_KEYS_H
#include "types.h"

/* ASCII of scan codes 00h-39h (set 1), unshifted and shifted (0: none). */
extern const char keys_us_ascii[2][0x3A];

/* The key word typing c gives on a US keyboard (Ctrl+letter for 01h-1Ah,
 * Backspace for DEL); 0 for NUL. */
u16 key_for_ascii(u8 c);

/* Decoder state; all zero is idle. */
struct term_keys {
    u8 len;                     /* bytes of an escape sequence held */
    u8 age;                     /* timer ticks since its last byte */
    u8 cr;                      /* the last byte was CR (an LF after it is no key) */
    u8 buf[8];
} PACKED;
#define TERM_KEYS_MAX 8         /* most key words one call gives */

/* One byte from the terminal: the key words it completes go to keys[]
 * (room for TERM_KEYS_MAX); returns how many. An escape sequence Kelp
 * does not know gives none; one longer than buf is skipped up to its
 * final byte (40h-7Eh). */
int term_keys_byte(struct term_keys *t, u8 c, u16 *keys);
/* A timer tick: a sequence nothing has followed for two ticks was the ESC
 * key, and the keys typed after it. */
int term_keys_tick(struct term_keys *t, u16 *keys);
#endif
