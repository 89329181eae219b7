/* INT 13h geometry translation and CHS register helpers. */
#include "chs.h"

/* LBA-assist: 63 sectors per track and the fewest heads (16, 32, 64, 128,
 * then 255) that keep the cylinder count at 1024 or below. Disks too small
 * for one 16-head cylinder get a single cylinder that fits inside them. */
static void lba_assist(u32 total, struct chs *lg)
{
    static const u8 head_steps[] = { 16, 32, 64, 128, 255 };
    u32 tracks, cyl;
    unsigned int i;

    if (total < 63) {
        lg->cyl = 1;
        lg->heads = 1;
        lg->spt = total;
        return;
    }
    tracks = total / 63;
    for (i = 0; i < ARRAY_SIZE(head_steps) - 1; i++)
        if (tracks / head_steps[i] <= 1024)
            break;
    cyl = tracks / head_steps[i];
    lg->spt = 63;
    if (cyl == 0) {             /* fewer than 16 tracks */
        lg->cyl = 1;
        lg->heads = tracks;
        return;
    }
    lg->cyl = cyl > 1024 ? 1024 : cyl;
    lg->heads = head_steps[i];
}

void chs_translate(u64 sectors, const struct chs *phys, int scheme,
                   struct chs *logical)
{
    u32 total, cyl, heads, spt;

    if (sectors == 0) {
        logical->cyl = logical->heads = logical->spt = 0;
        return;
    }
    /* Only the first 1024 x 255 x 63 sectors are reachable through CHS. */
    total = sectors > CHS_INT13_MAX_SECTORS ? CHS_INT13_MAX_SECTORS
                                            : (u32)sectors;

    if ((scheme == CHS_NONE || scheme == CHS_LARGE || scheme == CHS_RECHS) &&
        phys && phys->cyl && phys->heads && phys->heads <= 255 &&
        phys->spt && phys->spt <= 63) {
        cyl = phys->cyl;
        heads = phys->heads;
        spt = phys->spt;
        if (scheme == CHS_RECHS && heads == 16) {
            cyl = cyl * 16 / 15;
            heads = 15;
        }
        if (scheme != CHS_NONE) {
            while (cyl > 1024 && heads * 2 <= 255) {
                cyl >>= 1;
                heads <<= 1;
            }
        }
        if (cyl > 1024)
            cyl = 1024;
        /* Never describe sectors the disk does not have. */
        if (cyl * heads * spt > total)
            cyl = total / (heads * spt);
        if (cyl) {
            logical->cyl = cyl;
            logical->heads = heads;
            logical->spt = spt;
            return;
        }
    }
    lba_assist(total, logical);
}

int chs_to_lba(const struct chs *g, u16 cyl, u16 head, u16 sector, u32 *lba)
{
    u64 v;

    if (sector == 0 || sector > g->spt || head >= g->heads || cyl >= g->cyl)
        return -1;
    /* cyl * heads + head < 65535 * 65535, so only the last product needs
     * 64 bits (a single 32 x 32 -> 64 multiply). */
    v = (u64)((u32)cyl * g->heads + head) * g->spt + (sector - 1);
    if (v > 0xFFFFFFFFu)
        return -1;
    *lba = (u32)v;
    return 0;
}

void chs_pack_int13(const struct chs *g, bool diag_cyl, u16 *cx, u8 *dh)
{
    u32 used = 1 + (diag_cyl ? 1 : 0);
    u32 maxcyl = g->cyl > used ? g->cyl - used : 0;
    u32 spt = g->spt > 63 ? 63 : g->spt;

    if (maxcyl > 1023)
        maxcyl = 1023;
    *cx = (u16)(((maxcyl & 0xFF) << 8) | ((maxcyl >> 2) & 0xC0) | spt);
    *dh = g->heads ? (u8)(g->heads - 1) : 0;
}

void chs_unpack_int13(u16 cx, u16 dx, u16 *cyl, u16 *head, u16 *sector)
{
    *cyl = (u16)((cx >> 8) | ((cx & 0xC0) << 2));
    *sector = cx & 0x3F;
    *head = dx >> 8;
}
