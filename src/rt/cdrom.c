/* CD drives in the runtime: El Torito boot (INT 19h), the INT 13h
 * functions that differ for CD drives (E0h + n), the emulated floppy or
 * hard disk of an emulation boot, and INT 13h 4Bh/4Dh.
 *
 * POST read each disc's boot record and catalog (rtdata.cd_boot); booting
 * loads the image and fills rtdata.cdemu, which 4Bh hands out. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/ata.h"
#include "lib/chs.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

#define DISK_RET_NOT_LOCKED   0xB0
#define DISK_RET_LOCKED       0xB1
#define DISK_RET_LOCK_LIMIT   0xB4

/* rt/disk.c: status into AH, CF and the BDA. */
void disk_ret(struct bregs *r, u8 status);
/* The diskette parameter table at F000:EFC7 (src/entry/fixed16.S). */
extern u8 fx_dpt[];

static struct cd_emu *const emu = &rtdata.cdemu;

static struct disk *emu_cd(void)
{
    return &rtdata.cds[emu->cd];
}

/* End an emulation boot: the real drives get their numbers back. */
void cd_emu_stop(void)
{
    if (emu->emulating) {
        if (emu->spec.drive < 0x80)
            bda_set16(BDA_EQUIPMENT, bda16(BDA_EQUIPMENT) & ~0x00C1);
        else
            bda_set8(BDA_HD_COUNT, bda8(BDA_HD_COUNT) - 1);
    }
    emu->active = 0;
    emu->emulating = 0;
}

/* Make the loaded floppy or hard disk image drive 00h or 80h. */
static bool emu_start(const struct eltorito_image *im)
{
    struct chs *g = &emu->geom;
    if (im->media < ELTORITO_HARD_DISK) {
        static const u8 spt[] = { 15, 18, 36 };
        g->cyl = 80;
        g->heads = 2;
        g->spt = spt[im->media - 1];
        emu->spec.drive = 0x00;
        /* One diskette drive (Kelp serves no real ones). */
        bda_set16(BDA_EQUIPMENT, (bda16(BDA_EQUIPMENT) & ~0x00C1) | 0x0001);
    } else {
        /* The geometry is what the image's first partition ends with. */
        u16 seg = im->load_seg;
        u8 sc = peek8(seg, 0x1BE + 6);
        g->heads = peek8(seg, 0x1BE + 5) + 1;
        g->spt = sc & 0x3F;
        g->cyl = ((sc & 0xC0) << 2 | peek8(seg, 0x1BE + 7)) + 1;
        if (!g->spt) {
            printf("Boot failed: no partition table in the disk image\n");
            return false;
        }
        emu->spec.drive = 0x80;
        bda_set8(BDA_HD_COUNT, bda8(BDA_HD_COUNT) + 1);
    }
    emu->sectors = (u32)g->cyl * g->heads * g->spt;
    u16 cx;
    u8 dh;
    chs_pack_int13(g, false, &cx, &dh);
    emu->spec.cyl_low = cx >> 8;
    emu->spec.spt_cyl_high = cx;
    emu->spec.heads = dh;
    emu->emulating = 1;
    return true;
}

/* INT 19h: boot CD drive E0h + n; returns only when that fails. */
void cd_boot(u8 drive)
{
    u8 n = drive - CD_DRIVE_FIRST;
    struct disk *d = &rtdata.cds[n];
    const struct cd_boot *cb = &rtdata.cd_boot[n];
    const struct eltorito_image *im = &cb->image;
    if (cb->read_status) {
        printf("Boot failed: could not read the CD (status %02x)\n", cb->read_status);
        return;
    }
    if (cb->error) {
        printf("Boot failed: no El Torito boot image (error %d)\n", cb->error);
        return;
    }
    u32 len = eltorito_load_blocks(im->count) * ATAPI_BLOCK, got;
    u32 base = (u32)im->load_seg << 4;
    if (base < 0x500 || base + len > (u32)bda16(BDA_MEM_KB) << 10) {
        printf("Boot failed: bad load segment %04x\n", im->load_seg);
        return;
    }
    int ret = atapi_read(d, im->lba, 0, len, im->load_seg, 0, &got);
    if (ret) {
        printf("Boot failed: could not read the CD (status %02x)\n", ret);
        return;
    }
    memset(emu, 0, sizeof(*emu));
    emu->cd = n;
    emu->catalog_lba = cb->catalog_lba;
    struct eltorito_spec *s = &emu->spec;
    s->size = sizeof(*s);
    s->media = im->media;
    s->drive = drive;
    s->controller = d->channel;
    s->image_lba = im->lba;
    /* IDE: master or slave; the other drivers: the port or target. */
    s->device_spec = d->type == DISK_ATAPI ? d->slave : d->target;
    s->load_seg = im->load_seg;
    s->count = im->count;
    if (im->media != ELTORITO_NO_EMULATION && !emu_start(im))
        return;
    emu->active = 1;
    dprintf(LOG_INFO, "boot: El Torito image at %u, media %u, jumping to %04x:0000 with DL=%02x\n",
            im->lba, im->media, im->load_seg, s->drive);
    rt_jump_boot((u32)im->load_seg << 16, s->drive);
}

/* INT 13h 4Bh (00h terminate emulation, 01h status) and 4Dh (return
 * boot catalog). */
void cd_13_eltorito(struct bregs *r)
{
    if (!emu->active) {
        disk_ret(r, DISK_RET_PARAM);
        return;
    }
    if (r->ah == 0x4D) {
        /* Command packet: 01h block count, 02h buffer (off:seg), 06h first
         * block relative to the catalog. */
        u8 count = peek8(r->ds, r->si + 1);
        u32 got;
        int ret = DISK_RET_OK;
        if (count)
            ret = atapi_read(emu_cd(), emu->catalog_lba + peek16(r->ds, r->si + 6), 0,
                             count * ATAPI_BLOCK, peek16(r->ds, r->si + 4),
                             peek16(r->ds, r->si + 2), &got);
        disk_ret(r, ret);
        return;
    }
    if (r->al > 1 || (r->dl != 0x7F && r->dl != emu->spec.drive)) {
        disk_ret(r, DISK_RET_PARAM);
        return;
    }
    far_write(r->ds, r->si, &emu->spec, sizeof(emu->spec));
    if (r->al == 0 && emu->emulating)
        cd_emu_stop();
    disk_ret(r, DISK_RET_OK);
}

/* INT 13h on a CD drive: the functions that differ from a hard disk.
 * Returns false for those rt/disk.c serves the same way. */
bool cd_13(struct bregs *r, struct disk *d)
{
    u8 *locks = &rtdata.cd_locks[d - rtdata.cds];
    switch (r->ah) {
    case 0x02: case 0x03: case 0x04: case 0x05:
    case 0x08: case 0x0A: case 0x0B: case 0x0C:
    case 0x15: case 0x16:
        /* No CHS access to a CD. */
        disk_ret(r, DISK_RET_PARAM);
        return true;
    case 0x45:
        if (r->al == 0x00) {
            if (*locks == 0xFF) {
                disk_ret(r, DISK_RET_LOCK_LIMIT);
                return true;
            }
            ++*locks;
        } else if (r->al == 0x01) {
            if (!*locks) {
                disk_ret(r, DISK_RET_NOT_LOCKED);
                return true;
            }
            --*locks;
        } else if (r->al != 0x02) {
            disk_ret(r, DISK_RET_PARAM);
            return true;
        }
        r->al = *locks ? 1 : 0;
        disk_ret(r, DISK_RET_OK);
        return true;
    case 0x46:
        disk_ret(r, *locks ? DISK_RET_LOCKED : atapi_eject(d));
        return true;
    case 0x49:
        /* No change line to ask: say "changed" so callers read again. */
        disk_ret(r, DISK_RET_CHANGED);
        return true;
    }
    return false;
}

/* INT 13h on the emulated floppy or hard disk: functions 00h-16h on
 * 512-byte virtual sectors; sector n is at offset (n mod 4) x 512 of CD
 * block image_lba + n / 4. */
void cdemu_13(struct bregs *r)
{
    bool floppy = emu->spec.drive < 0x80;
    u16 cyl, head, sec;
    u32 lba, got;
    int ret = DISK_RET_OK;
    switch (r->ah) {
    case 0x00: case 0x09: case 0x0C: case 0x0D:
    case 0x10: case 0x11: case 0x14:
        break;
    case 0x01:
        ret = bda8(floppy ? BDA_FD_STATUS : BDA_HD_STATUS);
        r->ah = ret;
        if (ret)
            set_cf(r);
        else
            clear_cf(r);
        return;
    case 0x02:
    case 0x04: {
        u8 count = r->al;
        chs_unpack_int13(r->cx, r->dx, &cyl, &head, &sec);
        r->al = 0;
        if (!count || chs_to_lba(&emu->geom, cyl, head, sec, &lba)
            || lba + count > emu->sectors) {
            ret = DISK_RET_PARAM;
            break;
        }
        if (r->ah == 0x04) {
            r->al = count;
            break;
        }
        ret = atapi_read(emu_cd(), emu->spec.image_lba + lba / 4, (lba & 3) * 512,
                         count * 512, r->es, r->bx, &got);
        r->al = got / 512;
        break;
    }
    case 0x03:
    case 0x05:
        ret = DISK_RET_WRITE_PROTECT;
        break;
    case 0x08: {
        u16 cx;
        u8 dh;
        chs_pack_int13(&emu->geom, false, &cx, &dh);
        disk_ret(r, DISK_RET_OK);
        r->ax = 0;
        r->cx = cx;
        r->dh = dh;
        if (floppy) {
            r->bl = emu->spec.media * 2;        /* 02h 1.2M, 04h 1.44M, 06h 2.88M */
            r->dl = 1;
            r->es = 0xF000;
            r->di = (u16)(u32)fx_dpt;
        } else {
            r->dl = rtdata.disk_count + 1;
        }
        return;
    }
    case 0x15:
        disk_ret(r, DISK_RET_OK);
        if (floppy) {
            r->ah = 0x01;                       /* diskette, no change line */
        } else {
            r->cx = emu->sectors >> 16;
            r->dx = emu->sectors;
            r->ah = 0x03;
        }
        return;
    case 0x16:
        ret = floppy ? DISK_RET_OK : DISK_RET_PARAM;   /* the image never changes */
        break;
    default:
        ret = DISK_RET_PARAM;
        break;
    }
    disk_ret(r, ret);
}
