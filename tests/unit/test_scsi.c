/* Unit tests for src/hw/scsi.c: command blocks, sense data, the INT 13h
 * status of a failed command, REPORT LUNS answers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hw/scsi.h"
#include "hw/ata.h"

/* ---- READ/WRITE/VERIFY ---- */

static void small_read_uses_read10_big_endian(void **state)
{
    (void)state;
    u8 cdb[16];
    memset(cdb, 0xEE, sizeof(cdb));
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_READ, 0x12345678, 0x0102), 10);
    static const u8 want[10] = { 0x28, 0, 0x12, 0x34, 0x56, 0x78, 0, 0x01, 0x02, 0 };
    assert_memory_equal(cdb, want, 10);
}

static void write_sets_fua_verify_does_not(void **state)
{
    (void)state;
    u8 cdb[16];
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_WRITE, 7, 1), 10);
    assert_int_equal(cdb[0], SCSI_WRITE10);
    assert_int_equal(cdb[1], SCSI_CDB_FUA);
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_VERIFY, 7, 1), 10);
    assert_int_equal(cdb[0], SCSI_VERIFY10);
    assert_int_equal(cdb[1], 0);
}

static void last_block_below_2_32_still_fits_read10(void **state)
{
    (void)state;
    u8 cdb[16];
    /* Blocks FFFFFFFEh and FFFFFFFFh: the 10-byte form reaches them. */
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_READ, 0xFFFFFFFEull, 2), 10);
    assert_int_equal(scsi_be32(cdb + 2), 0xFFFFFFFE);
}

static void blocks_past_2_32_use_read16(void **state)
{
    (void)state;
    u8 cdb[16];
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_READ, 0xFFFFFFFFull, 2), 16);
    assert_int_equal(cdb[0], SCSI_READ16);
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_WRITE, 0x123456789Aull, 8), 16);
    static const u8 want[16] = { 0x8A, SCSI_CDB_FUA, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9A,
                                 0, 0, 0, 8, 0, 0 };
    assert_memory_equal(cdb, want, 16);
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_VERIFY, 1ull << 40, 1), 16);
    assert_int_equal(cdb[0], SCSI_VERIFY16);
}

static void count_over_16_bits_uses_read16(void **state)
{
    (void)state;
    u8 cdb[16];
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_READ, 0, 0xFFFF), 10);
    assert_int_equal(scsi_cdb_rw(cdb, ATA_OP_READ, 0, 0x10000), 16);
    assert_int_equal(scsi_be32(cdb + 10), 0x10000);
}

/* ---- sense data ---- */

static void fixed_sense_gives_key_asc_ascq(void **state)
{
    (void)state;
    u8 s[18] = { 0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x11, 0x04 };
    struct scsi_result r = { .status = SCSI_CHECK_CONDITION };
    scsi_sense_parse(&r, s, sizeof(s));
    assert_int_equal(r.key, SCSI_KEY_MEDIUM_ERROR);
    assert_int_equal(r.asc, 0x11);
    assert_int_equal(r.ascq, 0x04);
}

static void descriptor_sense_gives_key_asc_ascq(void **state)
{
    (void)state;
    u8 s[8] = { 0x72, 0x05, 0x21, 0x00, 0, 0, 0, 0 };
    struct scsi_result r = { .status = SCSI_CHECK_CONDITION };
    scsi_sense_parse(&r, s, sizeof(s));
    assert_int_equal(r.key, SCSI_KEY_ILLEGAL_REQUEST);
    assert_int_equal(r.asc, 0x21);
}

static void short_or_unknown_sense_keeps_what_is_there(void **state)
{
    (void)state;
    struct scsi_result r = { .key = 9, .asc = 9, .ascq = 9 };
    u8 fixed3[3] = { 0xF0, 0, 0x06 };            /* valid bit set, no ASC yet */
    scsi_sense_parse(&r, fixed3, sizeof(fixed3));
    assert_int_equal(r.key, SCSI_KEY_UNIT_ATTENTION);
    assert_int_equal(r.asc, 0);
    u8 odd[18] = { 0x7F, 0x05, 0x05, 0x05 };
    scsi_sense_parse(&r, odd, sizeof(odd));
    assert_int_equal(r.key, 0);
    scsi_sense_parse(&r, odd, 0);
    assert_int_equal(r.key, 0);
}

/* ---- INT 13h status ---- */

static u8 status_of(u8 status, u8 key, u8 asc, u32 resid, bool write)
{
    struct scsi_result r = { status, key, asc, 0, resid };
    return scsi_disk_status(&r, write);
}

static void good_is_ok_unless_data_is_missing(void **state)
{
    (void)state;
    assert_int_equal(status_of(SCSI_GOOD, 0, 0, 0, false), DISK_RET_OK);
    assert_int_equal(status_of(SCSI_GOOD, 0, 0, 512, false), DISK_RET_CTRL_FAIL);
}

static void failures_never_map_to_success(void **state)
{
    (void)state;
    for (int key = 0; key < 16; key++) {
        if (key == SCSI_KEY_RECOVERED)
            continue;
        for (int wr = 0; wr < 2; wr++)
            assert_int_not_equal(status_of(SCSI_CHECK_CONDITION, key, 0, 0, wr), DISK_RET_OK);
    }
    assert_int_not_equal(status_of(SCSI_BUSY, 0, 0, 0, false), DISK_RET_OK);
    assert_int_not_equal(status_of(0x18, 0, 0, 0, true), DISK_RET_OK);   /* reservation conflict */
    assert_int_not_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_RECOVERED, 0, 4, false),
                         DISK_RET_OK);
}

static void sense_keys_map_to_int13_statuses(void **state)
{
    (void)state;
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_RECOVERED, 0, 0, false),
                     DISK_RET_OK);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_NOT_READY, 0x04, 0, false),
                     DISK_RET_NOT_READY);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_NOT_READY, 0x3A, 0, false),
                     DISK_RET_NO_MEDIA);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_MEDIUM_ERROR, 0x11, 0, false),
                     DISK_RET_ECC);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_MEDIUM_ERROR, 0x0C, 0, true),
                     DISK_RET_WRITE_FAULT);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_ILLEGAL_REQUEST, 0x21, 0, false),
                     DISK_RET_NOT_FOUND);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_ILLEGAL_REQUEST, 0x20, 0, false),
                     DISK_RET_PARAM);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_UNIT_ATTENTION, 0x29, 0, false),
                     DISK_RET_CHANGED);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_DATA_PROTECT, 0x27, 0, true),
                     DISK_RET_WRITE_PROTECT);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_ABORTED, 0, 0, false),
                     DISK_RET_CTRL_FAIL);
    assert_int_equal(status_of(SCSI_CHECK_CONDITION, SCSI_KEY_ABORTED, 0, 0, true),
                     DISK_RET_WRITE_FAULT);
    assert_int_equal(status_of(SCSI_BUSY, 0, 0, 0, false), DISK_RET_NOT_READY);
}

/* ---- REPORT LUNS ---- */

static size_t luns_answer(u8 *buf, const u8 (*entries)[8], int n, u32 list_len)
{
    memset(buf, 0, 8);
    scsi_put_be32(buf, list_len);
    for (int i = 0; i < n; i++)
        memcpy(buf + 8 + 8 * i, entries[i], 8);
    return 8 + 8 * (size_t)n;
}

static void report_luns_sorted_and_decoded(void **state)
{
    (void)state;
    static const u8 e[][8] = {
        { 0x00, 0x05 },             /* peripheral addressing, LUN 5 */
        { 0x40, 0x02 },             /* flat space, LUN 2 */
        { 0x41, 0x00 },             /* flat space, LUN 256 */
        { 0x00, 0x00 },             /* LUN 0 */
        { 0x00, 0x05 },             /* duplicate */
    };
    u8 buf[64];
    size_t len = luns_answer(buf, e, 5, 40);
    u32 luns[8];
    assert_int_equal(scsi_parse_report_luns(buf, len, luns, 8), 4);
    assert_int_equal(luns[0], 0);
    assert_int_equal(luns[1], 2);
    assert_int_equal(luns[2], 5);
    assert_int_equal(luns[3], 256);
}

static void report_luns_skips_what_it_cannot_address(void **state)
{
    (void)state;
    static const u8 e[][8] = {
        { 0x01, 0x03 },             /* peripheral addressing on bus 1 */
        { 0x80, 0x01 },             /* logical unit addressing */
        { 0x00, 0x01, 0x00, 0x02 }, /* a second level */
        { 0x00, 0x07 },
    };
    u8 buf[64];
    size_t len = luns_answer(buf, e, 4, 32);
    u32 luns[8];
    assert_int_equal(scsi_parse_report_luns(buf, len, luns, 8), 1);
    assert_int_equal(luns[0], 7);
}

static void report_luns_keeps_the_lowest_when_full(void **state)
{
    (void)state;
    static const u8 e[][8] = { { 0, 9 }, { 0, 3 }, { 0, 7 }, { 0, 1 }, { 0, 8 } };
    u8 buf[64];
    size_t len = luns_answer(buf, e, 5, 40);
    u32 luns[3];
    assert_int_equal(scsi_parse_report_luns(buf, len, luns, 3), 3);
    assert_int_equal(luns[0], 1);
    assert_int_equal(luns[1], 3);
    assert_int_equal(luns[2], 7);
}

static void report_luns_truncated_or_malformed(void **state)
{
    (void)state;
    static const u8 e[][8] = { { 0, 1 }, { 0, 2 }, { 0, 3 } };
    u8 buf[64];
    u32 luns[8];
    /* The device has more than fit the allocation length: take what came. */
    luns_answer(buf, e, 3, 24);
    assert_int_equal(scsi_parse_report_luns(buf, 8 + 16, luns, 8), 2);
    /* The list is shorter than the buffer: stop at its end. */
    luns_answer(buf, e, 3, 8);
    assert_int_equal(scsi_parse_report_luns(buf, 32, luns, 8), 1);
    /* Not a multiple of 8, or no header at all. */
    luns_answer(buf, e, 3, 20);
    assert_int_equal(scsi_parse_report_luns(buf, 32, luns, 8), -1);
    assert_int_equal(scsi_parse_report_luns(buf, 7, luns, 8), -1);
    /* An empty list is valid. */
    luns_answer(buf, e, 0, 0);
    assert_int_equal(scsi_parse_report_luns(buf, 8, luns, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_read_uses_read10_big_endian),
        cmocka_unit_test(write_sets_fua_verify_does_not),
        cmocka_unit_test(last_block_below_2_32_still_fits_read10),
        cmocka_unit_test(blocks_past_2_32_use_read16),
        cmocka_unit_test(count_over_16_bits_uses_read16),
        cmocka_unit_test(fixed_sense_gives_key_asc_ascq),
        cmocka_unit_test(descriptor_sense_gives_key_asc_ascq),
        cmocka_unit_test(short_or_unknown_sense_keeps_what_is_there),
        cmocka_unit_test(good_is_ok_unless_data_is_missing),
        cmocka_unit_test(failures_never_map_to_success),
        cmocka_unit_test(sense_keys_map_to_int13_statuses),
        cmocka_unit_test(report_luns_sorted_and_decoded),
        cmocka_unit_test(report_luns_skips_what_it_cannot_address),
        cmocka_unit_test(report_luns_keeps_the_lowest_when_full),
        cmocka_unit_test(report_luns_truncated_or_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
