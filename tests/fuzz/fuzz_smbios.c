/* Fuzz target: SMBIOS entry point and structure table (src/fw/smbios.c).
 *
 * Input: flags (u8), the table's guest address (u64), the anchor's length
 * (u8, at most SMBIOS_EP_MAX as the firmware reads it), the anchor bytes,
 * three string lengths (u8 each, modulo 40), then the three strings one
 * after the other (vendor, version, date of the type 0 structure), then
 * QEMU's structure table. Flag bit 0 passes no
 * BIOS information (no type 0 is added).
 *
 * Checked: the table walk stays inside its length (AddressSanitizer on an
 * exact-size copy) and reports a length, count and largest structure that
 * a second walk of the kept part confirms; the type 0 that is built parses
 * as one structure with the given strings; the assembled table walks
 * cleanly, starts where the layout says, keeps QEMU's bytes unchanged and
 * gives the added type 0 a handle no other structure uses; the entry
 * point sums to zero and describes the table. */
#include "fuzz_input.h"
#include "fw/smbios.h"

static u64 le(const u8 *p, int n)
{
    u64 v = 0;
    while (n--)
        v = (v << 8) | p[n];
    return v;
}

/* Every handle in a well-formed table of len bytes, but the one at skip. */
static bool handle_used(const u8 *t, u32 len, u16 handle, u32 skip)
{
    u32 off = 0;
    while (off < len) {
        u32 p = off + t[off + 1];
        while (t[p] || t[p + 1])
            p++;
        if (off != skip && (u16)le(t + off + 2, 2) == handle)
            return true;
        off = p + 2;
    }
    return false;
}

static void check_scan(const u8 *t, u32 len)
{
    struct smbios_scan s, again;
    u32 n = smbios_scan_table(t, len, &s);
    FUZZ_ASSERT(n == s.length && n <= len);
    FUZZ_ASSERT(!s.truncated || n < len);
    FUZZ_ASSERT(s.count || !n);
    FUZZ_ASSERT(s.max_size <= n);
    FUZZ_ASSERT(s.free_handle < 0xFF00);
    /* The kept part walks again to the same answer, cleanly. */
    u8 *kept = fin_dup(t, n);
    FUZZ_ASSERT(smbios_scan_table(kept, n, &again) == n);
    FUZZ_ASSERT(!again.truncated && again.count == s.count && again.max_size == s.max_size);
    FUZZ_ASSERT(again.ended == s.ended && again.has_type0 == s.has_type0);
    free(kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u8 flags = fin_u8(&f);
    u64 addr = fin_u64(&f);
    size_t alen;
    const u8 *a = fin_bytes(&f, fin_u8(&f) % (SMBIOS_EP_MAX + 1), &alen);
    u8 *anchor = fin_dup(a, alen);
    char *str[3];
    size_t want[3];
    for (int i = 0; i < 3; i++)
        want[i] = fin_u8(&f) % 40;
    for (int i = 0; i < 3; i++) {
        size_t n;
        const u8 *p = fin_bytes(&f, want[i], &n);
        str[i] = malloc(n + 1);
        if (!str[i])
            abort();
        memcpy(str[i], p, n);
        str[i][n] = 0;
    }
    const struct smbios_bios_info bi = {
        .vendor = str[0], .version = str[1], .date = str[2],
        .start_segment = 0xF000, .rom_size = 1, .characteristics = 0x80,
        .ext1 = 1, .ext2 = 0x10, .release_major = 0, .release_minor = 1,
    };
    u32 tlen = (u32)f.n;
    u8 *table = fin_dup(f.p, tlen);
    check_scan(table, tlen);

    /* A type 0 on its own, in a buffer of every size around its own. */
    for (u32 cap = 0; cap < 160; cap += 1 + cap / 8) {
        u8 *b = malloc(cap ? cap : 1);
        u32 n = smbios_build_type0(b, cap, 0x1234, &bi);
        FUZZ_ASSERT(n <= cap);
        if (n) {
            struct smbios_scan s;
            FUZZ_ASSERT(smbios_scan_table(b, n, &s) == n);
            FUZZ_ASSERT(s.count == 1 && s.has_type0 && !s.truncated && s.max_size == n);
            FUZZ_ASSERT(b[0] == 0 && b[1] == 0x18 && le(b + 2, 2) == 0x1234);
        }
        free(b);
    }

    /* The whole assembly, in the firmware's layout: room, then QEMU's table. */
    u8 *buf = malloc(SMBIOS_TYPE0_ROOM + tlen);
    memset(buf, 0xCC, SMBIOS_TYPE0_ROOM);
    memcpy(buf + SMBIOS_TYPE0_ROOM, table, tlen);
    u8 ep[SMBIOS_EP_MAX];
    memset(ep, 0xEE, sizeof(ep));
    struct smbios_layout l;
    const struct smbios_bios_info *bip = (flags & 1) ? NULL : &bi;
    bool ok = smbios_assemble(anchor, (u32)alen, buf, tlen, addr, bip, ep, &l);
    if (ok) {
        FUZZ_ASSERT(l.table_offset <= SMBIOS_TYPE0_ROOM);
        FUZZ_ASSERT(l.table_offset + l.table_length <= SMBIOS_TYPE0_ROOM + tlen);
        FUZZ_ASSERT(!memcmp(buf + SMBIOS_TYPE0_ROOM, table, tlen));
        FUZZ_ASSERT(l.added_type0 == (l.table_offset < SMBIOS_TYPE0_ROOM));
        struct smbios_scan s;
        const u8 *t = buf + l.table_offset;
        FUZZ_ASSERT(smbios_scan_table(t, l.table_length, &s) == l.table_length);
        FUZZ_ASSERT(!s.truncated && s.count == l.count && s.max_size == l.max_size);
        if (l.added_type0) {
            FUZZ_ASSERT(bip && t[0] == 0);
            FUZZ_ASSERT(!handle_used(t, l.table_length, (u16)le(t + 2, 2), 0));
        }
        FUZZ_ASSERT(l.ep_length == 0x1F || l.ep_length == 0x18);
        FUZZ_ASSERT(fz_sum8(ep, l.ep_length) == 0);
        FUZZ_ASSERT(ep[l.ep_length] == 0xEE || l.ep_length == SMBIOS_EP_MAX);
        if (l.ep_length == 0x1F) {
            FUZZ_ASSERT(!memcmp(ep, "_SM_", 4) && !memcmp(ep + 0x10, "_DMI_", 5));
            FUZZ_ASSERT(ep[5] == 0x1F && fz_sum8(ep + 0x10, 0x0F) == 0);
            FUZZ_ASSERT(le(ep + 0x16, 2) == l.table_length);
            FUZZ_ASSERT(le(ep + 0x18, 4) == addr + l.table_offset);
            FUZZ_ASSERT(le(ep + 0x1C, 2) == l.count);
            FUZZ_ASSERT(le(ep + 0x08, 2) == l.max_size);
        } else {
            FUZZ_ASSERT(!memcmp(ep, "_SM3_", 5) && ep[6] == 0x18);
            FUZZ_ASSERT(le(ep + 0x0C, 4) == l.table_length);
            FUZZ_ASSERT(le(ep + 0x10, 8) == addr + l.table_offset);
        }
    } else {
        /* Nothing written for an unusable anchor. */
        for (u32 i = 0; i < sizeof(ep); i++)
            FUZZ_ASSERT(ep[i] == 0xEE);
    }

    free(buf);
    free(table);
    for (int i = 0; i < 3; i++)
        free(str[i]);
    free(anchor);
    return 0;
}
