/* Fuzz target: hvmloader's info block (src/fw/xen.c).
 *
 * Input: flags (u8), the view's base address (u32), the info block's
 * offset in the view (u16), then the view's bytes (the guest memory the
 * parser may read). Flag bit 0 seals the info block's checksum (over its
 * own length byte, when the block lies inside the view) so the parser
 * gets past it; bit 1 makes the table and e820 pointers relative to the
 * view's base, so they usually land inside it.
 *
 * Checked: nothing is read outside the view (AddressSanitizer, exact-size
 * heap copy); xen_info_check() accepts exactly the blocks with the
 * signature, a length from 32 to what is left, and a zero sum; a
 * successful parse returns at most 8 table pointers, each the u32 found
 * at the table list in the view, and an e820 map that is well formed and
 * equals the records loaded one by one. */
#include "fuzz_input.h"
#include "fw/xen.h"
#include "lib/checksum.h"

static u32 get32(const u8 *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((u32)p[3] << 24);
}

static void put32(u8 *p, u32 v)
{
    for (int i = 0; i < 4; i++, v >>= 8)
        p[i] = (u8)v;
}

/* The block's verdict, from the structure's description in xen.h. */
static bool block_ok(const u8 *p, u32 avail)
{
    if (avail < 32 || memcmp(p, "XenHVMSeaBIOS", 14))
        return false;
    if (p[14] < 32 || p[14] > avail)
        return false;
    return fz_sum8(p, p[14]) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u8 flags = fin_u8(&f);
    u32 base = fin_u32(&f);
    u16 at = fin_u16(&f);
    u32 vsize = (u32)f.n;
    u8 *mem = fin_dup(f.p, vsize);

    if ((flags & 2) && (u64)at + 32 <= vsize) {
        u8 *ip = mem + at;
        /* Table list and e820 as offsets from the view's base. */
        put32(ip + 0x10, base + get32(ip + 0x10));
        put32(ip + 0x18, base + get32(ip + 0x18));
    }
    if ((flags & 1) && (u64)at + 32 <= vsize) {
        u8 *ip = mem + at;
        u32 len = ip[14];
        if (len >= 16 && at + len <= vsize)
            ip[15] -= fz_sum8(ip, len);
    }

    /* The check on its own, with every length. */
    for (u32 a = 0; a <= vsize && a < 300; a += 1 + a / 16)
        FUZZ_ASSERT(xen_info_check(mem, a) == block_ok(mem, a));

    struct xen_handoff h;
    memset(&h, 0xCC, sizeof(h));
    u32 info_addr = base + at;
    int r = xen_info_parse(mem, base, vsize, info_addr, &h);
    FUZZ_ASSERT(r == 0 || r == -1);
    bool inside = info_addr >= base && (u64)(info_addr - base) + 32 <= vsize;
    if (r == 0) {
        FUZZ_ASSERT(inside);
        const u8 *ip = mem + (info_addr - base);
        FUZZ_ASSERT(block_ok(ip, vsize - (info_addr - base)));
        FUZZ_ASSERT(h.ntables >= 0 && h.ntables <= XEN_MAX_TABLES);
        u32 tables = get32(ip + 0x10), nt = get32(ip + 0x14);
        u32 want_nt = MIN(nt, (u32)XEN_MAX_TABLES);
        bool list_in_view = tables >= base && (u64)(tables - base) + 4 * want_nt <= vsize;
        FUZZ_ASSERT((u32)h.ntables == (list_in_view ? want_nt : 0));
        for (int i = 0; i < h.ntables; i++) {
            u64 off = (u64)tables - base + 4u * i;
            FUZZ_ASSERT(tables >= base && off + 4 <= vsize);
            FUZZ_ASSERT(h.tables[i] == get32(mem + off));
        }
        FUZZ_ASSERT(h.ne820 >= 0 && h.ne820 <= XEN_MAX_E820);
        /* The same records through a fresh map give the same result. */
        u32 e820 = get32(ip + 0x18), ne = MIN(get32(ip + 0x1C), (u32)XEN_MAX_E820);
        FUZZ_ASSERT(ne && e820 >= base && (u64)(e820 - base) + ne * 20 <= vsize);
        struct e820_entry again[XEN_MAX_E820];
        struct e820_map m = { again, 0, XEN_MAX_E820 };
        FUZZ_ASSERT(e820_parse_qemu(&m, mem + (e820 - base), ne * 20) >= 0);
        FUZZ_ASSERT(m.count == h.ne820);
        FUZZ_ASSERT(!memcmp(again, h.e820, h.ne820 * sizeof(again[0])));
        for (int i = 1; i < h.ne820; i++)
            FUZZ_ASSERT(h.e820[i - 1].base + h.e820[i - 1].length <= h.e820[i].base);
    } else if (inside) {
        /* Refused: a bad block, or an e820 list that is missing, empty,
         * outside the view or too long for the map. */
        const u8 *ip = mem + (info_addr - base);
        if (block_ok(ip, vsize - (info_addr - base))) {
            u32 e820 = get32(ip + 0x18), ne = MIN(get32(ip + 0x1C), (u32)XEN_MAX_E820);
            bool list_in_view = ne && e820 >= base && (u64)(e820 - base) + ne * 20 <= vsize;
            if (list_in_view) {
                struct e820_entry again[XEN_MAX_E820];
                struct e820_map m = { again, 0, XEN_MAX_E820 };
                FUZZ_ASSERT(e820_parse_qemu(&m, mem + (e820 - base), ne * 20) < 0);
            }
        }
    }
    free(mem);
    return 0;
}
