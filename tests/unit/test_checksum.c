/* Unit tests for src/lib/checksum.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/checksum.h"

static void empty_region_sums_to_zero(void **state)
{
    (void)state;
    assert_int_equal(checksum8("x", 0), 0);
    assert_int_equal(checksum_fix("x", 0), 0);
}

static void sum_wraps_modulo_256(void **state)
{
    static const u8 b[] = { 0xFF, 0x02, 0x80, 0x80 };

    (void)state;
    assert_int_equal(checksum8(b, 1), 0xFF);
    assert_int_equal(checksum8(b, 2), 0x01);
    assert_int_equal(checksum8(b, 4), 0x01);
}

static void fix_stored_in_zero_byte_makes_region_sum_to_zero(void **state)
{
    /* An RSDP-like block whose checksum byte (offset 8) is still 0. */
    u8 t[20] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0, 'K', 'E', 'L', 'P' };

    (void)state;
    t[8] = checksum_fix(t, sizeof(t));
    assert_int_equal(checksum8(t, sizeof(t)), 0);
}

static void fix_of_region_already_summing_to_zero_is_zero(void **state)
{
    static const u8 b[] = { 0x10, 0xF0, 0x00 };

    (void)state;
    assert_int_equal(checksum_fix(b, sizeof(b)), 0);
}

static void fix_is_256_minus_sum(void **state)
{
    static const u8 b[] = { 0x01, 0x02, 0x00 };

    (void)state;
    assert_int_equal(checksum_fix(b, sizeof(b)), 0xFD);
}

static void region_longer_than_64k_and_unaligned_is_summed_whole(void **state)
{
    u32 len = 70001, i;
    u8 *buf = malloc(len + 1);
    u8 *p = buf + 1;                /* deliberately odd address */
    unsigned int expect = 0;

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < len; i++) {
        p[i] = (u8)(i * 7 + 3);
        expect += p[i];
    }
    assert_int_equal(checksum8(p, len), expect & 0xFF);
    p[len - 1] = 0;
    p[len - 1] = checksum_fix(p, len);
    assert_int_equal(checksum8(p, len), 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_region_sums_to_zero),
        cmocka_unit_test(sum_wraps_modulo_256),
        cmocka_unit_test(fix_stored_in_zero_byte_makes_region_sum_to_zero),
        cmocka_unit_test(fix_of_region_already_summing_to_zero_is_zero),
        cmocka_unit_test(fix_is_256_minus_sum),
        cmocka_unit_test(region_longer_than_64k_and_unaligned_is_summed_whole),
    };
    return cmocka_run_group_tests_name("checksum", tests, NULL, NULL);
}
