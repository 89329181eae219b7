/* Unit tests for src/fw/e820map.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fw/e820map.h"

#define KIB 1024ULL
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define TOP 0xFFFFFFFFFFFFFFFFULL

#define MAXE 64

struct fixture {
    struct e820_entry buf[MAXE];
    struct e820_map m;
};

static struct fixture fx;

static struct e820_map *new_map(int max)
{
    memset(&fx, 0xA5, sizeof(fx));          /* garbage in unused slots */
    fx.m.e = fx.buf;
    fx.m.count = 0;
    fx.m.max = max;
    return &fx.m;
}

struct want {
    u64 base, end;
    u32 type;
};

#define expect_map(m, ...) do {                                            \
        static const struct want w_[] = { __VA_ARGS__ };                    \
        expect_entries((m), w_, (int)(sizeof(w_) / sizeof(w_[0])));         \
    } while (0)

static void expect_entries(const struct e820_map *m, const struct want *w, int n)
{
    int i;

    assert_int_equal(m->count, n);
    for (i = 0; i < n; i++) {
        assert_int_equal(m->e[i].base, w[i].base);
        assert_int_equal(m->e[i].base + m->e[i].length, w[i].end);
        assert_int_equal(m->e[i].type, w[i].type);
    }
}

/* Sorted, no overlap, no zero length, no touching entries of one type. */
static void assert_well_formed(const struct e820_map *m)
{
    int i;

    assert_true(m->count >= 0 && m->count <= m->max);
    for (i = 0; i < m->count; i++) {
        const struct e820_entry *x = &m->e[i];

        assert_true(x->length != 0);
        assert_true(x->base + x->length > x->base);     /* no wrap */
        if (i > 0) {
            const struct e820_entry *p = &m->e[i - 1];
            u64 pend = p->base + p->length;

            assert_true(pend <= x->base);
            assert_false(pend == x->base && p->type == x->type);
        }
    }
}

/* ---- adding ---- */

static void adding_to_an_empty_map_stores_one_entry(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    assert_int_equal(e820_add(m, 0, 640 * KIB, E820_RAM), 0);
    expect_map(m, { 0, 640 * KIB, E820_RAM });
}

static void zero_length_add_stores_nothing(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    assert_int_equal(e820_add(m, 1 * MIB, 0, E820_RAM), 0);
    assert_int_equal(m->count, 0);
    e820_add(m, 0, 2 * MIB, E820_RAM);
    assert_int_equal(e820_add(m, 1 * MIB, 0, E820_RESERVED), 0);
    expect_map(m, { 0, 2 * MIB, E820_RAM });
}

static void entries_are_kept_sorted_whatever_the_insertion_order(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 4 * GIB, 4 * GIB, E820_RAM);
    e820_add(m, 0, 640 * KIB, E820_RAM);
    e820_add(m, 0xF0000, 0x10000, E820_RESERVED);
    e820_add(m, 1 * MIB, 1 * GIB, E820_RAM);
    expect_map(m,
               { 0, 640 * KIB, E820_RAM },
               { 0xF0000, 0x100000, E820_RESERVED },
               { 1 * MIB, 1 * MIB + 1 * GIB, E820_RAM },
               { 4 * GIB, 8 * GIB, E820_RAM });
}

static void reserving_inside_ram_splits_it_in_three(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 1 * GIB, E820_RAM);
    assert_int_equal(e820_add(m, 16 * MIB, 1 * MIB, E820_RESERVED), 0);
    expect_map(m,
               { 0, 16 * MIB, E820_RAM },
               { 16 * MIB, 17 * MIB, E820_RESERVED },
               { 17 * MIB, 1 * GIB, E820_RAM });
}

static void overlapping_add_overrides_both_neighbours(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 10 * MIB, E820_RAM);
    e820_add(m, 10 * MIB, 10 * MIB, E820_NVS);
    assert_int_equal(e820_add(m, 8 * MIB, 4 * MIB, E820_ACPI), 0);
    expect_map(m,
               { 0, 8 * MIB, E820_RAM },
               { 8 * MIB, 12 * MIB, E820_ACPI },
               { 12 * MIB, 20 * MIB, E820_NVS });
}

static void add_covering_several_entries_replaces_them(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 1 * MIB, 1 * MIB, E820_RAM);
    e820_add(m, 3 * MIB, 1 * MIB, E820_ACPI);
    e820_add(m, 5 * MIB, 1 * MIB, E820_NVS);
    e820_add(m, 9 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_add(m, 0, 8 * MIB, E820_RESERVED), 0);
    expect_map(m,
               { 0, 8 * MIB, E820_RESERVED },
               { 9 * MIB, 10 * MIB, E820_RAM });
}

static void touching_ranges_of_the_same_type_merge(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    e820_add(m, 1 * MIB, 1 * MIB, E820_RAM);
    expect_map(m, { 0, 2 * MIB, E820_RAM });
    e820_add(m, 3 * MIB, 1 * MIB, E820_RAM);
    e820_add(m, 2 * MIB, 1 * MIB, E820_RAM);       /* fills the gap */
    expect_map(m, { 0, 4 * MIB, E820_RAM });
}

static void touching_ranges_of_different_types_stay_apart(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    e820_add(m, 1 * MIB, 1 * MIB, E820_RESERVED);
    e820_add(m, 2 * MIB, 1 * MIB, E820_RAM);
    expect_map(m,
               { 0, 1 * MIB, E820_RAM },
               { 1 * MIB, 2 * MIB, E820_RESERVED },
               { 2 * MIB, 3 * MIB, E820_RAM });
}

static void retyping_the_middle_entry_to_ram_merges_all_three(void **state)
{
    struct e820_map *m = new_map(3);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    e820_add(m, 1 * MIB, 1 * MIB, E820_RESERVED);
    e820_add(m, 2 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_add(m, 1 * MIB, 1 * MIB, E820_RAM), 0);
    expect_map(m, { 0, 3 * MIB, E820_RAM });
}

static void adding_the_same_type_inside_an_entry_changes_nothing(void **state)
{
    struct e820_map *m = new_map(1);

    (void)state;
    e820_add(m, 0, 1 * GIB, E820_RAM);
    assert_int_equal(e820_add(m, 1 * MIB, 1 * MIB, E820_RAM), 0);
    expect_map(m, { 0, 1 * GIB, E820_RAM });
}

static void full_array_failure_leaves_the_map_intact(void **state)
{
    struct e820_map *m = new_map(2);
    struct e820_entry before[2];

    (void)state;
    e820_add(m, 0, 1 * GIB, E820_RAM);
    e820_add(m, 4 * GIB, 1 * GIB, E820_RAM);
    memcpy(before, m->e, sizeof(before));
    /* Splitting an entry needs 4 slots, a disjoint range needs 3. */
    assert_int_equal(e820_add(m, 16 * MIB, 1 * MIB, E820_RESERVED), -1);
    assert_int_equal(e820_add(m, 2 * GIB, 1 * MIB, E820_RESERVED), -1);
    assert_int_equal(e820_add(m, 8 * GIB, 1 * MIB, E820_RESERVED), -1);
    assert_int_equal(m->count, 2);
    assert_memory_equal(m->e, before, sizeof(before));
}

static void full_array_still_accepts_edits_that_do_not_grow_it(void **state)
{
    struct e820_map *m = new_map(2);

    (void)state;
    e820_add(m, 0, 1 * GIB, E820_RAM);
    e820_add(m, 4 * GIB, 1 * GIB, E820_RAM);
    assert_int_equal(e820_add(m, 1 * GIB, 1 * GIB, E820_RAM), 0);  /* merge */
    assert_int_equal(e820_add(m, 4 * GIB, 1 * GIB, E820_RESERVED), 0);
    assert_int_equal(e820_add(m, 3 * GIB, 2 * GIB, E820_RESERVED), 0);
    expect_map(m,
               { 0, 2 * GIB, E820_RAM },
               { 3 * GIB, 5 * GIB, E820_RESERVED });
}

static void zero_capacity_map_rejects_every_add(void **state)
{
    struct e820_map *m = new_map(0);

    (void)state;
    assert_int_equal(e820_add(m, 0, 1, E820_RAM), -1);
    assert_int_equal(m->count, 0);
}

static void range_running_past_2_pow_64_is_clipped(void **state)
{
    struct e820_map *m = new_map(4);

    (void)state;
    assert_int_equal(e820_add(m, TOP - 0xFFF, 0x10000, E820_RESERVED), 0);
    expect_map(m, { TOP - 0xFFF, TOP, E820_RESERVED });
    assert_int_equal(e820_add(m, 1 * GIB, TOP, E820_RAM), 0);
    expect_map(m, { 1 * GIB, TOP, E820_RAM });
    assert_int_equal(e820_add(m, TOP, 5, E820_NVS), 0);  /* nothing left */
    expect_map(m, { 1 * GIB, TOP, E820_RAM });
}

/* ---- removing ---- */

static void remove_punches_a_hole_in_the_middle(void **state)
{
    struct e820_map *m = new_map(4);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    assert_int_equal(e820_remove(m, 640 * KIB, 384 * KIB - 64 * KIB), 0);
    expect_map(m,
               { 0, 640 * KIB, E820_RAM },
               { 960 * KIB, 1 * MIB, E820_RAM });
}

static void remove_trims_and_drops_across_entries(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 2 * MIB, E820_RAM);
    e820_add(m, 2 * MIB, 1 * MIB, E820_ACPI);
    e820_add(m, 3 * MIB, 2 * MIB, E820_NVS);
    e820_add(m, 6 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_remove(m, 1 * MIB, 3 * MIB), 0);
    expect_map(m,
               { 0, 1 * MIB, E820_RAM },
               { 4 * MIB, 5 * MIB, E820_NVS },
               { 6 * MIB, 7 * MIB, E820_RAM });
}

static void remove_of_an_unmapped_range_changes_nothing(void **state)
{
    struct e820_map *m = new_map(2);

    (void)state;
    e820_add(m, 0, 640 * KIB, E820_RAM);
    e820_add(m, 1 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_remove(m, 640 * KIB, 384 * KIB), 0);  /* exact gap */
    assert_int_equal(e820_remove(m, 4 * GIB, 0), 0);
    assert_int_equal(e820_remove(m, 4 * GIB, TOP), 0);
    expect_map(m,
               { 0, 640 * KIB, E820_RAM },
               { 1 * MIB, 2 * MIB, E820_RAM });
}

static void remove_of_everything_empties_the_map(void **state)
{
    struct e820_map *m = new_map(4);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    e820_add(m, 3 * GIB, 1 * GIB, E820_RESERVED);
    assert_int_equal(e820_remove(m, 0, TOP), 0);
    assert_int_equal(m->count, 0);
}

static void remove_needing_a_split_fails_intact_on_a_full_map(void **state)
{
    struct e820_map *m = new_map(1);

    (void)state;
    e820_add(m, 0, 1 * MIB, E820_RAM);
    assert_int_equal(e820_remove(m, 512 * KIB, 4 * KIB), -1);
    expect_map(m, { 0, 1 * MIB, E820_RAM });
    assert_int_equal(e820_remove(m, 0, 4 * KIB), 0);     /* trimming fits */
    expect_map(m, { 4 * KIB, 1 * MIB, E820_RAM });
}

/* ---- queries ---- */

static void ram_total_counts_only_ram_inside_the_window(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 639 * KIB, E820_RAM);
    e820_add(m, 639 * KIB, 1 * KIB, E820_RESERVED);
    e820_add(m, 1 * MIB, 3 * GIB - 1 * MIB, E820_RAM);
    e820_add(m, 4 * GIB, 1 * GIB, E820_RAM);
    assert_int_equal(e820_ram_total(m, 0, TOP), 639 * KIB + 3 * GIB - 1 * MIB + 1 * GIB);
    assert_int_equal(e820_ram_total(m, 1 * MIB, 4 * GIB), 3 * GIB - 1 * MIB);
    assert_int_equal(e820_ram_total(m, 512 * KIB, 2 * MIB), 127 * KIB + 1 * MIB);
    assert_int_equal(e820_ram_total(m, 4 * GIB + 1, 4 * GIB + 2), 1);
}

static void ram_total_of_an_empty_window_is_zero(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 1 * GIB, E820_RAM);
    assert_int_equal(e820_ram_total(m, 5 * MIB, 5 * MIB), 0);
    assert_int_equal(e820_ram_total(m, 6 * MIB, 5 * MIB), 0);
    assert_int_equal(e820_ram_total(m, 2 * GIB, 3 * GIB), 0);
}

static void ram_top_is_the_end_of_the_highest_ram_below_the_limit(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 0, 640 * KIB, E820_RAM);
    e820_add(m, 1 * MIB, 3 * GIB - 1 * MIB, E820_RAM);
    e820_add(m, 0xFEFFC000ULL, 0x4000, E820_RESERVED);
    e820_add(m, 4 * GIB, 4 * GIB, E820_RAM);
    assert_int_equal(e820_find_ram_top(m, 4 * GIB), 3 * GIB);
    assert_int_equal(e820_find_ram_top(m, TOP), 8 * GIB);
    assert_int_equal(e820_find_ram_top(m, 1 * MIB), 640 * KIB);
}

static void ram_top_clips_a_range_that_straddles_the_limit(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    e820_add(m, 1 * MIB, 7 * GIB, E820_RAM);
    e820_add(m, 2 * GIB, 1 * MIB, E820_ACPI);
    assert_int_equal(e820_find_ram_top(m, 4 * GIB), 4 * GIB);
    assert_int_equal(e820_find_ram_top(m, 2 * GIB + 4 * KIB), 2 * GIB);
}

static void ram_top_is_zero_without_ram_below_the_limit(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    assert_int_equal(e820_find_ram_top(m, 4 * GIB), 0);
    e820_add(m, 0, 1 * MIB, E820_RESERVED);
    e820_add(m, 4 * GIB, 1 * GIB, E820_RAM);
    assert_int_equal(e820_find_ram_top(m, 4 * GIB), 0);
    assert_int_equal(e820_find_ram_top(m, 0), 0);
}

/* ---- QEMU etc/e820 ---- */

static u8 *put_record(u8 *p, u64 base, u64 length, u32 type)
{
    int i;

    for (i = 0; i < 8; i++)
        *p++ = (u8)(base >> (8 * i));
    for (i = 0; i < 8; i++)
        *p++ = (u8)(length >> (8 * i));
    for (i = 0; i < 4; i++)
        *p++ = (u8)(type >> (8 * i));
    return p;
}

static void parse_loads_a_typical_qemu_file(void **state)
{
    struct e820_map *m = new_map(8);
    u8 file[60], *p = file;

    (void)state;
    p = put_record(p, 0, 0x80000000ULL, E820_RAM);
    p = put_record(p, 0xFEFFC000ULL, 0x4000, E820_RESERVED);
    p = put_record(p, 4 * GIB, 2 * GIB, E820_RAM);
    assert_int_equal(e820_parse_qemu(m, file, sizeof(file)), 3);
    expect_map(m,
               { 0, 0x80000000ULL, E820_RAM },
               { 0xFEFFC000ULL, 0xFF000000ULL, E820_RESERVED },
               { 4 * GIB, 6 * GIB, E820_RAM });
}

static void parse_reads_little_endian_fields(void **state)
{
    struct e820_map *m = new_map(8);
    static const u8 rec[20] = {
        0x00, 0x10, 0x32, 0x54, 0x76, 0x98, 0x00, 0x00,     /* base */
        0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     /* length */
        0x04, 0x00, 0x00, 0x00,                             /* type */
    };

    (void)state;
    assert_int_equal(e820_parse_qemu(m, rec, sizeof(rec)), 1);
    expect_map(m, { 0x987654321000ULL, 0x987654323000ULL, E820_NVS });
}

static void parse_ignores_a_trailing_partial_record(void **state)
{
    struct e820_map *m = new_map(8);
    u8 file[60];

    (void)state;
    memset(file, 0x11, sizeof(file));
    put_record(file, 0, 1 * MIB, E820_RAM);
    put_record(file + 20, 2 * MIB, 1 * MIB, E820_RESERVED);
    assert_int_equal(e820_parse_qemu(m, file, 59), 2);
    expect_map(m,
               { 0, 1 * MIB, E820_RAM },
               { 2 * MIB, 3 * MIB, E820_RESERVED });
}

static void parse_of_less_than_one_record_takes_nothing(void **state)
{
    struct e820_map *m = new_map(8);
    u8 file[19];

    (void)state;
    memset(file, 0xFF, sizeof(file));
    assert_int_equal(e820_parse_qemu(m, file, sizeof(file)), 0);
    assert_int_equal(e820_parse_qemu(m, file, 0), 0);
    assert_int_equal(e820_parse_qemu(m, NULL, 0), 0);
    assert_int_equal(m->count, 0);
}

static void parse_of_null_data_with_a_size_fails(void **state)
{
    struct e820_map *m = new_map(8);

    (void)state;
    assert_int_equal(e820_parse_qemu(m, NULL, 40), -1);
    assert_int_equal(m->count, 0);
}

static void parse_skips_zero_length_records(void **state)
{
    struct e820_map *m = new_map(8);
    u8 file[60], *p = file;

    (void)state;
    p = put_record(p, 0, 1 * MIB, E820_RAM);
    p = put_record(p, 512 * KIB, 0, E820_RESERVED);
    p = put_record(p, 1 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_parse_qemu(m, file, sizeof(file)), 2);
    expect_map(m, { 0, 2 * MIB, E820_RAM });
}

static void parse_lets_later_records_override_earlier_ones(void **state)
{
    struct e820_map *m = new_map(8);
    u8 file[40], *p = file;

    (void)state;
    p = put_record(p, 0, 4 * GIB, E820_RAM);
    p = put_record(p, 3 * GIB, 1 * GIB, E820_RESERVED);
    assert_int_equal(e820_parse_qemu(m, file, sizeof(file)), 2);
    expect_map(m,
               { 0, 3 * GIB, E820_RAM },
               { 3 * GIB, 4 * GIB, E820_RESERVED });
}

static void parse_reports_overflow_and_keeps_what_fitted(void **state)
{
    struct e820_map *m = new_map(2);
    u8 file[60], *p = file;

    (void)state;
    p = put_record(p, 0, 1 * MIB, E820_RAM);
    p = put_record(p, 2 * MIB, 1 * MIB, E820_RAM);
    p = put_record(p, 4 * MIB, 1 * MIB, E820_RAM);
    assert_int_equal(e820_parse_qemu(m, file, sizeof(file)), -1);
    expect_map(m,
               { 0, 1 * MIB, E820_RAM },
               { 2 * MIB, 3 * MIB, E820_RAM });
}

static u64 rng_state;

static u64 rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void parse_of_random_bytes_keeps_the_map_well_formed(void **state)
{
    u8 file[20 * 24 + 7];
    int round, r;
    u32 i;

    (void)state;
    rng_state = 0x243F6A8885A308D3ULL;
    for (round = 0; round < 3000; round++) {
        struct e820_map *m = new_map(1 + (int)(rng() % 16));
        u32 size = (u32)(rng() % (sizeof(file) + 1));

        for (i = 0; i < sizeof(file); i++) {
            u64 x = rng();
            /* Mix in bytes that make extreme values likely. */
            file[i] = (x & 0x300) == 0 ? 0xFF : (x & 0x300) == 0x100 ? 0 : (u8)x;
        }
        r = e820_parse_qemu(m, file, size);
        assert_true(r >= -1 && r <= (int)(size / 20));
        assert_well_formed(m);
    }
}

/* Random edits on a small address space checked against a byte-per-unit
 * model; a failed edit must leave the map exactly as it was. */
static void random_edits_match_a_simple_model(void **state)
{
    enum { SPACE = 48 };
    u8 model[SPACE];
    int round, step, max;

    (void)state;
    rng_state = 0x13198A2E03707344ULL;
    for (round = 0; round < 400; round++) {
        max = 1 + (int)(rng() % 12);
        struct e820_map *m = new_map(max);

        memset(model, 0, sizeof(model));
        for (step = 0; step < 60; step++) {
            u64 base = rng() % SPACE, len = rng() % (SPACE - base + 1);
            u32 type = (u32)(rng() % 3);        /* 0 means remove */
            struct e820_entry saved[MAXE];
            int saved_count = m->count, rc, i;
            u64 a;

            memcpy(saved, m->e, sizeof(saved));
            rc = type ? e820_add(m, base, len, type) : e820_remove(m, base, len);
            if (rc) {
                assert_int_equal(rc, -1);
                assert_int_equal(m->count, saved_count);
                assert_memory_equal(m->e, saved, sizeof(saved));
                continue;
            }
            for (a = base; a < base + len; a++)
                model[a] = (u8)type;
            assert_well_formed(m);
            /* The map, expanded unit by unit, equals the model. */
            for (a = 0, i = 0; a < SPACE; a++) {
                u32 t = 0;

                while (i < m->count && m->e[i].base + m->e[i].length <= a)
                    i++;
                if (i < m->count && m->e[i].base <= a)
                    t = m->e[i].type;
                assert_int_equal(t, model[a]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adding_to_an_empty_map_stores_one_entry),
        cmocka_unit_test(zero_length_add_stores_nothing),
        cmocka_unit_test(entries_are_kept_sorted_whatever_the_insertion_order),
        cmocka_unit_test(reserving_inside_ram_splits_it_in_three),
        cmocka_unit_test(overlapping_add_overrides_both_neighbours),
        cmocka_unit_test(add_covering_several_entries_replaces_them),
        cmocka_unit_test(touching_ranges_of_the_same_type_merge),
        cmocka_unit_test(touching_ranges_of_different_types_stay_apart),
        cmocka_unit_test(retyping_the_middle_entry_to_ram_merges_all_three),
        cmocka_unit_test(adding_the_same_type_inside_an_entry_changes_nothing),
        cmocka_unit_test(full_array_failure_leaves_the_map_intact),
        cmocka_unit_test(full_array_still_accepts_edits_that_do_not_grow_it),
        cmocka_unit_test(zero_capacity_map_rejects_every_add),
        cmocka_unit_test(range_running_past_2_pow_64_is_clipped),
        cmocka_unit_test(remove_punches_a_hole_in_the_middle),
        cmocka_unit_test(remove_trims_and_drops_across_entries),
        cmocka_unit_test(remove_of_an_unmapped_range_changes_nothing),
        cmocka_unit_test(remove_of_everything_empties_the_map),
        cmocka_unit_test(remove_needing_a_split_fails_intact_on_a_full_map),
        cmocka_unit_test(ram_total_counts_only_ram_inside_the_window),
        cmocka_unit_test(ram_total_of_an_empty_window_is_zero),
        cmocka_unit_test(ram_top_is_the_end_of_the_highest_ram_below_the_limit),
        cmocka_unit_test(ram_top_clips_a_range_that_straddles_the_limit),
        cmocka_unit_test(ram_top_is_zero_without_ram_below_the_limit),
        cmocka_unit_test(parse_loads_a_typical_qemu_file),
        cmocka_unit_test(parse_reads_little_endian_fields),
        cmocka_unit_test(parse_ignores_a_trailing_partial_record),
        cmocka_unit_test(parse_of_less_than_one_record_takes_nothing),
        cmocka_unit_test(parse_of_null_data_with_a_size_fails),
        cmocka_unit_test(parse_skips_zero_length_records),
        cmocka_unit_test(parse_lets_later_records_override_earlier_ones),
        cmocka_unit_test(parse_reports_overflow_and_keeps_what_fitted),
        cmocka_unit_test(parse_of_random_bytes_keeps_the_map_well_formed),
        cmocka_unit_test(random_edits_match_a_simple_model),
    };
    return cmocka_run_group_tests_name("e820map", tests, NULL, NULL);
}
