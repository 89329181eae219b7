/* Unit tests for src/fw/nvmeid.c: NVMe Identify Controller, Identify
 * Namespace and active namespace list parsing. The data structures are
 * built here field by field at their specified offsets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw/nvmeid.h"
#include "std/nvme.h"

static void put32(u8 *p, u32 v)
{
    for (int i = 0; i < 4; i++)
        p[i] = v >> (8 * i);
}

static void put64(u8 *p, u64 v)
{
    put32(p, (u32)v);
    put32(p + 4, (u32)(v >> 32));
}

static void put_text(u8 *p, const char *s, u32 n)
{
    memset(p, ' ', n);
    memcpy(p, s, strlen(s));
}

static void make_ctrl(u8 *id)
{
    memset(id, 0, NVME_IDENTIFY_SIZE);
    put_text(id + NVME_IDCTL_SN, "SER123", NVME_IDCTL_SN_LEN);
    put_text(id + NVME_IDCTL_MN, "Kelp Test NVMe", NVME_IDCTL_MN_LEN);
    put_text(id + NVME_IDCTL_FR, "1.0", 8);
    id[NVME_IDCTL_MDTS] = 5;
    put32(id + NVME_IDCTL_NN, 8);
    id[NVME_IDCTL_VWC] = 1;
}

/* A namespace of `blocks`, formats {512, 4096, 512 + 8 metadata} with
 * format `fmt` in use. */
static void make_ns(u8 *id, u64 blocks, u8 fmt)
{
    memset(id, 0, NVME_IDENTIFY_SIZE);
    put64(id + NVME_IDNS_NSZE, blocks);
    put64(id + 8, blocks);
    id[NVME_IDNS_NLBAF] = 2;
    id[NVME_IDNS_FLBAS] = fmt;
    put32(id + NVME_IDNS_LBAF + 0, 9 << 16);
    put32(id + NVME_IDNS_LBAF + 4, 12 << 16);
    put32(id + NVME_IDNS_LBAF + 8, 9 << 16 | 8);
}

static void controller_fields(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ctrl_info ci;
    (void)state;
    make_ctrl(id);
    assert_int_equal(nvme_parse_ctrl(id, sizeof(id), 4096, &ci), 0);
    assert_string_equal(ci.model, "Kelp Test NVMe");
    assert_string_equal(ci.serial, "SER123");
    assert_string_equal(ci.firmware, "1.0");
    assert_int_equal(ci.max_bytes, 4096 << 5);
    assert_int_equal(ci.namespaces, 8);
    assert_true(ci.write_cache);
}

static void unprintable_name_bytes_are_replaced(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ctrl_info ci;
    (void)state;
    make_ctrl(id);
    id[NVME_IDCTL_MN + 2] = '\n';
    id[NVME_IDCTL_MN + 3] = 0x80;
    memset(id + NVME_IDCTL_SN, 0, NVME_IDCTL_SN_LEN);     /* NUL padded: empty */
    assert_int_equal(nvme_parse_ctrl(id, sizeof(id), 4096, &ci), 0);
    assert_string_equal(ci.model, "Ke?? Test NVMe");
    assert_string_equal(ci.serial, "");
}

static void transfer_limit(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ctrl_info ci;
    (void)state;
    make_ctrl(id);
    id[NVME_IDCTL_MDTS] = 0;            /* no limit */
    nvme_parse_ctrl(id, sizeof(id), 4096, &ci);
    assert_int_equal(ci.max_bytes, 0);
    id[NVME_IDCTL_MDTS] = 1;
    nvme_parse_ctrl(id, sizeof(id), 16384, &ci);
    assert_int_equal(ci.max_bytes, 32768);
    id[NVME_IDCTL_MDTS] = 19;           /* 2 GiB */
    nvme_parse_ctrl(id, sizeof(id), 4096, &ci);
    assert_int_equal(ci.max_bytes, 0x80000000u);
    id[NVME_IDCTL_MDTS] = 20;           /* 4 GiB: no limit in 32 bits */
    nvme_parse_ctrl(id, sizeof(id), 4096, &ci);
    assert_int_equal(ci.max_bytes, 0);
    id[NVME_IDCTL_MDTS] = 255;
    nvme_parse_ctrl(id, sizeof(id), 4096, &ci);
    assert_int_equal(ci.max_bytes, 0);
}

static void short_controller_data_is_refused(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ctrl_info ci;
    (void)state;
    make_ctrl(id);
    assert_int_equal(nvme_parse_ctrl(id, NVME_IDCTL_VWC, 4096, &ci), -1);
    assert_int_equal(nvme_parse_ctrl(id, NVME_IDCTL_VWC + 1, 4096, &ci), 0);
}

static void namespace_formats(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ns_info ns;
    (void)state;
    make_ns(id, 0x123456789ull, 0);
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_OK);
    assert_true(ns.blocks == 0x123456789ull);
    assert_int_equal(ns.block_size, 512);
    assert_int_equal(ns.format, 0);
    make_ns(id, 1000, 1);
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_OK);
    assert_int_equal(ns.block_size, 4096);
    /* FLBAS bit 4 (metadata at the end of the block) is not an index bit */
    make_ns(id, 1000, 0x10 | 1);
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_OK);
    assert_int_equal(ns.format, 1);
}

static void namespace_refusals(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ns_info ns;
    (void)state;
    make_ns(id, 0, 0);
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_INACTIVE);
    make_ns(id, 1000, 2);
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_METADATA);
    assert_int_equal(ns.meta_size, 8);
    make_ns(id, 1000, 3);               /* only formats 0-2 exist */
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_BAD_FORMAT);
    assert_int_equal(ns.format, 3);
    make_ns(id, 1000, 0);
    put32(id + NVME_IDNS_LBAF, 8 << 16);        /* 256-byte blocks */
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_BLOCK_SIZE);
    assert_int_equal(ns.block_size, 256);
    put32(id + NVME_IDNS_LBAF, 13 << 16);       /* 8 KiB */
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_BLOCK_SIZE);
    put32(id + NVME_IDNS_LBAF, 200 << 16);      /* nonsense: no undefined shift */
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_BLOCK_SIZE);
    assert_int_equal(ns.block_size, 0);
}

static void more_than_16_formats(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ns_info ns;
    (void)state;
    make_ns(id, 1000, 0);
    id[NVME_IDNS_NLBAF] = 20;
    put32(id + NVME_IDNS_LBAF + 4 * 17, 12 << 16);
    id[NVME_IDNS_FLBAS] = (1 << 5) | 1;         /* index 10001b = 17 */
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_OK);
    assert_int_equal(ns.format, 17);
    assert_int_equal(ns.block_size, 4096);
    /* with 16 formats or fewer, bits 6:5 are not part of the index */
    id[NVME_IDNS_NLBAF] = 2;
    assert_int_equal(nvme_parse_ns(id, sizeof(id), &ns), NVME_NS_OK);
    assert_int_equal(ns.format, 1);
}

static void short_namespace_data_is_refused(void **state)
{
    u8 id[NVME_IDENTIFY_SIZE];
    struct nvme_ns_info ns;
    (void)state;
    make_ns(id, 1000, 1);
    assert_int_equal(nvme_parse_ns(id, NVME_IDNS_LBAF + 3, &ns), NVME_NS_SHORT);
    /* format 1's descriptor lies beyond the bytes given */
    assert_int_equal(nvme_parse_ns(id, NVME_IDNS_LBAF + 4, &ns), NVME_NS_BAD_FORMAT);
    assert_int_equal(nvme_parse_ns(id, NVME_IDNS_LBAF + 8, &ns), NVME_NS_OK);
}

static void namespace_list(void **state)
{
    u8 list[NVME_IDENTIFY_SIZE];
    (void)state;
    memset(list, 0, sizeof(list));
    put32(list + 0, 1);
    put32(list + 4, 3);
    put32(list + 8, 7);
    assert_int_equal(nvme_ns_list_count(list, sizeof(list)), 3);
    assert_int_equal(nvme_ns_list_get(list, 2), 7);
    put32(list + 12, 7);                        /* not ascending: the end */
    assert_int_equal(nvme_ns_list_count(list, sizeof(list)), 3);
    put32(list + 12, 0xFFFFFFFF);               /* broadcast ID: the end */
    assert_int_equal(nvme_ns_list_count(list, sizeof(list)), 3);
    assert_int_equal(nvme_ns_list_count(list, 11), 2);
    memset(list, 0, sizeof(list));
    assert_int_equal(nvme_ns_list_count(list, sizeof(list)), 0);
    for (u32 i = 0; i < sizeof(list) / 4; i++)  /* full, no terminator */
        put32(list + 4 * i, i + 1);
    assert_int_equal(nvme_ns_list_count(list, sizeof(list)), 1024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controller_fields),
        cmocka_unit_test(unprintable_name_bytes_are_replaced),
        cmocka_unit_test(transfer_limit),
        cmocka_unit_test(short_controller_data_is_refused),
        cmocka_unit_test(namespace_formats),
        cmocka_unit_test(namespace_refusals),
        cmocka_unit_test(more_than_16_formats),
        cmocka_unit_test(short_namespace_data_is_refused),
        cmocka_unit_test(namespace_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
