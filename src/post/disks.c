/* Find the disks INT 13h will serve. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/ata.h"
#include "hw/cmos.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"
#include "lib/checksum.h"

extern u8 post_platform;

static const char *const xlate_name[] = { [CHS_NONE] = "none", [CHS_LARGE] = "large", [CHS_RECHS] = "r-echs", [CHS_LBA] = "lba" };

static void ident_string(const u16 *id, int first, int words, char *out)
{
    for (int i = 0; i < words; i++) {
        out[2 * i] = id[first + i] >> 8;
        out[2 * i + 1] = id[first + i];
    }
    int n = 2 * words;
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = 0;
}

/* INT 41h/46h fixed disk parameter table in the EBDA (translated form). */
static void fill_fdpt(int idx, const struct disk *d)
{
    u8 *t = (u8 *)(EBDA_SEG_DEFAULT * 16 + (idx ? EBDA_FDPT1 : EBDA_FDPT0));
    memset(t, 0, 16);
    *(u16 *)(t + 0) = d->lchs.cyl;
    t[2] = d->lchs.heads;
    t[3] = 0xA0;
    t[4] = d->phys.spt;
    *(u16 *)(t + 5) = 0xFFFF;
    t[8] = d->lchs.heads > 8 ? 0x08 : 0;
    *(u16 *)(t + 9) = d->phys.cyl;
    t[11] = d->phys.heads;
    *(u16 *)(t + 12) = d->phys.cyl;
    t[14] = d->lchs.spt;
    t[15] = checksum_fix(t, 16);
}

static int cmos_translation(int pos, const struct disk *d)
{
    if (post_platform == PLATFORM_QEMU || post_platform == PLATFORM_XEN) {
        u8 v = cmos_read(CMOS_ATA_XLATE + pos / 4);
        int x = (v >> ((pos % 4) * 2)) & 3;
        static const int map[] = { CHS_NONE, CHS_LBA, CHS_LARGE, CHS_RECHS };
        if (map[x] != CHS_NONE || (d->phys.cyl <= 1024 && d->phys.heads <= 16
                                   && d->phys.spt <= 63))
            return map[x];
    }
    return CHS_LBA;
}

void disks_init(void)
{
    static const u16 base[2][2] = { { 0x1F0, 0x3F6 }, { 0x170, 0x376 } };
    static u16 ident[256];
    int nhd = 0;
    if (!CONFIG_ATA)
        return;
    for (int ch = 0; ch < 2; ch++) {
        if (ata_reset(base[ch][0], base[ch][1])) {
            dprintf(LOG_DEBUG, "ata%d: no channel\n", ch);
            continue;
        }
        for (int sl = 0; sl < 2; sl++) {
            struct disk d;
            memset(&d, 0, sizeof(d));
            if (ata_probe(base[ch][0], base[ch][1], sl, &d, ident))
                continue;
            d.channel = ch;
            d.pci_bus = 0;
            d.pci_devfn = (1 << 3) | 1;
            char model[41];
            ident_string(ident, 27, 20, model);
            if (d.type == DISK_ATAPI) {
                dprintf(LOG_INFO, "ata%d-%d: ATAPI %s\n", ch, sl, model);
                continue;
            }
            d.translation = cmos_translation(ch * 2 + sl, &d);
            chs_translate(d.sectors, &d.phys, d.translation, &d.lchs);
            dprintf(LOG_INFO, "ata%d-%d: %s, %u MiB, %llu sectors%s, chs %u/%u/%u -> %u/%u/%u (%s)\n",
                    ch, sl, model, (u32)(d.sectors >> 11), d.sectors,
                    d.lba48 ? " (lba48)" : "", d.phys.cyl, d.phys.heads, d.phys.spt,
                    d.lchs.cyl, d.lchs.heads, d.lchs.spt, xlate_name[d.translation]);
            if (nhd >= MAX_DISKS) {
                dprintf(LOG_WARN, "ata%d-%d: too many disks, not served\n", ch, sl);
                continue;
            }
            if (nhd < 2)
                fill_fdpt(nhd, &d);
            rtdata.disks[nhd++] = d;
        }
    }
    rtdata.disk_count = nhd;
    bda_set8(BDA_HD_COUNT, nhd);
    bda_set8(BDA_HD_CONTROL, 0xC0);
}
