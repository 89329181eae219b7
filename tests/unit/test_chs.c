/* Unit tests for src/lib/chs.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/chs.h"

#define MIB (1024ULL * 1024 / 512)          /* sectors per MiB */
#define GIB (1024 * MIB)
#define TIB (1024 * GIB)

static void expect_geometry(u64 sectors, const struct chs *phys, int scheme,
                            u16 cyl, u16 heads, u16 spt)
{
    struct chs l = { 0xDEAD, 0xDEAD, 0xDEAD };

    chs_translate(sectors, phys, scheme, &l);
    assert_int_equal(l.cyl, cyl);
    assert_int_equal(l.heads, heads);
    assert_int_equal(l.spt, spt);
}

/* ---- LBA-assist ---- */

static void lba_assist_10mib_disk_gets_16_heads(void **state)
{
    (void)state;
    expect_geometry(10 * MIB, NULL, CHS_LBA, 20, 16, 63);
}

static void lba_assist_504mib_disk_is_exactly_1024x16x63(void **state)
{
    (void)state;
    expect_geometry(504 * MIB, NULL, CHS_LBA, 1024, 16, 63);
}

static void lba_assist_one_track_past_1024_cylinders_moves_to_32_heads(void **state)
{
    (void)state;
    /* 1025 x 16 tracks: 16 heads would need 1025 cylinders. */
    expect_geometry(1025 * 16 * 63, NULL, CHS_LBA, 512, 32, 63);
    /* One sector short of that: total / (63 x 16) is still 1024, so 16
     * heads stay and the incomplete 1025th cylinder is left out. */
    expect_geometry(1025 * 16 * 63 - 1, NULL, CHS_LBA, 1024, 16, 63);
}

static void lba_assist_picks_the_smallest_head_count_that_fits(void **state)
{
    (void)state;
    expect_geometry(1 * GIB, NULL, CHS_LBA, 520, 64, 63);
    expect_geometry(2 * GIB, NULL, CHS_LBA, 520, 128, 63);
    expect_geometry(4 * GIB, NULL, CHS_LBA, 522, 255, 63);
}

static void lba_assist_8gib_disk_gets_the_int13_maximum(void **state)
{
    (void)state;
    expect_geometry(8 * GIB, NULL, CHS_LBA, 1024, 255, 63);
    expect_geometry(CHS_INT13_MAX_SECTORS, NULL, CHS_LBA, 1024, 255, 63);
}

static void lba_assist_caps_at_1024_cylinders(void **state)
{
    (void)state;
    expect_geometry(2 * TIB, NULL, CHS_LBA, 1024, 255, 63);
    expect_geometry(~0ULL, NULL, CHS_LBA, 1024, 255, 63);
}

static void lba_assist_ignores_the_physical_geometry(void **state)
{
    static const struct chs phys = { 20, 16, 63 };

    (void)state;
    expect_geometry(2 * GIB, &phys, CHS_LBA, 520, 128, 63);
}

/* ---- none ---- */

static void none_keeps_a_physical_geometry_that_fits(void **state)
{
    static const struct chs phys = { 20, 16, 63 };          /* 10 MiB ATA */

    (void)state;
    expect_geometry(10 * MIB, &phys, CHS_NONE, 20, 16, 63);
}

static void none_clips_cylinders_of_a_large_disk_to_1024(void **state)
{
    static const struct chs phys = { 16383, 16, 63 };       /* 8 GiB ATA */

    (void)state;
    expect_geometry(8 * GIB, &phys, CHS_NONE, 1024, 16, 63);
}

/* ---- large (bit-shift) and r-echs on ATA 16-head geometries ---- */

static void large_doubles_heads_until_cylinders_fit(void **state)
{
    static const struct chs phys = { 4161, 16, 63 };        /* 2 GiB ATA */

    (void)state;
    expect_geometry(2 * GIB, &phys, CHS_LARGE, 520, 128, 63);
}

static void large_leaves_a_fitting_geometry_alone(void **state)
{
    static const struct chs phys = { 1024, 16, 63 };

    (void)state;
    expect_geometry(504 * MIB, &phys, CHS_LARGE, 1024, 16, 63);
}

static void large_stops_at_128_heads_and_clips_cylinders(void **state)
{
    static const struct chs phys = { 16383, 16, 63 };       /* ATA maximum */

    (void)state;
    expect_geometry(8 * GIB, &phys, CHS_LARGE, 1024, 128, 63);
    expect_geometry(2 * TIB, &phys, CHS_LARGE, 1024, 128, 63);
}

static void rechs_turns_16_heads_into_15_before_shifting(void **state)
{
    static const struct chs phys = { 4161, 16, 63 };

    (void)state;
    /* 4161 x 16 / 15 = 4438 cylinders of 15 heads, then 3 shifts. */
    expect_geometry(2 * GIB, &phys, CHS_RECHS, 554, 120, 63);
}

static void rechs_on_the_ata_maximum_reaches_240_heads(void **state)
{
    static const struct chs phys = { 16383, 16, 63 };

    (void)state;
    expect_geometry(8 * GIB, &phys, CHS_RECHS, 1024, 240, 63);
}

static void rechs_without_16_heads_is_plain_bit_shift(void **state)
{
    static const struct chs phys = { 4000, 8, 63 };

    (void)state;
    expect_geometry(4000 * 8 * 63, &phys, CHS_RECHS, 1000, 32, 63);
}

static void rechs_handles_the_largest_16_bit_cylinder_count(void **state)
{
    static const struct chs phys = { 65535, 16, 63 };

    (void)state;
    expect_geometry(65535ULL * 16 * 63, &phys, CHS_RECHS, 1024, 240, 63);
}

/* ---- unusable inputs ---- */

static void unusable_physical_geometry_falls_back_to_lba_assist(void **state)
{
    static const struct chs zero_heads = { 20, 0, 63 };
    static const struct chs too_many_spt = { 20, 16, 255 };
    static const struct chs too_many_heads = { 20, 256, 63 };

    (void)state;
    expect_geometry(2 * GIB, NULL, CHS_NONE, 520, 128, 63);
    expect_geometry(2 * GIB, &zero_heads, CHS_LARGE, 520, 128, 63);
    expect_geometry(2 * GIB, &too_many_spt, CHS_NONE, 520, 128, 63);
    expect_geometry(2 * GIB, &too_many_heads, CHS_RECHS, 520, 128, 63);
}

static void unknown_scheme_means_lba_assist(void **state)
{
    static const struct chs phys = { 20, 16, 63 };

    (void)state;
    expect_geometry(10 * MIB, &phys, 7, 20, 16, 63);
    expect_geometry(2 * GIB, &phys, -1, 520, 128, 63);
}

static void physical_geometry_larger_than_the_disk_is_clipped_to_it(void **state)
{
    static const struct chs phys = { 1024, 16, 63 };
    static const struct chs huge = { 1024, 255, 63 };

    (void)state;
    expect_geometry(10 * MIB, &phys, CHS_NONE, 20, 16, 63);
    /* Not even one cylinder of it exists: LBA-assist takes over. */
    expect_geometry(1000, &huge, CHS_LARGE, 1, 15, 63);
}

static void empty_disk_has_an_all_zero_geometry(void **state)
{
    (void)state;
    expect_geometry(0, NULL, CHS_LBA, 0, 0, 0);
}

static void tiny_disks_get_one_cylinder_inside_the_disk(void **state)
{
    (void)state;
    expect_geometry(1, NULL, CHS_LBA, 1, 1, 1);
    expect_geometry(62, NULL, CHS_LBA, 1, 1, 62);
    expect_geometry(63, NULL, CHS_LBA, 1, 1, 63);
    expect_geometry(100, NULL, CHS_LBA, 1, 1, 63);
    expect_geometry(1007, NULL, CHS_LBA, 1, 15, 63);
    expect_geometry(1008, NULL, CHS_LBA, 1, 16, 63);
    expect_geometry(2015, NULL, CHS_LBA, 1, 16, 63);
}

static void every_small_disk_gets_a_valid_geometry_under_every_scheme(void **state)
{
    static const struct chs phys = { 7, 16, 63 };
    u32 n;
    int scheme;

    (void)state;
    for (scheme = 0; scheme < 4; scheme++) {
        for (n = 1; n < 20000; n++) {
            struct chs l;

            chs_translate(n, &phys, scheme, &l);
            assert_true(l.cyl >= 1 && l.cyl <= 1024);
            assert_true(l.heads >= 1 && l.heads <= 255);
            assert_true(l.spt >= 1 && l.spt <= 63);
            assert_true((u64)l.cyl * l.heads * l.spt <= n);
        }
    }
}

/* ---- chs_to_lba ---- */

static void chs_to_lba_follows_the_standard_formula(void **state)
{
    static const struct chs g = { 20, 16, 63 };
    u32 lba = 12345;

    (void)state;
    assert_int_equal(chs_to_lba(&g, 0, 0, 1, &lba), 0);
    assert_int_equal(lba, 0);
    assert_int_equal(chs_to_lba(&g, 2, 3, 4, &lba), 0);
    assert_int_equal(lba, (2 * 16 + 3) * 63 + 3);
    assert_int_equal(chs_to_lba(&g, 19, 15, 63, &lba), 0);
    assert_int_equal(lba, 20 * 16 * 63 - 1);
}

static void chs_to_lba_rejects_out_of_range_addresses(void **state)
{
    static const struct chs g = { 20, 16, 63 };
    u32 lba = 777;

    (void)state;
    assert_int_equal(chs_to_lba(&g, 0, 0, 0, &lba), -1);     /* sector 0 */
    assert_int_equal(chs_to_lba(&g, 0, 0, 64, &lba), -1);    /* sector > spt */
    assert_int_equal(chs_to_lba(&g, 0, 16, 1, &lba), -1);    /* head >= heads */
    assert_int_equal(chs_to_lba(&g, 20, 0, 1, &lba), -1);    /* cyl >= cyls */
    assert_int_equal(lba, 777);                              /* untouched */
}

static void chs_to_lba_rejects_results_beyond_32_bits(void **state)
{
    static const struct chs g = { 65535, 65535, 65535 };
    u32 lba;

    (void)state;
    assert_int_equal(chs_to_lba(&g, 65534, 65534, 65535, &lba), -1);
    assert_int_equal(chs_to_lba(&g, 0, 65534, 65535, &lba), 0);
    assert_int_equal(lba, 65534u * 65535 + 65534);
}

static void chs_to_lba_on_empty_geometry_always_fails(void **state)
{
    static const struct chs g = { 0, 0, 0 };
    u32 lba;

    (void)state;
    assert_int_equal(chs_to_lba(&g, 0, 0, 1, &lba), -1);
}

/* ---- INT 13h register packing ---- */

static void pack_reports_zero_based_maximums(void **state)
{
    static const struct chs g = { 20, 16, 63 };
    u16 cx;
    u8 dh;

    (void)state;
    chs_pack_int13(&g, false, &cx, &dh);
    assert_int_equal(cx, (19 << 8) | 63);
    assert_int_equal(dh, 15);
}

static void pack_with_diag_cyl_reports_one_cylinder_fewer(void **state)
{
    static const struct chs g = { 1024, 255, 63 };
    u16 cx;
    u8 dh;

    (void)state;
    chs_pack_int13(&g, false, &cx, &dh);
    assert_int_equal(cx, 0xFFFF);            /* cylinder 1023, sector 63 */
    assert_int_equal(dh, 254);
    chs_pack_int13(&g, true, &cx, &dh);
    assert_int_equal(cx, 0xFEFF);            /* cylinder 1022 */
    assert_int_equal(dh, 254);
}

static void pack_caps_the_max_cylinder_at_1023(void **state)
{
    static const struct chs g = { 16383, 16, 63 };
    u16 cx;
    u8 dh;

    (void)state;
    chs_pack_int13(&g, true, &cx, &dh);
    assert_int_equal(cx, 0xFFFF);
    assert_int_equal(dh, 15);
}

static void pack_places_cylinder_bits_9_8_in_cl_7_6(void **state)
{
    static const struct chs g = { 0x2A6, 2, 9 };      /* max cyl 0x2A5 */
    u16 cx;
    u8 dh;

    (void)state;
    chs_pack_int13(&g, false, &cx, &dh);
    assert_int_equal(cx >> 8, 0xA5);
    assert_int_equal(cx & 0xFF, 0x80 | 9);
    assert_int_equal(dh, 1);
}

static void pack_never_underflows_on_a_one_cylinder_disk(void **state)
{
    static const struct chs g = { 1, 1, 1 };
    static const struct chs none = { 0, 0, 0 };
    u16 cx;
    u8 dh;

    (void)state;
    chs_pack_int13(&g, true, &cx, &dh);
    assert_int_equal(cx, 1);
    assert_int_equal(dh, 0);
    chs_pack_int13(&none, true, &cx, &dh);
    assert_int_equal(cx, 0);
    assert_int_equal(dh, 0);
}

static void unpack_splits_cx_and_dh(void **state)
{
    u16 cyl, head, sector;

    (void)state;
    chs_unpack_int13(0xFFFF, 0xFE80, &cyl, &head, &sector);
    assert_int_equal(cyl, 1023);
    assert_int_equal(head, 254);
    assert_int_equal(sector, 63);
    chs_unpack_int13(0x0001, 0x0080, &cyl, &head, &sector);
    assert_int_equal(cyl, 0);
    assert_int_equal(head, 0);
    assert_int_equal(sector, 1);
    chs_unpack_int13(0xA581, 0x0100, &cyl, &head, &sector);
    assert_int_equal(cyl, 0x2A5);
    assert_int_equal(head, 1);
    assert_int_equal(sector, 1);
}

static void unpack_of_packed_maximums_is_the_last_sector(void **state)
{
    static const struct chs g = { 522, 255, 63 };
    u16 cx, cyl, head, sector;
    u8 dh;
    u32 lba;

    (void)state;
    chs_pack_int13(&g, false, &cx, &dh);
    chs_unpack_int13(cx, (u16)(dh << 8 | 0x80), &cyl, &head, &sector);
    assert_int_equal(chs_to_lba(&g, cyl, head, sector, &lba), 0);
    assert_int_equal(lba, 522 * 255 * 63 - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lba_assist_10mib_disk_gets_16_heads),
        cmocka_unit_test(lba_assist_504mib_disk_is_exactly_1024x16x63),
        cmocka_unit_test(lba_assist_one_track_past_1024_cylinders_moves_to_32_heads),
        cmocka_unit_test(lba_assist_picks_the_smallest_head_count_that_fits),
        cmocka_unit_test(lba_assist_8gib_disk_gets_the_int13_maximum),
        cmocka_unit_test(lba_assist_caps_at_1024_cylinders),
        cmocka_unit_test(lba_assist_ignores_the_physical_geometry),
        cmocka_unit_test(none_keeps_a_physical_geometry_that_fits),
        cmocka_unit_test(none_clips_cylinders_of_a_large_disk_to_1024),
        cmocka_unit_test(large_doubles_heads_until_cylinders_fit),
        cmocka_unit_test(large_leaves_a_fitting_geometry_alone),
        cmocka_unit_test(large_stops_at_128_heads_and_clips_cylinders),
        cmocka_unit_test(rechs_turns_16_heads_into_15_before_shifting),
        cmocka_unit_test(rechs_on_the_ata_maximum_reaches_240_heads),
        cmocka_unit_test(rechs_without_16_heads_is_plain_bit_shift),
        cmocka_unit_test(rechs_handles_the_largest_16_bit_cylinder_count),
        cmocka_unit_test(unusable_physical_geometry_falls_back_to_lba_assist),
        cmocka_unit_test(unknown_scheme_means_lba_assist),
        cmocka_unit_test(physical_geometry_larger_than_the_disk_is_clipped_to_it),
        cmocka_unit_test(empty_disk_has_an_all_zero_geometry),
        cmocka_unit_test(tiny_disks_get_one_cylinder_inside_the_disk),
        cmocka_unit_test(every_small_disk_gets_a_valid_geometry_under_every_scheme),
        cmocka_unit_test(chs_to_lba_follows_the_standard_formula),
        cmocka_unit_test(chs_to_lba_rejects_out_of_range_addresses),
        cmocka_unit_test(chs_to_lba_rejects_results_beyond_32_bits),
        cmocka_unit_test(chs_to_lba_on_empty_geometry_always_fails),
        cmocka_unit_test(pack_reports_zero_based_maximums),
        cmocka_unit_test(pack_with_diag_cyl_reports_one_cylinder_fewer),
        cmocka_unit_test(pack_caps_the_max_cylinder_at_1023),
        cmocka_unit_test(pack_places_cylinder_bits_9_8_in_cl_7_6),
        cmocka_unit_test(pack_never_underflows_on_a_one_cylinder_disk),
        cmocka_unit_test(unpack_splits_cx_and_dh),
        cmocka_unit_test(unpack_of_packed_maximums_is_the_last_sector),
    };
    return cmocka_run_group_tests_name("chs", tests, NULL, NULL);
}
