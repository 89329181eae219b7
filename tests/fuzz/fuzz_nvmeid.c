/* Fuzz target: NVMe Identify data (src/fw/nvmeid.c).
 *
 * Input: the controller's minimum page size as a shift of 4 KiB (u8, low
 * 4 bits), then the bytes of an Identify data structure, given to the
 * controller, namespace and namespace list parsers alike.
 *
 * Checked: nothing is read past the given length (AddressSanitizer,
 * exact-size heap copy); controller data is refused exactly when too short
 * for its last field, and names come out NUL-terminated, printable, with
 * no trailing blank and no longer than their field; the transfer limit is
 * 0 or the page size times a power of two; an accepted namespace has
 * blocks, a block size of 512 to 4096 bytes, no metadata, and a format
 * index the structure lists and the bytes hold; the namespace list count
 * stays within the bytes and its IDs ascend, none 0 or FFFFFFFFh. */
#include "fuzz_input.h"
#include "fw/nvmeid.h"
#include "std/nvme.h"

static u32 le32(const u8 *p)
{
    return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void check_name(const char *s, size_t field)
{
    size_t n = strlen(s);
    FUZZ_ASSERT(n <= field);
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT(s[i] >= ' ' && s[i] < 0x7F);
    FUZZ_ASSERT(!n || s[n - 1] != ' ');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u32 min_page = 4096u << (fin_u8(&f) & 0x0F);
    u32 len = (u32)f.n;
    u8 *id = fin_dup(f.p, len);

    struct nvme_ctrl_info ci;
    int r = nvme_parse_ctrl(id, len, min_page, &ci);
    FUZZ_ASSERT((r == 0) == (len > NVME_IDCTL_VWC));
    if (r == 0) {
        check_name(ci.model, NVME_IDCTL_MN_LEN);
        check_name(ci.serial, NVME_IDCTL_SN_LEN);
        check_name(ci.firmware, 8);
        FUZZ_ASSERT(ci.namespaces == le32(id + NVME_IDCTL_NN));
        if (ci.max_bytes) {
            u32 pages = ci.max_bytes / min_page;
            FUZZ_ASSERT(ci.max_bytes % min_page == 0 && pages && !(pages & (pages - 1)));
            FUZZ_ASSERT(pages == 1u << id[NVME_IDCTL_MDTS]);
        }
    }

    struct nvme_ns_info ns;
    r = nvme_parse_ns(id, len, &ns);
    FUZZ_ASSERT(r >= NVME_NS_OK && r <= NVME_NS_METADATA);
    if (r == NVME_NS_OK) {
        FUZZ_ASSERT(ns.blocks != 0 && ns.meta_size == 0);
        FUZZ_ASSERT(ns.block_size >= 512 && ns.block_size <= 4096
                    && !(ns.block_size & (ns.block_size - 1)));
        FUZZ_ASSERT(ns.format <= id[NVME_IDNS_NLBAF]);
        FUZZ_ASSERT(NVME_IDNS_LBAF + 4u * (ns.format + 1) <= len);
        FUZZ_ASSERT(ns.block_size == 1u << NVME_LBAF_LBADS(le32(id + NVME_IDNS_LBAF
                                                               + 4 * ns.format)));
    }

    u32 n = nvme_ns_list_count(id, len);
    FUZZ_ASSERT(4 * (u64)n <= len);
    for (u32 i = 0; i < n; i++) {
        u32 v = nvme_ns_list_get(id, i);
        FUZZ_ASSERT(v != 0 && v != 0xFFFFFFFF);
        FUZZ_ASSERT(i == 0 || v > nvme_ns_list_get(id, i - 1));
    }
    free(id);
    return 0;
}
