/* Unit tests for src/fw/fwcfg_int.c: numbers in fw_cfg files, binary as
 * QEMU writes them or text as users give them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/fwcfg_int.h"

static u64 parse(const void *buf, u32 len)
{
    u64 v = 0xDEADBEEF;
    assert_true(fwcfg_parse_int(buf, len, &v));
    return v;
}

static void fails(const void *buf, u32 len)
{
    u64 v = 0xDEADBEEF;
    assert_false(fwcfg_parse_int(buf, len, &v));
    assert_true(v == 0xDEADBEEF);
}

static void qemu_binary_values_are_little_endian(void **state)
{
    (void)state;
    const u8 menu_wait[2] = { 0xB8, 0x0B };             /* splash-time=3000 */
    assert_true(parse(menu_wait, 2) == 3000);
    const u8 fail_wait[4] = { 0xFF, 0xFF, 0xFF, 0xFF };  /* reboot-timeout=-1 */
    assert_true(parse(fail_wait, 4) == 0xFFFFFFFFu);
    const u8 port[2] = { 0xF8, 0x02 };
    assert_true(parse(port, 2) == 0x2F8);
    const u8 one[1] = { 0x01 };
    assert_true(parse(one, 1) == 1);
    const u8 big[8] = { 1, 2, 3, 4, 5, 6, 7, 0x80 };
    assert_true(parse(big, 8) == 0x8007060504030201ull);
}

static void text_values_as_users_write_them(void **state)
{
    (void)state;
    assert_true(parse("1016", 4) == 1016);
    assert_true(parse("0x3f8", 5) == 0x3F8);
    assert_true(parse("0X2F8\n", 6) == 0x2F8);
    assert_true(parse("2500\0", 5) == 2500);
    assert_true(parse("0", 1) == 0);
    assert_true(parse("-1", 2) == (u64)-1);
    assert_true(parse("9999999999999999999", 19) == 9999999999999999999ull);
    assert_true(parse("0xffffffffffffffff", 18) == ~0ull);
}

static void neither_text_nor_binary_size_fails(void **state)
{
    (void)state;
    fails("", 0);
    fails("12a", 3);            /* not decimal, and 3 bytes is no binary size */
    fails("0x", 2 + 1);         /* "0x" and a NUL: 3 bytes */
    fails("-\0\0", 3);
    fails("99999999999999999999", 20);      /* would overflow */
    fails("0x1ffffffffffffffff", 19);
    const u8 odd[3] = { 0xF8, 0x03, 0x00 };
    fails(odd, 3);
}

static void bytes_that_are_no_text_are_binary(void **state)
{
    (void)state;
    /* "12a\n" is four bytes that do not parse as a number: binary. */
    assert_true(parse("12a\n", 4) == 0x0A613231);
    const u8 crlf[2] = { '\r', '\n' };
    assert_true(parse(crlf, 2) == 0x0A0D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qemu_binary_values_are_little_endian),
        cmocka_unit_test(text_values_as_users_write_them),
        cmocka_unit_test(neither_text_nor_binary_size_fails),
        cmocka_unit_test(bytes_that_are_no_text_are_binary),
    };
    return cmocka_run_group_tests_name("fwcfg_int", tests, NULL, NULL);
}
