/* Unit tests for src/lib/div64.h, checked against host 64-bit division. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/div64.h"

static void check(u64 n, u32 d)
{
    u64 q = n;
    u32 r = div64_32(&q, d);

    assert_int_equal(q, n / d);
    assert_int_equal(r, n % d);
}

static void small_divisor_uses_both_halves(void **state)
{
    (void)state;
    check(0, 1);
    check(1, 1);
    check(1000, 512);
    check(0xFFFFFFFFFFFFFFFFULL, 1);
    check(0xFFFFFFFFFFFFFFFFULL, 2);
    check(0xFFFFFFFFFFFFFFFFULL, 0xFFFF);
    check(0x123456789ABCDEF0ULL, 63);
    check(0x0000000100000000ULL, 10);
}

static void large_divisor_is_exact(void **state)
{
    (void)state;
    check(0xFFFFFFFFFFFFFFFFULL, 0x10000);
    check(0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFF);
    check(0xFFFFFFFEFFFFFFFFULL, 0xFFFFFFFF);
    check(0x8000000000000000ULL, 0x80000001);
    check(0xFFFFFFFF, 0xFFFFFFFF);
    check(0xFFFFFFFE, 0xFFFFFFFF);
    check(1000000000000ULL, 1000000007);
}

static void random_operands_match_host_division(void **state)
{
    u64 x = 0x9E3779B97F4A7C15ULL;
    int i;

    (void)state;
    for (i = 0; i < 200000; i++) {
        u32 d;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        d = (u32)(x >> 11) >> (x & 31);    /* spread divisor sizes */
        if (!d)
            d = 1;
        check(x * 0x2545F4914F6CDD1DULL, d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_divisor_uses_both_halves),
        cmocka_unit_test(large_divisor_is_exact),
        cmocka_unit_test(random_operands_match_host_division),
    };
    return cmocka_run_group_tests_name("div64", tests, NULL, NULL);
}
