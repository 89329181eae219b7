/* Unit tests for src/lib/keys.c: US key words of ASCII characters, and
 * the keys a serial terminal's bytes (escape sequences included) give. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/keys.h"

/* Feed the bytes; the key words that came out (at most 32). */
static int feed(struct term_keys *t, const char *bytes, size_t len, u16 *out)
{
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        u16 k[TERM_KEYS_MAX];
        int got = term_keys_byte(t, (u8)bytes[i], k);
        assert_true(got >= 0 && got <= TERM_KEYS_MAX);
        for (int j = 0; j < got && n < 32; j++)
            out[n++] = k[j];
    }
    return n;
}

/* A string literal's bytes (which may hold NUL). */
#define FEED(t, lit, out) feed(t, lit, sizeof(lit) - 1, out)

static u16 one_key(const char *bytes)
{
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32];
    int n = feed(&t, bytes, strlen(bytes), out);
    assert_int_equal(n, 1);
    assert_int_equal(t.len, 0);
    return out[0];
}

static void ascii_gives_the_us_key_word(void **state)
{
    (void)state;
    assert_int_equal(key_for_ascii('a'), 0x1E61);
    assert_int_equal(key_for_ascii('A'), 0x1E41);
    assert_int_equal(key_for_ascii('1'), 0x0231);
    assert_int_equal(key_for_ascii('!'), 0x0221);
    assert_int_equal(key_for_ascii(' '), 0x3920);
    assert_int_equal(key_for_ascii('\r'), 0x1C0D);
    assert_int_equal(key_for_ascii('\t'), 0x0F09);
    assert_int_equal(key_for_ascii(0x1B), 0x011B);
    assert_int_equal(key_for_ascii('~'), 0x297E);
    assert_int_equal(key_for_ascii('|'), 0x2B7C);
}

static void control_characters(void **state)
{
    (void)state;
    assert_int_equal(key_for_ascii(0x03), 0x2E03);      /* Ctrl-C */
    assert_int_equal(key_for_ascii(0x1A), 0x2C1A);      /* Ctrl-Z */
    assert_int_equal(key_for_ascii(0x08), 0x0E08);      /* Backspace, not Ctrl-H */
    assert_int_equal(key_for_ascii(0x7F), 0x0E08);      /* DEL: Backspace */
    assert_int_equal(key_for_ascii(0), 0);
    assert_int_equal(key_for_ascii(0xE9), 0x00E9);      /* no key: ASCII only */
}

static void cursor_and_function_key_sequences(void **state)
{
    (void)state;
    assert_int_equal(one_key("\x1b[A"), 0x48E0);
    assert_int_equal(one_key("\x1b[B"), 0x50E0);
    assert_int_equal(one_key("\x1b[C"), 0x4DE0);
    assert_int_equal(one_key("\x1b[D"), 0x4BE0);
    assert_int_equal(one_key("\x1bOA"), 0x48E0);        /* application cursor mode */
    assert_int_equal(one_key("\x1b[H"), 0x47E0);
    assert_int_equal(one_key("\x1b[F"), 0x4FE0);
    assert_int_equal(one_key("\x1b[1~"), 0x47E0);
    assert_int_equal(one_key("\x1b[2~"), 0x52E0);
    assert_int_equal(one_key("\x1b[3~"), 0x53E0);
    assert_int_equal(one_key("\x1b[4~"), 0x4FE0);
    assert_int_equal(one_key("\x1b[5~"), 0x49E0);
    assert_int_equal(one_key("\x1b[6~"), 0x51E0);
    assert_int_equal(one_key("\x1bOP"), 0x3B00);
    assert_int_equal(one_key("\x1bOS"), 0x3E00);
    assert_int_equal(one_key("\x1b[11~"), 0x3B00);
    assert_int_equal(one_key("\x1b[15~"), 0x3F00);
    assert_int_equal(one_key("\x1b[21~"), 0x4400);
    assert_int_equal(one_key("\x1b[23~"), 0x8500);
    assert_int_equal(one_key("\x1b[24~"), 0x8600);
    /* Modifiers are ignored: Ctrl+Up, Shift+F12. */
    assert_int_equal(one_key("\x1b[1;5A"), 0x48E0);
    assert_int_equal(one_key("\x1b[24;2~"), 0x8600);
}

static void unknown_sequences_give_no_key(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32];
    assert_int_equal(FEED(&t, "\x1b[99~", out), 0);
    assert_int_equal(FEED(&t, "\x1b[16~", out), 0);
    assert_int_equal(FEED(&t, "\x1b[Z", out), 0);
    assert_int_equal(FEED(&t, "\x1bOx", out), 0);
    assert_int_equal(t.len, 0);
    /* A sequence too long for any key (a mouse report) is skipped to its
     * end; typing goes on after it. */
    assert_int_equal(FEED(&t, "\x1b[<0;123;45", out), 0);
    assert_int_equal(FEED(&t, "M", out), 0);
    assert_int_equal(FEED(&t, "x", out), 1);
    assert_int_equal(out[0], 0x2D78);
    /* Or ends after two quiet ticks, without keys. */
    u16 k[TERM_KEYS_MAX];
    assert_int_equal(FEED(&t, "\x1b[1;2;3;4;5", out), 0);
    assert_int_equal(term_keys_tick(&t, k), 0);
    assert_int_equal(term_keys_tick(&t, k), 0);
    assert_int_equal(FEED(&t, "5", out), 1);
    assert_int_equal(out[0], 0x0635);
}

static void lone_escape_after_two_ticks(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32], k[TERM_KEYS_MAX];
    assert_int_equal(FEED(&t, "\x1b", out), 0);
    assert_int_equal(term_keys_tick(&t, k), 0);
    assert_int_equal(term_keys_tick(&t, k), 1);
    assert_int_equal(k[0], 0x011B);
    assert_int_equal(term_keys_tick(&t, k), 0);
    /* A byte of the sequence restarts the wait. */
    assert_int_equal(FEED(&t, "\x1b", out), 0);
    assert_int_equal(term_keys_tick(&t, k), 0);
    assert_int_equal(FEED(&t, "[", out), 0);
    assert_int_equal(term_keys_tick(&t, k), 0);
    assert_int_equal(FEED(&t, "A", out), 1);
    assert_int_equal(out[0], 0x48E0);
}

static void unfinished_sequence_becomes_escape_and_keys(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32], k[TERM_KEYS_MAX];
    FEED(&t, "\x1b[1", out);
    term_keys_tick(&t, k);
    assert_int_equal(term_keys_tick(&t, k), 3);
    assert_int_equal(k[0], 0x011B);
    assert_int_equal(k[1], 0x1A5B);
    assert_int_equal(k[2], 0x0231);
}

static void escape_then_other_key(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32];
    /* ESC x: ESC, then x; ESC ESC [ A: ESC, then Up. */
    assert_int_equal(FEED(&t, "\x1bx", out), 2);
    assert_int_equal(out[0], 0x011B);
    assert_int_equal(out[1], 0x2D78);
    assert_int_equal(FEED(&t, "\x1b\x1b[A", out), 2);
    assert_int_equal(out[0], 0x011B);
    assert_int_equal(out[1], 0x48E0);
}

static void enter_as_cr_crlf_or_lf(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32];
    assert_int_equal(FEED(&t, "\r\n", out), 1);
    assert_int_equal(out[0], 0x1C0D);
    assert_int_equal(FEED(&t, "\n", out), 1);
    assert_int_equal(out[0], 0x1C0D);
    assert_int_equal(FEED(&t, "\r\r\n", out), 2);
    assert_int_equal(FEED(&t, "a\n\n", out), 3);
    assert_int_equal(out[2], 0x1C0D);
}

static void nul_gives_nothing(void **state)
{
    (void)state;
    struct term_keys t;
    memset(&t, 0, sizeof(t));
    u16 out[32];
    /* Telnet sends CR NUL for Enter. */
    assert_int_equal(FEED(&t, "\r\0", out), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_gives_the_us_key_word),
        cmocka_unit_test(control_characters),
        cmocka_unit_test(cursor_and_function_key_sequences),
        cmocka_unit_test(unknown_sequences_give_no_key),
        cmocka_unit_test(lone_escape_after_two_ticks),
        cmocka_unit_test(unfinished_sequence_becomes_escape_and_keys),
        cmocka_unit_test(escape_then_other_key),
        cmocka_unit_test(enter_as_cr_crlf_or_lf),
        cmocka_unit_test(nul_gives_nothing),
    };
    return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
