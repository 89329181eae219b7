/* Fuzz target: the serial terminal's key decoder (src/lib/keys.c).
 *
 * Input: a stream of bytes typed on the terminal; byte FFh followed by n
 * stands for n % 4 timer ticks instead (FFh FFh is the byte FFh typed).
 *
 * Checked: every call gives 0..TERM_KEYS_MAX key words, none of them 0;
 * the state never holds more than its buffer; after the fuzzed stream and
 * two ticks the decoder is idle, and then "ESC [ A" gives exactly Up and
 * "ESC [ 2 4 ~" F12, whatever came before. */
#include "fuzz_input.h"
#include "lib/keys.h"

static void check(int n, const u16 *keys, const struct term_keys *t)
{
    FUZZ_ASSERT(n >= 0 && n <= TERM_KEYS_MAX);
    for (int i = 0; i < n; i++)
        FUZZ_ASSERT(keys[i] != 0);
    FUZZ_ASSERT(t->len <= sizeof(t->buf));
}

static void expect_one(struct term_keys *t, const char *seq, u16 want)
{
    u16 keys[TERM_KEYS_MAX];
    int total = 0;
    for (const char *c = seq; *c; c++) {
        int n = term_keys_byte(t, (u8)*c, keys);
        check(n, keys, t);
        for (int i = 0; i < n; i++)
            FUZZ_ASSERT(keys[i] == want);
        total += n;
    }
    FUZZ_ASSERT(total == 1 && t->len == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct term_keys t;
    u16 keys[TERM_KEYS_MAX];
    memset(&t, 0, sizeof(t));
    while (f.n) {
        u8 c = fin_u8(&f);
        if (c == 0xFF && f.n && f.p[0] != 0xFF) {
            for (int i = fin_u8(&f) % 4; i; i--)
                check(term_keys_tick(&t, keys), keys, &t);
            continue;
        }
        if (c == 0xFF)
            fin_u8(&f);
        check(term_keys_byte(&t, c, keys), keys, &t);
    }
    check(term_keys_tick(&t, keys), keys, &t);
    check(term_keys_tick(&t, keys), keys, &t);
    FUZZ_ASSERT(t.len == 0);
    expect_one(&t, "\x1b[A", 0x48E0);
    expect_one(&t, "\x1b[24~", 0x8600);
    return 0;
}
