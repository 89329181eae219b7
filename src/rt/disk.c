/* INT 13h: disk services for the hard disks POST found (drive 80h + index),
 * CHS functions 00h-18h and the EDD 3.0 extensions 41h-48h; the same for
 * the CD drives (E0h + index) with what differs in rt/cdrom.c. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "edd.h"
#include "hw/ata.h"
#include "hw/ahci.h"
#include "hw/nvme.h"
#include "hw/virtio-blk.h"
#include "hw/virtio-scsi.h"
#include "lib/chs.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/checksum.h"
#include "lib/output.h"
#include "lib/io.h"
#include "lib/flat.h"

#define DISK_RET_EPARAM 0x01
#define DISK_RET_NOT_REMOVABLE 0xB2

/* rt/cdrom.c */
bool cd_13(struct bregs *r, struct disk *d);
void cd_13_eltorito(struct bregs *r);
void cdemu_13(struct bregs *r);

static struct edd_dpte dpte[MAX_DISKS + MAX_CDS];

static struct disk *lookup(u8 drive)
{
    if (drive >= CD_DRIVE_FIRST) {
        drive -= CD_DRIVE_FIRST;
        return drive < rtdata.cd_count ? &rtdata.cds[drive] : NULL;
    }
    if (drive < 0x80 || drive >= 0x80 + rtdata.disk_count)
        return NULL;
    return &rtdata.disks[drive - 0x80];
}

void disk_ret(struct bregs *r, u8 status)
{
    if (r->dl >= 0x80)
        bda_set8(BDA_HD_STATUS, status);
    else
        bda_set8(BDA_FD_STATUS, status);
    r->ah = status;
    if (status)
        set_cf(r);
    else
        clear_cf(r);
}

static int transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    bda_set8(BDA_HD_IRQ, 0);
    /* A buffer running past FFFF:FFFF cannot be what the caller meant; the
     * AT BIOS said 09h (boundary error) for buffers it could not reach. One
     * crossing a 64 KiB segment is fine: it goes on at the next linear
     * address, as the AT BIOS's ES:BX normalisation did. */
    *done = 0;
    if (op != ATA_OP_VERIFY && seg_phys(seg, off) + count * d->blksize > REAL_MODE_END)
        return DISK_RET_BOUNDARY;
    switch (d->type) {
    case DISK_ATA:
        return ata_transfer(d, op, lba, count, seg, off, done);
    case DISK_ATAPI:
        return atapi_transfer(d, op, lba, count, seg, off, done);
    }
    /* The drivers below reach their registers and rings through a flat
     * GS (lib/flat.h). */
    *done = 0;
    if (flat_enter())
        return DISK_RET_CTRL_FAIL;
    switch (d->type) {
    case DISK_AHCI:
        if (CONFIG_AHCI)
            return ahci_transfer(d, op, lba, count, seg, off, done);
        break;
    case DISK_NVME:
        if (CONFIG_NVME)
            return nvme_transfer(d, op, lba, count, seg, off, done);
        break;
    case DISK_VIRTIO_BLK:
        if (CONFIG_VIRTIO_BLK)
            return virtio_blk_transfer(d, op, lba, count, seg, off, done);
        break;
    case DISK_VIRTIO_SCSI:
        if (CONFIG_VIRTIO_SCSI)
            return virtio_scsi_transfer(d, op, lba, count, seg, off, done);
        break;
    }
    return DISK_RET_EPARAM;
}

int disk_read(u8 drive, u32 lba, u16 count, u16 seg, u16 off)
{
    struct disk *d = lookup(drive);
    u32 done;
    if (!d)
        return DISK_RET_EPARAM;
    return transfer(d, ATA_OP_READ, lba, count, seg, off, &done);
}

/* 02h/03h/04h: CHS read, write, verify. */
static void chs_rw(struct bregs *r, struct disk *d, int op)
{
    u16 cyl, head, sec;
    u32 lba, done = 0;
    u8 count = r->al;
    chs_unpack_int13(r->cx, r->dx, &cyl, &head, &sec);
    if (!count || count > 128 || chs_to_lba(&d->lchs, cyl, head, sec, &lba)) {
        r->al = 0;
        disk_ret(r, DISK_RET_EPARAM);
        return;
    }
    int ret = transfer(d, op, lba, count, r->es, r->bx, &done);
    r->al = done;
    disk_ret(r, ret);
}

/* 42h/43h/44h/47h: extended read, write (AL = 2: with verify), verify,
 * seek. The packet follows EDD-4, which allows 127 blocks; 128 (a whole
 * 64 KiB segment of 512-byte sectors, which loaders send too) is served as
 * well. The count is read as a word, so a caller's 256 is refused rather
 * than taken as 0; the FFh
 * form with a 32-bit count is not supported), and a buffer of FFFF:FFFF
 * means the 64-bit address at 10h, served when real mode can reach it. */
static void ext_rw(struct bregs *r, struct disk *d, int op)
{
    struct edd_dap dap;
    u16 seg = r->ds, off = r->si;
    far_read(&dap, seg, off, sizeof(dap));
    u16 count = dap.count, buf_seg = dap.buf_seg, buf_off = dap.buf_off;
    u32 done = 0;
    int ret = DISK_RET_EPARAM;
    if (dap.size < 0x10) {
        /* refused */
    } else if (op < 0) {
        ret = dap.lba < d->sectors ? DISK_RET_OK : DISK_RET_EPARAM;
    } else if (count > 128) {
        /* refused */
    } else if (buf_seg == 0xFFFF && buf_off == 0xFFFF && op != ATA_OP_VERIFY
               && (dap.size < 0x18 || dap.buf_flat + count * d->blksize > REAL_MODE_END)) {
        /* no flat address given, or one real mode cannot reach */
    } else if (!count) {
        ret = DISK_RET_OK;
    } else if (dap.lba >= d->sectors || count > d->sectors - dap.lba) {
        /* past the end */
    } else {
        if (buf_seg == 0xFFFF && buf_off == 0xFFFF)
            lin_to_far(dap.buf_flat, &buf_seg, &buf_off);
        ret = transfer(d, op, dap.lba, count, buf_seg, buf_off, &done);
        if (!ret && op == ATA_OP_WRITE && r->al == 2)
            ret = transfer(d, ATA_OP_VERIFY, dap.lba, count, 0, 0, &done);
    }
    if (op >= 0)
        poke16(seg, off + 2, done);
    disk_ret(r, ret);
}

static void fill_dpte(int idx, struct disk *d)
{
    struct edd_dpte *t = &dpte[idx];
    memset(t, 0, sizeof(*t));
    t->iobase = d->iobase;
    t->ctlbase = d->ctlbase + 0;
    t->head_prefix = 0xA0 | (d->slave ? 0x10 : 0) | 0x40;
    t->irq = d->channel ? 15 : 14;
    t->multi = 1;
    u16 opt = 0x10;                         /* LBA on */
    if (d->type == DISK_ATAPI)
        opt |= 0x60;                        /* removable, ATAPI */
    if (d->lchs.heads != d->phys.heads || d->lchs.cyl != d->phys.cyl)
        opt |= 0x08 | (d->translation == CHS_LBA ? 0x0200 : 0);
    t->options = opt;
    t->revision = 0x11;
    t->checksum = checksum_fix(t, sizeof(*t));
}

/* 48h: drive parameters. */
static void ext_params(struct bregs *r, struct disk *d)
{
    u16 seg = r->ds, off = r->si;
    u16 size = peek16(seg, off);
    struct edd_params p;
    if (size < 0x1A) {
        disk_ret(r, DISK_RET_EPARAM);
        return;
    }
    memset(&p, 0, sizeof(p));
    p.flags = EDD_FLAG_DMA_BOUNDARY;
    bool atapi = d->type == DISK_ATAPI || d->atapi;
    u64 chs_total = (u64)d->lchs.cyl * d->lchs.heads * d->lchs.spt;
    if (atapi) {
        /* Removable, change line, lockable; no CHS (all ones, as SeaBIOS). */
        p.flags |= 0x74;
        p.cyls = p.heads = p.spt = 0xFFFFFFFF;
    } else if (d->sectors <= 15482880ull && chs_total) {
        p.flags |= EDD_FLAG_CHS_VALID;
        p.cyls = d->lchs.cyl;
        p.heads = d->lchs.heads;
        p.spt = d->lchs.spt;
    } else {
        p.cyls = 0x3FFF;
        p.heads = 16;
        p.spt = 63;
    }
    p.sectors = d->sectors;
    p.blksize = d->blksize;
    u16 len = 0x1A;
    /* EDD names no virtio interface, and Linux's edd driver decodes only
     * the names it defines: a virtio-blk disk is reported the way a
     * virtio-scsi one is, as SCSI target 0, LUN 0 of its PCI function. */
    bool scsi = d->type == DISK_VIRTIO_BLK || d->type == DISK_VIRTIO_SCSI;
    if (size >= 0x1E) {
        /* The DPTE describes IDE registers: other drives have none. */
        p.dpte_off = p.dpte_seg = 0xFFFF;
        if (d->type == DISK_ATA || d->type == DISK_ATAPI) {
            int idx = atapi ? MAX_DISKS + (d - rtdata.cds) : d - rtdata.disks;
            fill_dpte(idx, d);
            p.dpte_off = (u16)(u32)&dpte[idx];
            p.dpte_seg = RTSEG;
        }
        len = 0x1E;
    }
    if (size >= 0x42) {
        bool t13 = size >= 0x4A;
        p.key = 0xBEDD;
        p.path_len = t13 ? 0x2C : 0x24;
        memcpy(p.host_bus, "PCI ", 4);
        memcpy(p.iface, scsi ? "SCSI    " : atapi ? "ATAPI   " : "ATA     ", 8);
        p.iface_path[0] = d->pci_bus;
        p.iface_path[1] = d->pci_devfn >> 3;
        p.iface_path[2] = d->pci_devfn & 7;
        p.iface_path[3] = d->channel;
        p.dev_path[0] = d->slave;
        if (d->type == DISK_AHCI) {
            /* EDD-4: an AHCI port, no channel, no port multiplier. */
            memcpy(p.iface, "SATA    ", 8);
            p.iface_path[3] = 0xFF;
            p.dev_path[0] = d->target;
        } else if (d->type == DISK_NVME) {
            /* EDD-4 amendment 1 (INCITS 480-2011/AM1) added NVMe: the
             * device path starts with the namespace ID (a dword). */
            memcpy(p.iface, "NVME    ", 8);
            memcpy(p.dev_path, &d->lun, 4);
        } else if (scsi && t13) {
            /* T13 EDD-3: target ID (word), then the LUN (qword). */
            p.dev_path[0] = d->target;
            p.dev_path[1] = d->target >> 8;
            memcpy(p.dev_path + 2, &d->lun, 4);
        } else if (scsi) {
            p.dev_path[0] = d->lun;         /* Phoenix EDD 3.0: the LUN byte */
        }
        len = t13 ? 0x4A : 0x42;
        u8 *b = (u8 *)&p;
        b[len - 1] = checksum_fix(b + 0x1E, len - 0x1E - 1 + 1);
    }
    p.size = len;
    far_write(seg, off, &p, len);
    disk_ret(r, DISK_RET_OK);
}

void handle_13(struct bregs *r)
{
    rtdata.int13_calls++;
    u8 dl = r->dl;
    if (r->ah == 0x4B || r->ah == 0x4D) {
        cd_13_eltorito(r);
        return;
    }
    if (rtdata.cdemu.emulating) {
        /* The booted CD image is drive 00h or 80h; the real drives of
         * that kind answer one number higher. */
        u8 emu = rtdata.cdemu.spec.drive;
        if (dl == emu) {
            cdemu_13(r);
            return;
        }
        if (dl < CD_DRIVE_FIRST && !((dl ^ emu) & 0x80))
            dl--;
    }
    if (dl < 0x80) {
        /* No diskette drives are served (yet): INT 40h owns them. */
        rt_call_int(0x40, r);
        return;
    }
    struct disk *d = lookup(dl);
    if (!d) {
        disk_ret(r, DISK_RET_EPARAM);
        return;
    }
    if (dl >= CD_DRIVE_FIRST && cd_13(r, d))
        return;
    switch (r->ah) {
    case 0x00:
    case 0x09:
    case 0x0C:
    case 0x0D:
    case 0x10:
    case 0x11:
    case 0x14:
        disk_ret(r, DISK_RET_OK);
        break;
    case 0x01: {
        u8 st = bda8(BDA_HD_STATUS);
        r->ah = st;
        if (st)
            set_cf(r);
        else
            clear_cf(r);
        break;
    }
    case 0x02:
        chs_rw(r, d, ATA_OP_READ);
        break;
    case 0x03:
        chs_rw(r, d, ATA_OP_WRITE);
        break;
    case 0x04:
        chs_rw(r, d, ATA_OP_VERIFY);
        break;
    case 0x08: {
        u16 cx;
        u8 dh;
        chs_pack_int13(&d->lchs, true, &cx, &dh);
        r->ax = 0;
        r->cx = cx;
        r->dh = dh;
        /* All hard disks INT 13h serves, ROM-connected ones included. */
        r->dl = bda8(BDA_HD_COUNT);
        disk_ret(r, DISK_RET_OK);
        break;
    }
    case 0x15: {
        u32 n = (u32)(d->lchs.cyl ? d->lchs.cyl - 1 : 0) * d->lchs.heads * d->lchs.spt;
        r->cx = n >> 16;
        r->dx = n;
        bda_set8(BDA_HD_STATUS, 0);
        r->ah = 0x03;
        clear_cf(r);
        break;
    }
    case 0x41:
        if (r->bx != 0x55AA) {
            disk_ret(r, DISK_RET_EPARAM);
            break;
        }
        r->bx = 0xAA55;
        r->cx = 0x0007;
        r->ah = 0x30;
        clear_cf(r);
        break;
    case 0x42:
        ext_rw(r, d, ATA_OP_READ);
        break;
    case 0x43:
        ext_rw(r, d, ATA_OP_WRITE);
        break;
    case 0x44:
        ext_rw(r, d, ATA_OP_VERIFY);
        break;
    case 0x47:
        ext_rw(r, d, -1);
        break;
    case 0x45:
    case 0x46:
        disk_ret(r, DISK_RET_NOT_REMOVABLE);
        break;
    case 0x48:
        ext_params(r, d);
        break;
    case 0x49:
    case 0x4E:
        disk_ret(r, DISK_RET_OK);
        break;
    default:
        disk_ret(r, DISK_RET_EPARAM);
        break;
    }
}
