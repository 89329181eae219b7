/* US key words and the serial terminal's key sequences (see lib/keys.h).
 * No library calls: the module links alone in every build. */
#include "keys.h"

#define ESC 0x1B

const char keys_us_ascii[2][0x3A] = {
    "\0\x1b" "1234567890-=\b\t" "qwertyuiop[]\r\0" "asdfghjkl;'`\0\\" "zxcvbnm,./\0*\0 ",
    "\0\x1b" "!@#$%^&*()_+\b\0" "QWERTYUIOP{}\r\0" "ASDFGHJKL:\"~\0|" "ZXCVBNM<>?\0*\0 ",
};

u16 key_for_ascii(u8 c)
{
    if (!c)
        return 0;
    if (c == 0x7F)
        c = '\b';               /* what terminals send for Backspace */
    for (int shift = 0; shift < 2; shift++)
        for (u8 sc = 1; sc < sizeof(keys_us_ascii[0]); sc++)
            if ((u8)keys_us_ascii[shift][sc] == c)
                return ((u16)sc << 8) | c;
    if (c <= 26)                /* Ctrl+letter */
        return (key_for_ascii('a' + c - 1) & 0xFF00) | c;
    return c;
}

/* Scan codes of the keys whose sequences end in a letter, and of those
 * that end in "~", by their number. */
static const char seq_letters[] = "ABCDHFPQRS";
static const u8 seq_letter_scan[] = { 0x48, 0x50, 0x4D, 0x4B, 0x47, 0x4F, 0x3B, 0x3C, 0x3D, 0x3E };
static const u8 seq_tilde_scan[25] = {
    [1] = 0x47, [2] = 0x52, [3] = 0x53, [4] = 0x4F, [5] = 0x49, [6] = 0x51, [7] = 0x47, [8] = 0x4F,
    [11] = 0x3B, [12] = 0x3C, [13] = 0x3D, [14] = 0x3E, [15] = 0x3F,
    [17] = 0x40, [18] = 0x41, [19] = 0x42, [20] = 0x43, [21] = 0x44, [23] = 0x85, [24] = 0x86,
};

/* The key word of a complete sequence (s[0] = ESC, s[1] = '[' or 'O'). */
static u16 seq_key(const u8 *s, u8 n)
{
    u8 fin = s[n - 1], sc = 0;
    if (fin == '~') {
        u8 num = 0;
        for (u8 i = 2; i < n && s[i] >= '0' && s[i] <= '9' && num < 25; i++)
            num = num * 10 + s[i] - '0';
        sc = num < 25 ? seq_tilde_scan[num] : 0;
    } else {
        for (u8 i = 0; seq_letters[i]; i++)
            if ((u8)seq_letters[i] == fin)
                sc = seq_letter_scan[i];
    }
    if (!sc)
        return 0;
    /* The grey editing keys carry E0h, as from the keyboard. */
    return ((u16)sc << 8) | (sc >= 0x47 && sc <= 0x53 ? 0xE0 : 0);
}

static int put(u16 *keys, int n, u16 k)
{
    if (k)
        keys[n++] = k;
    return n;
}

/* An ESC that began no sequence: the ESC key, then what came after it. */
static int flush(struct term_keys *t, u16 *keys)
{
    int n = put(keys, 0, 0x011B);
    for (u8 i = 1; i < t->len; i++)
        n = put(keys, n, key_for_ascii(t->buf[i]));
    t->len = 0;
    return n;
}

/* t->len == sizeof(t->buf): the rest of a sequence too long for any key
 * is being skipped, up to its final byte. */
#define SKIPPING(t) ((t)->len == sizeof((t)->buf))

int term_keys_byte(struct term_keys *t, u8 c, u16 *keys)
{
    int n = 0;
    if (t->len > sizeof(t->buf))
        t->len = 0;
    if (SKIPPING(t)) {
        t->age = 0;
        if (c >= 0x40 && c <= 0x7E)
            t->len = 0;
        return 0;
    }
    if (t->len == 1 && c != '[' && c != 'O')
        n = flush(t, keys);
    if (!t->len) {
        if (c == ESC) {
            t->buf[0] = c;
            t->len = 1;
            t->age = 0;
            return n;
        }
        /* Enter comes as CR, CR LF or LF. */
        bool lf_after_cr = c == '\n' && t->cr;
        t->cr = c == '\r';
        return lf_after_cr ? n : put(keys, n, key_for_ascii(c == '\n' ? '\r' : c));
    }
    t->buf[t->len++] = c;
    t->age = 0;
    if (t->len == 2)
        return n;
    if (t->buf[1] == 'O' || (c >= 0x40 && c <= 0x7E)) {
        u8 len = t->len;
        t->len = 0;
        return put(keys, n, seq_key(t->buf, len));
    }
    return n;                   /* buf full: SKIPPING from now on */
}

int term_keys_tick(struct term_keys *t, u16 *keys)
{
    if (t->len > sizeof(t->buf))
        t->len = 0;
    if (!t->len || ++t->age < 2)
        return 0;
    if (SKIPPING(t)) {
        t->len = 0;
        return 0;
    }
    return flush(t, keys);
}
