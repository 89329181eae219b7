/* Where Kelp lives below 1 MiB and in RAM. Shared by C (all modes), assembler
 * and the linker scripts (through the C preprocessor), so every number that
 * places something is written exactly once. See docs/architecture.md. */
#ifndef KELP_LAYOUT_H
#define KELP_LAYOUT_H

/* The 128 KiB image occupies E0000-FFFFF. Its first 64 KiB carry the 32-bit
 * POST blob, its last 64 KiB are the F-segment. */
#define IMAGE_BASE      0xE0000
#define IMAGE_SIZE      0x20000
#define POST_IMAGE      0xE0000         /* POST blob as found in the image */
#define POST_IMAGE_MAX  0x10000

/* The POST blob starts with: a jump, its length at offset 4, this magic at 8. */
#define POST_MAGIC      0x504C454B      /* "KELP" */
#define BIOS_DATE       "11/25/26"

/* POST runs 32-bit flat from a copy in RAM at 1 MiB, so that the whole of
 * C0000-EFFFF is free for option ROMs while POST dispatches them. */
#define POST_BASE       0x100000
#define POST_STACK_TOP  0x1F0000        /* grows down below 1 MiB + 1984 KiB */

/* The 16-bit runtime: one segment (RTSEG) holds, from offset 0,
 *   0x0000-0x1FFF  the RW zone: runtime variables and the runtime stack,
 *                  physically EE000-EFFFF (kept writable after POST),
 *   0x2000-0xFFFF  runtime code and constants, physically F0000-FDFFF.
 * With CS = DS = SS = RTSEG, C compiled with -m16 needs no segment tricks.
 * F000:E000-F000:FFFF holds the fixed IBM entry points (assembler only). */
#define RTSEG           0xEE00
#define RT_ZONE         0xEE000
#define RT_ZONE_SIZE    0x2000
#define RT_DATA_OFF     0x0100          /* struct rtdata lives here */
#define RT_STACK_TOP    0x2000
#define RT_CODE_OFF     0x2000          /* = F000:0000 */
#define FIXED_OFF       0xE000          /* F000:E000, start of fixed area */

/* Real-mode stack used when POST calls 16-bit code (option ROMs, INT 19h). */
#define CALL16_STACK_SEG 0x0000
#define CALL16_STACK_TOP 0x7000

/* Mailbox for POST -> real-mode calls, at RTSEG:RT_C16_BOX (see call16). */
#define RT_C16_BOX      0x0040
#define C16_EDI   0x00
#define C16_ESI   0x04
#define C16_EBP   0x08
#define C16_EBX   0x0C
#define C16_EDX   0x10
#define C16_ECX   0x14
#define C16_EAX   0x18
#define C16_DS    0x1C
#define C16_ES    0x1E
#define C16_FS    0x20
#define C16_GS    0x22
#define C16_FLAGS 0x24
#define C16_OFF   0x26          /* far target offset */
#define C16_SEG   0x28          /* far target segment */
#define C16_MODE  0x2A          /* 0 far call, 1 interrupt-style call */
#define C16_ESP32 0x2C          /* POST's stack pointer while away */
#define C16_WATCHDOG 0x30       /* timer ticks left before the call is abandoned (0: none) */
#define C16_ABORTED 0x32        /* set when the watchdog abandoned the call */
#define C16_SIZE  0x34

/* Default EBDA: 1 KiB just below 640 KiB. */
#define EBDA_SIZE_KB    1
#define EBDA_SEG_DEFAULT (0xA000 - EBDA_SIZE_KB * 64)

/* GDT selectors (same table used in both directions). */
#define SEL_CODE32      0x08
#define SEL_DATA32      0x10
#define SEL_CODE16      0x18            /* base F0000, limit 64 KiB */
#define SEL_DATA16      0x20            /* base 0, limit 64 KiB */
#define SEL_DATA16_BIG  0x28            /* base 0, limit 4 GiB: "big real" mode */

#endif
