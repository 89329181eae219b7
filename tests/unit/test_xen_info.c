/* Unit tests for the pure part of src/fw/xen.c: checking hvmloader's info
 * block and parsing it through a memory view (a buffer standing for guest
 * memory at a given base address). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/xen.h"

/* Guest memory 0x1000-0x1FFF: the info block at 0x1000, hvmloader's
 * table list at 0x1100 and its e820 at 0x1200. */
#define BASE 0x1000
#define INFO 0x1000
#define TABLES 0x1100
#define E820 0x1200
static u8 mem[0x1000];

static void put32(u8 *p, u32 v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (u8)v;
}

static void put64(u8 *p, u64 v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (u8)v;
}

static u8 *at(u32 addr)
{
    return mem + (addr - BASE);
}

/* Recompute the block's checksum over its length byte. */
static void seal(void)
{
    u8 *b = at(INFO);
    b[15] = 0;
    u8 s = 0;
    for (int i = 0; i < b[14]; i++)
        s += b[i];
    b[15] = -s;
}

static void block(u32 tables, u32 ntables, u32 e820, u32 ne820)
{
    u8 *b = at(INFO);
    memcpy(b, "XenHVMSeaBIOS", 14);
    b[14] = 32;
    put32(b + 0x10, tables);
    put32(b + 0x14, ntables);
    put32(b + 0x18, e820);
    put32(b + 0x1C, ne820);
    seal();
}

static void e820_entry(int i, u64 base, u64 length, u32 type)
{
    u8 *e = at(E820) + 20 * i;
    put64(e, base);
    put64(e + 8, length);
    put32(e + 16, type);
}

/* What hvmloader hands over for a 1 GiB guest. */
static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof(mem));
    put32(at(TABLES), 0xFC00A000);          /* RSDP */
    put32(at(TABLES) + 4, 0xFC00B000);      /* SMBIOS */
    put32(at(TABLES) + 8, 0xFC00C000);      /* MP */
    e820_entry(0, 0, 0x9F000, E820_RAM);
    e820_entry(1, 0x9F000, 0x1000, E820_RESERVED);
    e820_entry(2, 0xF0000, 0x10000, E820_RESERVED);
    e820_entry(3, 0x100000, 0x3FF00000, E820_RAM);
    e820_entry(4, 0xFC000000, 0x4000000, E820_RESERVED);
    block(TABLES, 3, E820, 5);
    return 0;
}

static struct xen_handoff h;

static int parse(void)
{
    return xen_info_parse(mem, BASE, sizeof(mem), INFO, &h);
}

static void info_block_from_hvmloader_is_accepted(void **state)
{
    (void)state;
    assert_true(xen_info_check(at(INFO), 0x100));
    assert_true(xen_info_check(at(INFO), 32));
}

static void info_block_with_bad_checksum_is_rejected(void **state)
{
    (void)state;
    at(INFO)[0x14] ^= 1;                    /* one more table, sum not redone */
    assert_false(xen_info_check(at(INFO), 0x100));
    assert_int_equal(parse(), -1);
}

static void info_block_with_another_signature_is_rejected(void **state)
{
    (void)state;
    memcpy(at(INFO), "XenHVMSeaBIOX", 13);
    seal();
    assert_false(xen_info_check(at(INFO), 0x100));
    memcpy(at(INFO), "XenHVMSeaBIOS", 13);
    at(INFO)[13] = ' ';                     /* the NUL is part of it */
    seal();
    assert_false(xen_info_check(at(INFO), 0x100));
}

static void info_block_length_must_cover_the_fields_and_stay_readable(void **state)
{
    (void)state;
    at(INFO)[14] = 31;
    seal();
    assert_false(xen_info_check(at(INFO), 0x100));
    at(INFO)[14] = 40;                      /* longer is fine, if it can be read */
    seal();
    assert_true(xen_info_check(at(INFO), 40));
    assert_false(xen_info_check(at(INFO), 39));
    assert_false(xen_info_check(at(INFO), 16));
}

static void parse_copies_tables_and_e820(void **state)
{
    (void)state;
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ntables, 3);
    assert_int_equal(h.tables[0], 0xFC00A000);
    assert_int_equal(h.tables[1], 0xFC00B000);
    assert_int_equal(h.tables[2], 0xFC00C000);
    assert_int_equal(h.ne820, 5);
    assert_int_equal(h.e820[3].base, 0x100000);
    assert_int_equal(h.e820[3].length, 0x3FF00000);
    assert_int_equal(h.e820[3].type, E820_RAM);
    assert_int_equal(h.e820[4].type, E820_RESERVED);
}

static void e820_comes_out_sorted_and_merged(void **state)
{
    (void)state;
    e820_entry(0, 0x100000, 0x3FF00000, E820_RAM);
    e820_entry(1, 0, 0x9F000, E820_RAM);
    e820_entry(2, 0xF0000, 0x10000, E820_RESERVED);
    e820_entry(3, 0x9F000, 0x1000, E820_RESERVED);
    e820_entry(4, 0xE0000, 0x10000, E820_RESERVED);     /* touches F0000 */
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ne820, 4);
    assert_int_equal(h.e820[0].base, 0);
    assert_int_equal(h.e820[1].base, 0x9F000);
    assert_int_equal(h.e820[2].base, 0xE0000);
    assert_int_equal(h.e820[2].length, 0x20000);
    assert_int_equal(h.e820[3].base, 0x100000);
}

static void tables_outside_memory_are_dropped_but_e820_kept(void **state)
{
    (void)state;
    block(0x90000, 3, E820, 5);
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ntables, 0);
    assert_int_equal(h.ne820, 5);
    block(BASE + sizeof(mem) - 8, 3, E820, 5);          /* list runs off the end */
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ntables, 0);
}

static void more_than_eight_tables_are_cut_to_eight(void **state)
{
    (void)state;
    for (int i = 0; i < 12; i++)
        put32(at(TABLES) + 4 * i, 0xFC000000 + i);
    block(TABLES, 12, E820, 5);
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ntables, XEN_MAX_TABLES);
    assert_int_equal(h.tables[7], 0xFC000007);
    /* A huge count does not wrap the size check. */
    block(TABLES, 0x40000001, E820, 5);
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ntables, XEN_MAX_TABLES);
}

static void more_than_32_e820_entries_are_cut_to_32(void **state)
{
    (void)state;
    for (int i = 0; i < 40; i++)
        e820_entry(i, 0x100000 * (2 * i), 0x100000, i % 2 ? E820_RAM : E820_RESERVED);
    block(TABLES, 3, E820, 40);
    assert_int_equal(parse(), 0);
    assert_int_equal(h.ne820, XEN_MAX_E820);
    assert_int_equal(h.e820[31].base, 0x100000 * 62);
}

static void missing_e820_is_rejected(void **state)
{
    (void)state;
    block(TABLES, 3, E820, 0);
    assert_int_equal(parse(), -1);
    block(TABLES, 3, 0x90000, 5);
    assert_int_equal(parse(), -1);
    block(TABLES, 3, BASE + sizeof(mem) - 20 * 5 + 1, 5); /* last byte past the end */
    assert_int_equal(parse(), -1);
}

static void info_block_outside_memory_is_rejected(void **state)
{
    (void)state;
    assert_int_equal(xen_info_parse(mem, BASE, sizeof(mem), BASE - 4, &h), -1);
    assert_int_equal(xen_info_parse(mem, BASE, sizeof(mem), BASE + sizeof(mem) - 31, &h), -1);
    assert_int_equal(xen_info_parse(mem, BASE, 31, INFO, &h), -1);
    /* A block whose length byte reaches past the view. */
    at(INFO)[14] = 64;
    seal();
    assert_int_equal(xen_info_parse(mem, BASE, 48, INFO, &h), -1);
}

static void failed_parse_leaves_nothing_behind(void **state)
{
    (void)state;
    assert_int_equal(parse(), 0);
    at(INFO)[0] = 'x';
    assert_int_equal(parse(), -1);
    assert_int_equal(h.ntables, 0);
    assert_int_equal(h.ne820, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
        T(info_block_from_hvmloader_is_accepted),
        T(info_block_with_bad_checksum_is_rejected),
        T(info_block_with_another_signature_is_rejected),
        T(info_block_length_must_cover_the_fields_and_stay_readable),
        T(parse_copies_tables_and_e820),
        T(e820_comes_out_sorted_and_merged),
        T(tables_outside_memory_are_dropped_but_e820_kept),
        T(more_than_eight_tables_are_cut_to_eight),
        T(more_than_32_e820_entries_are_cut_to_32),
        T(missing_e820_is_rejected),
        T(info_block_outside_memory_is_rejected),
        T(failed_parse_leaves_nothing_behind),
    };
    return cmocka_run_group_tests_name("xen_info", tests, NULL, NULL);
}
