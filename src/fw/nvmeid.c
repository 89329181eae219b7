/* NVMe Identify data parsing (see fw/nvmeid.h). Fields are little-endian
 * and read byte by byte; no library calls, so the module links alone in
 * every build. */
#include "nvmeid.h"
#include "../std/nvme.h"

static u32 le32(const u8 *p)
{
    return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* A space-padded ASCII field as a C string: trailing blanks and NULs
 * dropped, anything unprintable shown as '?', so a log line stays one
 * line whatever the device sends. */
static void ascii_field(const u8 *p, u32 n, char *out)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == 0))
        n--;
    for (u32 i = 0; i < n; i++)
        out[i] = p[i] >= ' ' && p[i] < 0x7F ? (char)p[i] : '?';
    out[n] = 0;
}

int nvme_parse_ctrl(const u8 *id, u32 len, u32 min_page, struct nvme_ctrl_info *ci)
{
    if (len < NVME_IDCTL_VWC + 1)
        return -1;
    ascii_field(id + NVME_IDCTL_MN, NVME_IDCTL_MN_LEN, ci->model);
    ascii_field(id + NVME_IDCTL_SN, NVME_IDCTL_SN_LEN, ci->serial);
    ascii_field(id + NVME_IDCTL_FR, 8, ci->firmware);
    u8 mdts = id[NVME_IDCTL_MDTS];
    ci->max_bytes = 0;
    if (mdts) {
        /* Limits of 4 GiB and more do not limit anything here. */
        u64 bytes = (u64)min_page << (mdts < 40 ? mdts : 40);
        ci->max_bytes = bytes >= 0x100000000ull ? 0 : (u32)bytes;
    }
    ci->namespaces = le32(id + NVME_IDCTL_NN);
    ci->write_cache = id[NVME_IDCTL_VWC] & 1;
    return 0;
}

int nvme_parse_ns(const u8 *id, u32 len, struct nvme_ns_info *ns)
{
    if (len < NVME_IDNS_LBAF + 4)
        return NVME_NS_SHORT;
    ns->blocks = le32(id + NVME_IDNS_NSZE) | (u64)le32(id + NVME_IDNS_NSZE + 4) << 32;
    if (!ns->blocks)
        return NVME_NS_INACTIVE;
    u8 nlbaf = id[NVME_IDNS_NLBAF], flbas = id[NVME_IDNS_FLBAS];
    /* With more than 16 formats, FLBAS bits 6:5 are the index's bits 5:4. */
    u8 fmt = flbas & 0x0F;
    if (nlbaf >= 16)
        fmt |= (flbas >> 1) & 0x30;
    ns->format = fmt;
    if (fmt > nlbaf || fmt >= NVME_MAX_LBAF || len < NVME_IDNS_LBAF + 4u * (fmt + 1))
        return NVME_NS_BAD_FORMAT;
    u32 lbaf = le32(id + NVME_IDNS_LBAF + 4 * fmt);
    u8 lbads = NVME_LBAF_LBADS(lbaf);
    ns->meta_size = NVME_LBAF_MS(lbaf);
    ns->block_size = lbads < 32 ? 1u << lbads : 0;
    if (lbads < 9 || lbads > 12)
        return NVME_NS_BLOCK_SIZE;
    if (ns->meta_size)
        return NVME_NS_METADATA;
    return NVME_NS_OK;
}

u32 nvme_ns_list_count(const u8 *list, u32 len)
{
    u32 n = 0, last = 0;
    for (; 4 * n + 4 <= len; n++) {
        u32 id = le32(list + 4 * n);
        if (id <= last || id == 0xFFFFFFFF)     /* FFFFFFFFh: all namespaces */
            break;
        last = id;
    }
    return n;
}

u32 nvme_ns_list_get(const u8 *list, u32 i)
{
    return le32(list + 4 * i);
}
