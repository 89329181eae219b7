/* Unit tests for src/fw/eltorito.c: boot record volume descriptor and boot
 * catalog parsing. Catalogs are built here entry by entry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw/eltorito.h"

#define ES ELTORITO_ENTRY_SIZE

static void put16(u8 *p, u16 v) { p[0] = v; p[1] = v >> 8; }
static void put32(u8 *p, u32 v) { put16(p, v); put16(p + 2, v >> 16); }

static void make_brvd(u8 *sec, u32 catalog)
{
    memset(sec, 0, CD_BLOCK_SIZE);
    sec[0] = 0;
    memcpy(sec + 1, "CD001", 5);
    sec[6] = 1;
    memcpy(sec + 7, "EL TORITO SPECIFICATION", 23);
    put32(sec + 0x47, catalog);
}

/* Validation entry for platform, with a correct checksum. */
static void make_validation(u8 *e, u8 platform)
{
    memset(e, 0, ES);
    e[0] = 0x01;
    e[1] = platform;
    memcpy(e + 4, "KELP TEST", 9);
    e[0x1E] = 0x55;
    e[0x1F] = 0xAA;
    u16 sum = 0;
    for (int i = 0; i < ES; i += 2)
        sum += e[i] | e[i + 1] << 8;
    put16(e + 0x1C, (u16)-sum);
}

static void make_entry(u8 *e, u8 indicator, u8 media, u16 seg, u16 count, u32 lba)
{
    memset(e, 0, ES);
    e[0] = indicator;
    e[1] = media;
    put16(e + 2, seg);
    e[4] = media == ELTORITO_HARD_DISK ? 0x06 : 0;
    put16(e + 6, count);
    put32(e + 8, lba);
}

static void make_section(u8 *e, u8 last, u8 platform, u16 entries)
{
    memset(e, 0, ES);
    e[0] = last ? 0x91 : 0x90;
    e[1] = platform;
    put16(e + 2, entries);
}

/* A one-sector catalog: x86 validation entry and a no-emulation default. */
static void make_catalog(u8 *cat)
{
    memset(cat, 0, CD_BLOCK_SIZE);
    make_validation(cat, 0x00);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 0x1234);
}

static void boot_record_gives_catalog_block(void **state)
{
    u8 sec[CD_BLOCK_SIZE];
    u32 lba = 0;
    (void)state;
    make_brvd(sec, 0x21);
    assert_int_equal(eltorito_parse_brvd(sec, sizeof(sec), &lba), ELTORITO_OK);
    assert_int_equal(lba, 0x21);
}

static void boot_record_needs_its_identifiers(void **state)
{
    u8 sec[CD_BLOCK_SIZE];
    u32 lba = 0;
    (void)state;
    make_brvd(sec, 0x21);
    sec[0] = 1;                         /* a primary volume descriptor */
    assert_int_equal(eltorito_parse_brvd(sec, sizeof(sec), &lba), ELTORITO_ERR_NOT_BOOT_RECORD);
    make_brvd(sec, 0x21);
    sec[3] = 'X';                       /* "CDX01" */
    assert_int_equal(eltorito_parse_brvd(sec, sizeof(sec), &lba), ELTORITO_ERR_NOT_BOOT_RECORD);
    make_brvd(sec, 0x21);
    sec[7 + 23] = 'S';                  /* identifier not zero padded */
    assert_int_equal(eltorito_parse_brvd(sec, sizeof(sec), &lba), ELTORITO_ERR_NOT_BOOT_RECORD);
    make_brvd(sec, 0);
    assert_int_equal(eltorito_parse_brvd(sec, sizeof(sec), &lba), ELTORITO_ERR_CATALOG_LBA);
    assert_int_equal(lba, 0);
}

static void truncated_boot_record_is_refused(void **state)
{
    u8 sec[CD_BLOCK_SIZE];
    u32 lba = 0;
    (void)state;
    make_brvd(sec, 0x21);
    assert_int_equal(eltorito_parse_brvd(sec, 0x4A, &lba), ELTORITO_ERR_SHORT);
    assert_int_equal(eltorito_parse_brvd(sec, 0x4B, &lba), ELTORITO_OK);
    /* The parser reads nothing past len: a heap copy of exactly 0x4A
     * bytes lets the sanitizer catch any overread. */
    u8 *p = malloc(0x4A);
    memcpy(p, sec, 0x4A);
    assert_int_equal(eltorito_parse_brvd(p, 0x4A, &lba), ELTORITO_ERR_SHORT);
    free(p);
}

static void valid_no_emulation_default_entry(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    memset(&img, 0xEE, sizeof(img));
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_OK);
    assert_int_equal(img.media, ELTORITO_NO_EMULATION);
    assert_int_equal(img.load_seg, 0x07C0);     /* 0 in the catalog */
    assert_int_equal(img.count, 4);
    assert_int_equal(img.lba, 0x1234);
    assert_int_equal(img.from_section, 0);
}

static void load_segment_and_media_are_kept(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    make_entry(cat + ES, 0x88, ELTORITO_HARD_DISK, 0x2000, 1, 99);
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_OK);
    assert_int_equal(img.media, ELTORITO_HARD_DISK);
    assert_int_equal(img.load_seg, 0x2000);
    assert_int_equal(img.sys_type, 0x06);
    assert_int_equal(img.count, 1);
    assert_int_equal(img.lba, 99);
}

static void bad_checksum_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    cat[5] ^= 0x01;                     /* ID string changed, checksum not */
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_CHECKSUM);
}

static void missing_55aa_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    cat[0x1F] = 0x00;
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_KEY);
    make_catalog(cat);
    cat[0x1E] = 0xAA;
    cat[0x1F] = 0x55;
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_KEY);
}

static void wrong_header_id_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    cat[0] = 0x88;
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_HEADER);
}

static void non_x86_platform_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    memset(cat, 0, sizeof(cat));
    make_validation(cat, 0xEF);         /* UEFI only */
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 50);
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_NO_X86);
    make_validation(cat, 0x01);         /* PowerPC */
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_NO_X86);
}

static void not_bootable_default_without_sections_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    cat[ES] = 0x00;
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_NO_X86);
}

static void unknown_media_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    cat[ES + 1] = 0x05;
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_MEDIA);
}

static void truncated_catalog_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    make_catalog(cat);
    assert_int_equal(eltorito_parse_catalog(cat, 0, &img), ELTORITO_ERR_SHORT);
    assert_int_equal(eltorito_parse_catalog(cat, ES, &img), ELTORITO_ERR_SHORT);
    assert_int_equal(eltorito_parse_catalog(cat, 2 * ES - 1, &img), ELTORITO_ERR_SHORT);
    /* Exactly the two entries, in a buffer of that size. */
    u8 *p = malloc(2 * ES);
    memcpy(p, cat, 2 * ES);
    assert_int_equal(eltorito_parse_catalog(p, 2 * ES, &img), ELTORITO_OK);
    free(p);
}

/* UEFI default entry first (validation platform EFh), then an x86 section:
 * the x86 entry is chosen. Hybrid ISOs look like this. */
static void x86_section_entry_is_found(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    memset(cat, 0, sizeof(cat));
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 8, 40);
    make_section(cat + 2 * ES, 0, 0xEF, 1);
    make_entry(cat + 3 * ES, 0x88, ELTORITO_NO_EMULATION, 0, 8, 41);
    make_section(cat + 4 * ES, 1, 0x00, 2);
    make_entry(cat + 5 * ES, 0x00, ELTORITO_NO_EMULATION, 0, 4, 42);   /* not bootable */
    make_entry(cat + 6 * ES, 0x88, ELTORITO_FLOPPY_1_44, 0x1000, 1, 43);
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_OK);
    assert_int_equal(img.lba, 43);
    assert_int_equal(img.media, ELTORITO_FLOPPY_1_44);
    assert_int_equal(img.load_seg, 0x1000);
    assert_int_equal(img.from_section, 2);
}

/* Extension entries (44h) after a section entry are skipped, not read as
 * entries of their own. */
static void extension_entries_are_skipped(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    memset(cat, 0, sizeof(cat));
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 40);
    make_section(cat + 2 * ES, 1, 0x00, 2);
    make_entry(cat + 3 * ES, 0x00, ELTORITO_NO_EMULATION, 0, 4, 41);
    cat[3 * ES + 1] |= 0x20;            /* an extension follows */
    cat[4 * ES] = 0x44;
    cat[4 * ES + 1] = 0x20;             /* and another */
    cat[5 * ES] = 0x44;
    cat[5 * ES + 1] = 0x00;
    make_entry(cat + 6 * ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 44);
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_OK);
    assert_int_equal(img.lba, 44);
}

/* A section header claiming 65535 entries, only blank ones present: the
 * walk ends at the end of the buffer. */
static void oversized_section_count_stops_at_buffer_end(void **state)
{
    (void)state;
    u8 *cat = calloc(1, 4 * ES);
    struct eltorito_image img;
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 40);
    make_section(cat + 2 * ES, 1, 0x00, 0xFFFF);
    make_entry(cat + 3 * ES, 0x00, ELTORITO_NO_EMULATION, 0, 4, 41);
    assert_int_equal(eltorito_parse_catalog(cat, 4 * ES, &img), ELTORITO_ERR_NO_X86);
    /* The same with the bootable entry cut off by len. */
    make_entry(cat + 3 * ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 41);
    assert_int_equal(eltorito_parse_catalog(cat, 4 * ES - 1, &img), ELTORITO_ERR_NO_X86);
    assert_int_equal(eltorito_parse_catalog(cat, 4 * ES, &img), ELTORITO_OK);
    free(cat);
}

/* Headers that never say "last" (90h) and have no entries, filling the
 * whole buffer, and an extension chain that never ends: both walks stop. */
static void endless_sections_and_extensions_stop(void **state)
{
    (void)state;
    const u32 len = 64 * ES;
    u8 *cat = calloc(1, len);
    struct eltorito_image img;
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 40);
    for (u32 off = 2 * ES; off < len; off += ES)
        make_section(cat + off, 0, 0x00, 0);
    assert_int_equal(eltorito_parse_catalog(cat, len, &img), ELTORITO_ERR_NO_X86);

    memset(cat + 2 * ES, 0, len - 2 * ES);
    make_section(cat + 2 * ES, 1, 0x00, 2);
    make_entry(cat + 3 * ES, 0x00, ELTORITO_NO_EMULATION, 0, 4, 41);
    cat[3 * ES + 1] |= 0x20;
    for (u32 off = 4 * ES; off < len; off += ES) {
        cat[off] = 0x44;
        cat[off + 1] = 0x20;            /* "more follow", forever */
    }
    assert_int_equal(eltorito_parse_catalog(cat, len, &img), ELTORITO_ERR_NO_X86);
    free(cat);
}

/* An entry that is neither a section entry nor blank where the header
 * promised entries ends the walk. */
static void garbage_in_a_section_is_refused(void **state)
{
    u8 cat[CD_BLOCK_SIZE];
    struct eltorito_image img;
    (void)state;
    memset(cat, 0, sizeof(cat));
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 40);
    make_section(cat + 2 * ES, 1, 0x00, 2);
    memset(cat + 3 * ES, 0x5A, ES);
    make_entry(cat + 4 * ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 42);
    assert_int_equal(eltorito_parse_catalog(cat, sizeof(cat), &img), ELTORITO_ERR_NO_X86);
}

/* Every length of a real catalog, each in an exact-size heap buffer, and
 * every single-byte corruption: no result may come from bytes past len and
 * no read may go there (the sanitizer watches). */
static void every_length_and_byte_is_safe(void **state)
{
    u8 cat[8 * ES];
    struct eltorito_image img;
    (void)state;
    memset(cat, 0, sizeof(cat));
    make_validation(cat, 0xEF);
    make_entry(cat + ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 40);
    make_section(cat + 2 * ES, 1, 0x00, 3);
    make_entry(cat + 3 * ES, 0x00, ELTORITO_NO_EMULATION, 0, 4, 41);
    cat[3 * ES + 1] |= 0x20;
    cat[4 * ES] = 0x44;
    make_entry(cat + 5 * ES, 0x88, ELTORITO_NO_EMULATION, 0, 4, 45);
    for (u32 len = 0; len <= sizeof(cat); len++) {
        u8 *p = malloc(len ? len : 1);
        memcpy(p, cat, len);
        int r = eltorito_parse_catalog(p, len, &img);
        if (len >= 6 * ES)
            assert_int_equal(r, ELTORITO_OK);
        else
            assert_int_not_equal(r, ELTORITO_OK);
        for (u32 i = 0; i < len; i++) {
            u8 keep = p[i];
            for (int v = 0; v < 256; v += 51) {
                p[i] = v;
                eltorito_parse_catalog(p, len, &img);
            }
            p[i] = keep;
        }
        free(p);
    }
}

static void load_blocks_round_up(void **state)
{
    (void)state;
    assert_int_equal(eltorito_load_blocks(0), 1);
    assert_int_equal(eltorito_load_blocks(1), 1);
    assert_int_equal(eltorito_load_blocks(4), 1);
    assert_int_equal(eltorito_load_blocks(5), 2);
    assert_int_equal(eltorito_load_blocks(0xFFFF), 0x4000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_record_gives_catalog_block),
        cmocka_unit_test(boot_record_needs_its_identifiers),
        cmocka_unit_test(truncated_boot_record_is_refused),
        cmocka_unit_test(valid_no_emulation_default_entry),
        cmocka_unit_test(load_segment_and_media_are_kept),
        cmocka_unit_test(bad_checksum_is_refused),
        cmocka_unit_test(missing_55aa_is_refused),
        cmocka_unit_test(wrong_header_id_is_refused),
        cmocka_unit_test(non_x86_platform_is_refused),
        cmocka_unit_test(not_bootable_default_without_sections_is_refused),
        cmocka_unit_test(unknown_media_is_refused),
        cmocka_unit_test(truncated_catalog_is_refused),
        cmocka_unit_test(x86_section_entry_is_found),
        cmocka_unit_test(extension_entries_are_skipped),
        cmocka_unit_test(oversized_section_count_stops_at_buffer_end),
        cmocka_unit_test(endless_sections_and_extensions_stop),
        cmocka_unit_test(garbage_in_a_section_is_refused),
        cmocka_unit_test(every_length_and_byte_is_safe),
        cmocka_unit_test(load_blocks_round_up),
    };
    return cmocka_run_group_tests_name("eltorito", tests, NULL, NULL);
}
