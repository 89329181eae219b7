/* Find the disks INT 13h will serve. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "post/nvme.h"
#include "hw/ata.h"
#include "post/virtio.h"
#include "hw/cmos.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"
#include "lib/checksum.h"
#include "fw/eltorito.h"

extern u8 post_platform;

static const char *const xlate_name[] = { [CHS_NONE] = "none", [CHS_LARGE] = "large", [CHS_RECHS] = "r-echs", [CHS_LBA] = "lba" };

void ident_string(const u16 *id, int first, int words, char *out)
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

/* Read the El Torito boot record and catalog of a CD drive; the runtime
 * boots from what is stored in cb. */
static void cd_find_boot_image(struct disk *d, const char *who, struct cd_boot *cb)
{
    u8 buf[CD_BLOCK_SIZE];
    u32 got;
    int ret = atapi_read(d, ELTORITO_BRVD_LBA, 0, sizeof(buf), 0, (u32)buf, &got);
    if (!ret) {
        cb->error = eltorito_parse_brvd(buf, sizeof(buf), &cb->catalog_lba);
        if (!cb->error && cb->catalog_lba >= d->sectors)
            cb->error = ELTORITO_ERR_CATALOG_LBA;
        if (!cb->error)
            ret = atapi_read(d, cb->catalog_lba, 0, sizeof(buf), 0, (u32)buf, &got);
        if (!ret && !cb->error)
            cb->error = eltorito_parse_catalog(buf, sizeof(buf), &cb->image);
    }
    cb->read_status = ret;
    const struct eltorito_image *im = &cb->image;
    if (ret)
        dprintf(LOG_INFO, "%s: cannot read the disc (status %02x)\n", who, ret);
    else if (cb->error)
        dprintf(LOG_INFO, "%s: no El Torito boot image (error %d)\n", who, cb->error);
    else
        dprintf(LOG_INFO, "%s: El Torito catalog at %u: media %u, %u sectors at %u "
                "to %04x:0000%s\n", who, cb->catalog_lba, im->media,
                im->count, im->lba, im->load_seg, im->from_section ? " (section entry)" : "");
}

/* An ATAPI drive: CD-ROMs get a drive number from E0h and a boot entry. */
void cd_add(struct disk *d, const char *who, u16 config, const char *model)
{
    if (((config >> 8) & 0x1F) != 0x05) {
        dprintf(LOG_INFO, "%s: ATAPI %s (not a CD-ROM), not served\n", who, model);
        return;
    }
    if (rtdata.cd_count >= MAX_CDS) {
        dprintf(LOG_WARN, "%s: too many CD drives, not served\n", who);
        return;
    }
    int n = rtdata.cd_count++;
    struct cd_boot *cb = &rtdata.cd_boot[n];
    memset(cb, 0, sizeof(*cb));
    int ret = atapi_ready(d);
    if (ret) {
        /* Size unknown: INT 13h leaves the range checks to the drive, so a
         * disc put in later can still be read. */
        d->sectors = 0xFFFFFFFF;
        cb->read_status = ret;
        dprintf(LOG_INFO, "%s: ATAPI %s, CD-ROM %02xh, %s (status %02x)\n", who, model,
                CD_DRIVE_FIRST + n, ret == DISK_RET_NO_MEDIA ? "no medium" : "not ready", ret);
    } else {
        dprintf(LOG_INFO, "%s: ATAPI %s, CD-ROM %02xh, %u blocks of 2048 bytes\n",
                who, model, CD_DRIVE_FIRST + n, (u32)d->sectors);
        cd_find_boot_image(d, who, cb);
    }
    rtdata.cds[n] = *d;
    bootlist_add_cd(CD_DRIVE_FIRST + n, d, who, model);
}

/* Give a hard disk an INT 13h drive number (80h + index) and log it;
 * 0 when the table is full. */
u8 disk_add(struct disk *d, const char *who, const char *model)
{
    int n = rtdata.disk_count;
    if (n >= MAX_DISKS) {
        dprintf(LOG_WARN, "%s: too many disks, %s not served\n", who, model);
        return 0;
    }
    if (!d->sectors) {
        /* Nothing to read or boot, and no geometry to give INT 13h. */
        dprintf(LOG_WARN, "%s: %s has no sectors (empty medium), not served\n", who, model);
        return 0;
    }
    if (!d->blksize)
        d->blksize = 512;
    if (d->type != DISK_ATA) {
        d->translation = CHS_LBA;
        chs_translate(d->sectors, NULL, CHS_LBA, &d->lchs);
        d->phys = d->lchs;
    }
    dprintf(LOG_INFO, "%s: %s, %u MiB, %llu sectors, chs %u/%u/%u -> %u/%u/%u (%s), "
            "drive %02xh\n", who, model, (u32)(d->sectors * d->blksize >> 20), d->sectors,
            d->phys.cyl, d->phys.heads, d->phys.spt, d->lchs.cyl, d->lchs.heads,
            d->lchs.spt, xlate_name[d->translation], 0x80 + n);
    if (n < 2)
        fill_fdpt(n, d);
    rtdata.disks[n] = *d;
    bootlist_describe_disk(0x80 + n, d, who, model);
    rtdata.disk_count = n + 1;
    bda_set8(BDA_HD_COUNT, n + 1);
    return 0x80 + n;
}

static void ata_init(void)
{
    static const u16 base[2][2] = { { 0x1F0, 0x3F6 }, { 0x170, 0x376 } };
    static u16 ident[256];
    if (!CONFIG_ATA)
        return;
    for (int ch = 0; ch < 2; ch++) {
        if (ata_reset(base[ch][0], base[ch][1])) {
            dprintf(LOG_DEBUG, "ata%d: no channel\n", ch);
            continue;
        }
        struct disk cd[2];
        u16 cd_config[2];
        char cd_model[2][41], cd_who[2][8];
        int ncd = 0;
        for (int sl = 0; sl < 2; sl++) {
            struct disk d;
            memset(&d, 0, sizeof(d));
            if (ata_probe(base[ch][0], base[ch][1], sl, &d, ident))
                continue;
            d.channel = ch;
            d.pci_bus = 0;
            d.pci_devfn = (1 << 3) | 1;
            char model[50], who[8] = "ata0-0";
            who[3] += ch;
            who[5] += sl;
            ident_string(ident, 27, 20, model);
            if (d.type == DISK_ATAPI) {
                /* Packet commands write the task file of both devices on
                 * the channel, wiping a slave's reset signature: talk to
                 * the CDs once both positions have been probed. */
                cd[ncd] = d;
                cd_config[ncd] = ident[0];
                memcpy(cd_model[ncd], model, 40);
                cd_model[ncd][40] = 0;
                memcpy(cd_who[ncd++], who, sizeof(who));
                continue;
            }
            d.translation = cmos_translation(ch * 2 + sl, &d);
            chs_translate(d.sectors, &d.phys, d.translation, &d.lchs);
            if (d.lba48)
                memcpy(model + strlen(model), " (lba48)", 9);
            disk_add(&d, who, model);
        }
        for (int i = 0; i < ncd; i++)
            cd_add(&cd[i], cd_who[i], cd_config[i], cd_model[i]);
    }
}

void disks_init(void)
{
    rtdata.disk_count = 0;
    bda_set8(BDA_HD_COUNT, 0);
    bda_set8(BDA_HD_CONTROL, 0xC0);
    ata_init();
    /* Native PCI storage drivers register their disks after IDE's. */
    ahci_init();
    nvme_init();
    virtio_init();
}
