/* Unit tests for src/boot/mbr.c: which partition tables INT 19h refuses.
 * The layouts that must keep booting come from tools in real use (fdisk,
 * GPT protective entries, xorriso/isohybrid images, FAT and exFAT volumes
 * without a partition table). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/mbr.h"

#define DISK 1048576ull                 /* 512 MiB */

static u8 sec[512];

static void put32(u8 *p, u32 v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

/* A boot sector with some code, no partitions and 55AAh. */
static void blank(void)
{
    memset(sec, 0, sizeof(sec));
    sec[0] = 0xFA;                      /* cli; xor ax, ax */
    sec[1] = 0x31;
    sec[2] = 0xC0;
    sec[510] = 0x55;
    sec[511] = 0xAA;
}

static void entry(int n, u8 flag, u8 type, u32 start, u32 size)
{
    u8 *e = sec + MBR_TABLE + (n - 1) * MBR_ENTRY_SIZE;
    e[MBR_E_FLAG] = flag;
    e[MBR_E_TYPE] = type;
    put32(e + MBR_E_START, start);
    put32(e + MBR_E_SIZE, size);
}

static int check(u64 sectors, int *at)
{
    *at = -1;
    return mbr_check(sec, sectors, at);
}

static void empty_table_is_fine(void **state)
{
    int at;
    (void)state;
    blank();
    assert_int_equal(check(DISK, &at), MBR_OK);
    assert_int_equal(at, 0);
}

static void ordinary_partitions_are_fine(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x80, 0x83, 2048, 204800);
    entry(2, 0x00, 0x82, 206848, 65536);
    entry(3, 0x00, 0x05, 272384, DISK - 272384);    /* up to the last sector */
    assert_int_equal(check(DISK, &at), MBR_OK);
    assert_int_equal(at, 0);
}

static void bad_boot_indicator_is_refused(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x80, 0x83, 2048, 2048);
    entry(2, 0x7F, 0x83, 4096, 2048);
    assert_int_equal(check(DISK, &at), MBR_BAD_FLAG);
    assert_int_equal(at, 2);
    /* also in an entry that is otherwise unused */
    blank();
    entry(4, 0x01, 0x00, 0, 0);
    assert_int_equal(check(DISK, &at), MBR_BAD_FLAG);
    assert_int_equal(at, 4);
}

static void partition_past_the_end_is_refused(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x80, 0x83, 2048, DISK - 2048 + 1);
    assert_int_equal(check(DISK, &at), MBR_OUTSIDE);
    assert_int_equal(at, 1);
    /* starting beyond the end */
    blank();
    entry(3, 0x00, 0x07, DISK + 10, 1);
    assert_int_equal(check(DISK, &at), MBR_OUTSIDE);
    assert_int_equal(at, 3);
    /* unknown disk size: nothing to compare with */
    blank();
    entry(1, 0x80, 0x83, 2048, 0xFFFFFFF0);
    assert_int_equal(check(0, &at), MBR_OK);
}

static void end_above_2_32_is_computed_exactly(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x00, 0x83, 0xFFFFFF00, 0x200);        /* ends at 2^32 + 100h */
    assert_int_equal(check(0x100000100ull, &at), MBR_OK);
    assert_int_equal(check(0x1000000FFull, &at), MBR_OUTSIDE);
}

static void partial_overlap_is_refused(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x80, 0x83, 2048, 10000);
    entry(2, 0x00, 0x83, 12048, 10000);     /* right after the first */
    entry(3, 0x00, 0x83, 21000, 5000);      /* into the second */
    assert_int_equal(check(DISK, &at), MBR_OVERLAP);
    assert_int_equal(at, 3);
}

static void hybrid_iso_layouts_are_fine(void **state)
{
    int at;
    (void)state;
    /* xorriso: an active type 00h entry over the whole ISO from LBA 0 and
     * the EFI image inside it */
    blank();
    entry(1, 0x80, 0x00, 0, 1286144);
    entry(2, 0x00, 0xEF, 4476, 4608);
    assert_int_equal(check(1286144, &at), MBR_OK);
    /* isohybrid: type 17h over the ISO, EFI image nested */
    blank();
    entry(1, 0x80, 0x17, 0, 600000);
    entry(2, 0x00, 0xEF, 1000, 5760);
    assert_int_equal(check(600000, &at), MBR_OK);
}

static void gpt_protective_entry(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x00, MBR_TYPE_GPT, 1, DISK - 1);
    assert_int_equal(check(DISK, &at), MBR_OK);
    /* FFFFFFFFh sectors: allowed whatever the disk size */
    blank();
    entry(1, 0x00, MBR_TYPE_GPT, 1, 0xFFFFFFFF);
    assert_int_equal(check(DISK, &at), MBR_OK);
    /* any other size past the end is not */
    blank();
    entry(1, 0x00, MBR_TYPE_GPT, 1, DISK);
    assert_int_equal(check(DISK, &at), MBR_OUTSIDE);
}

static void zero_sized_entries_take_no_room(void **state)
{
    int at;
    (void)state;
    blank();
    entry(1, 0x00, 0x83, 2048, 10000);
    entry(2, 0x00, 0x83, 5000, 0);
    entry(3, 0x00, 0x00, 3000, 9000);     /* unused: its range means nothing */
    entry(4, 0x00, 0x83, DISK + 10, 0);
    assert_int_equal(check(DISK, &at), MBR_OK);
}

static void volume_boot_records_have_no_table(void **state)
{
    int at;
    (void)state;
    /* FAT: jump, BPB with 512-byte sectors and 8 per cluster; its boot
     * code and message fill the table area */
    blank();
    sec[0] = 0xEB;
    sec[1] = 0x3C;
    sec[2] = 0x90;
    memcpy(sec + 3, "MSDOS5.0", 8);
    sec[0x0B] = 0x00;
    sec[0x0C] = 0x02;
    sec[0x0D] = 8;
    memset(sec + MBR_TABLE, 0x4E, 64);
    assert_int_equal(check(DISK, &at), MBR_OK);
    /* exFAT: the BPB fields are zero, the name says it */
    blank();
    sec[0] = 0xEB;
    sec[1] = 0x76;
    sec[2] = 0x90;
    memcpy(sec + 3, "EXFAT   ", 8);
    memset(sec + MBR_TABLE, 0x4E, 64);
    assert_int_equal(check(DISK, &at), MBR_OK);
}

static void jump_without_bpb_is_an_mbr(void **state)
{
    int at;
    (void)state;
    /* GRUB's MBR starts with a jump over an empty BPB area */
    blank();
    sec[0] = 0xEB;
    sec[1] = 0x63;
    sec[2] = 0x90;
    entry(1, 0x42, 0x83, 2048, 2048);
    assert_int_equal(check(DISK, &at), MBR_BAD_FLAG);
    /* a cluster size that is not a power of two is no BPB either */
    sec[0x0C] = 0x02;
    sec[0x0D] = 3;
    assert_int_equal(check(DISK, &at), MBR_BAD_FLAG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_table_is_fine),
        cmocka_unit_test(ordinary_partitions_are_fine),
        cmocka_unit_test(bad_boot_indicator_is_refused),
        cmocka_unit_test(partition_past_the_end_is_refused),
        cmocka_unit_test(end_above_2_32_is_computed_exactly),
        cmocka_unit_test(partial_overlap_is_refused),
        cmocka_unit_test(hybrid_iso_layouts_are_fine),
        cmocka_unit_test(gpt_protective_entry),
        cmocka_unit_test(zero_sized_entries_take_no_room),
        cmocka_unit_test(volume_boot_records_have_no_table),
        cmocka_unit_test(jump_without_bpb_is_an_mbr),
    };
    return cmocka_run_group_tests_name("mbr", tests, NULL, NULL);
}
