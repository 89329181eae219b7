/* Fuzz target: INT 13h geometry translation and CHS arithmetic
 * (src/lib/chs.c).
 *
 * Input: disk size in sectors (u64; flag bit 0 keeps only its low 32 bits
 * so small disks come up often), flags (u8), physical geometry (3 x u16),
 * scheme (u8), then CHS triples (cyl u16, head u16, sector u16) and raw
 * INT 13h CX/DX pairs until the input ends.
 *
 * Checked, from the rules in chs.h: the logical geometry never exceeds
 * 1024/255/63, never covers more sectors than the disk has, has no zero
 * field for a nonzero disk and is all zeros for an empty one; a usable
 * physical geometry with CHS_NONE that fits is kept as it is; chs_to_lba()
 * accepts exactly the in-range addresses and maps them one to one onto
 * 0 .. cyl*heads*spt - 1; INT 13h 08h's packed answer unpacks to the last
 * cylinder/head/sector of the geometry (one cylinder fewer with the
 * diagnostic cylinder), and unpacking any CX/DX stays in the 10-bit
 * cylinder and 6-bit sector ranges. */
#include "fuzz_input.h"
#include "lib/chs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u64 sectors = fin_u64(&f);
    u8 flags = fin_u8(&f);
    if (flags & 1)
        sectors &= 0xFFFFFFFFull;
    if (flags & 2)
        sectors &= 0xFFFFF;
    struct chs phys = { fin_u16(&f), fin_u16(&f), fin_u16(&f) };
    int scheme = fin_u8(&f);
    if (!(flags & 4))
        scheme &= 3;
    struct chs lg = { 0xAAAA, 0xBBBB, 0xCCCC };

    chs_translate(sectors, (flags & 8) ? NULL : &phys, scheme, &lg);
    if (!sectors) {
        FUZZ_ASSERT(!lg.cyl && !lg.heads && !lg.spt);
        return 0;
    }
    FUZZ_ASSERT(lg.cyl >= 1 && lg.cyl <= 1024);
    FUZZ_ASSERT(lg.heads >= 1 && lg.heads <= 255);
    FUZZ_ASSERT(lg.spt >= 1 && lg.spt <= 63);
    u64 covered = (u64)lg.cyl * lg.heads * lg.spt;
    FUZZ_ASSERT(covered <= sectors && covered <= CHS_INT13_MAX_SECTORS);
    if (!(flags & 8) && scheme == CHS_NONE && phys.cyl && phys.cyl <= 1024 && phys.heads
        && phys.heads <= 255 && phys.spt && phys.spt <= 63
        && (u64)phys.cyl * phys.heads * phys.spt <= sectors)
        FUZZ_ASSERT(lg.cyl == phys.cyl && lg.heads == phys.heads && lg.spt == phys.spt);

    u16 cx;
    u8 dh;
    u16 c, h, s;
    for (int diag = 0; diag < 2; diag++) {
        chs_pack_int13(&lg, diag, &cx, &dh);
        chs_unpack_int13(cx, (u16)(dh << 8), &c, &h, &s);
        u32 want = lg.cyl > 1u + diag ? lg.cyl - 1u - diag : 0;
        FUZZ_ASSERT(c == MIN(want, 1023u) && h == lg.heads - 1 && s == lg.spt);
    }

    while (f.n) {
        u16 cyl = fin_u16(&f), head = fin_u16(&f), sec = fin_u16(&f);
        struct chs g = lg;
        if (cyl & 0x8000) {             /* sometimes a raw geometry, not a translated one */
            g.cyl = fin_u16(&f);
            g.heads = fin_u16(&f);
            g.spt = fin_u16(&f);
        }
        u32 lba = 0xFFFFFFFF;
        int r = chs_to_lba(&g, cyl, head, sec, &lba);
        bool in = sec >= 1 && sec <= g.spt && head < g.heads && cyl < g.cyl;
        FUZZ_ASSERT((r == 0) == in || (in && r == -1 && lba == 0xFFFFFFFF
                    && ((u64)cyl * g.heads + head) * g.spt + sec - 1 > 0xFFFFFFFFull));
        if (r == 0) {
            u64 total = (u64)g.cyl * g.heads * g.spt;
            FUZZ_ASSERT(lba < total);
            /* One to one: the address comes back from the LBA. */
            u32 t = lba / g.spt;
            FUZZ_ASSERT(lba % g.spt + 1 == sec && t % g.heads == head && t / g.heads == cyl);
        } else {
            FUZZ_ASSERT(lba == 0xFFFFFFFF);
        }
        u16 rcx = fin_u16(&f), rdx = fin_u16(&f);
        chs_unpack_int13(rcx, rdx, &c, &h, &s);
        FUZZ_ASSERT(c <= 1023 && s <= 63 && h <= 255);
    }
    return 0;
}
