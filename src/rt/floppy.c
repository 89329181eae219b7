/* Diskette drives on the ISA floppy controller (82077/82078 compatible at
 * 3F0h, IRQ 6, DMA channel 2): INT 40h, which INT 13h hands drives
 * 00h-7Fh to, and INT 0Eh, the controller's interrupt.
 *
 * The drive types come from CMOS 10h; the media is taken to be the one
 * the drive type is made for (QEMU picks the drive type from the image).
 * Every wait is bounded: a controller that does not answer or interrupt
 * gives status 80h (time-out) and is reset at the next call. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/cmos.h"
#include "hw/pic.h"
#include "hw/timer.h"
#include "lib/chs.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/output.h"

#define FDC_DOR  0x3F2          /* digital output: motors, DMA/IRQ enable, reset */
#define FDC_MSR  0x3F4          /* main status */
#define FDC_FIFO 0x3F5
#define FDC_DIR  0x3F7          /* read: disk change line (bit 7) */
#define FDC_CCR  0x3F7          /* write: data rate */

#define MSR_RQM 0x80            /* the FIFO is ready */
#define MSR_DIO 0x40            /* ... to be read */

#define DOR_NRESET 0x04
#define DOR_DMA    0x08         /* DMA and IRQ on */

#define CMD_SPECIFY   0x03
#define CMD_RECAL     0x07
#define CMD_SENSEINT  0x08
#define CMD_SEEK      0x0F
#define CMD_READ      0xE6      /* multi-track, MFM, skip deleted */
#define CMD_WRITE     0xC5      /* multi-track, MFM */

/* 8237 DMA, channel 2. */
#define DMA_ADDR2  0x04
#define DMA_COUNT2 0x05
#define DMA_MASK   0x0A
#define DMA_MODE   0x0B
#define DMA_FLIP   0x0C
#define DMA_PAGE2  0x81
#define DMA_MODE_VERIFY 0x42    /* single, channel 2, no transfer */
#define DMA_MODE_READ   0x46    /* device to memory */
#define DMA_MODE_WRITE  0x4A    /* memory to device */

/* INT 13h diskette statuses. */
#define FD_OK           0x00
#define FD_BAD_CMD      0x01
#define FD_NO_MARK      0x02
#define FD_WRITE_PROT   0x03
#define FD_NOT_FOUND    0x04
#define FD_CHANGED      0x06
#define FD_DMA_OVERRUN  0x08
#define FD_DMA_BOUNDARY 0x09
#define FD_MEDIA        0x0C
#define FD_CRC          0x10
#define FD_CTRL         0x20
#define FD_SEEK         0x40
#define FD_TIMEOUT      0x80

#define BDA_FD_RESULT   0x42    /* 7 bytes: the controller's last result */
#define MOTOR_OFF_TICKS 37      /* about 2 s after the last access */
#define IRQ_TIMEOUT_MS  2000
#define FIFO_TIMEOUT_MS 500

struct fd_type {
    u8 cyls, spt, rate, gap;
};
/* Indexed by the CMOS drive type. Rates are CCR codes: 0 = 500 kbit/s,
 * 2 = 250 kbit/s, 3 = 1 Mbit/s. */
static const struct fd_type fd_types[] = {
    [1] = { 40, 9, 2, 0x2A },   /* 360 KiB 5.25" */
    [2] = { 80, 15, 0, 0x1B },  /* 1.2 MiB 5.25" */
    [3] = { 80, 9, 2, 0x2A },   /* 720 KiB 3.5" */
    [4] = { 80, 18, 0, 0x1B },  /* 1.44 MiB 3.5" */
    [5] = { 80, 36, 3, 0x1B },  /* 2.88 MiB 3.5" */
};

extern char fx_dpt[];           /* INT 1Eh diskette parameter table */

static bool fdc_ready;          /* reset and specified since the last failure */

static u8 fd_type(u8 drive)
{
    if (drive > 1)
        return 0;
    u8 t = cmos_read(CMOS_FLOPPY);
    t = drive ? t & 15 : t >> 4;
    return t < ARRAY_SIZE(fd_types) ? t : 0;
}

static u8 fd_count(void)
{
    return (fd_type(0) != 0) + (fd_type(1) != 0);
}

static int fifo_wait(u8 want)
{
    struct timeout t;
    timeout_start(&t, FIFO_TIMEOUT_MS);
    while ((inb(FDC_MSR) & (MSR_RQM | MSR_DIO)) != want)
        if (timeout_expired(&t))
            return -1;
    return 0;
}

static int fdc_out(u8 v)
{
    if (fifo_wait(MSR_RQM))
        return -1;
    outb(v, FDC_FIFO);
    return 0;
}

static int fdc_in(u8 *v)
{
    if (fifo_wait(MSR_RQM | MSR_DIO))
        return -1;
    *v = inb(FDC_FIFO);
    return 0;
}

/* Wait for IRQ 6 (INT 0Eh sets 40:3Eh bit 7) with interrupts open. */
static int irq_wait(void)
{
    struct timeout t;
    timeout_start(&t, IRQ_TIMEOUT_MS);
    while (!(bda8(BDA_FD_RECAL) & 0x80)) {
        if (timeout_expired(&t))
            return -1;
        asm volatile("sti; hlt; cli" ::: "memory");
    }
    bda_set8(BDA_FD_RECAL, bda8(BDA_FD_RECAL) & 0x7F);
    return 0;
}

static void irq_arm(void)
{
    bda_set8(BDA_FD_RECAL, bda8(BDA_FD_RECAL) & 0x7F);
}

/* SENSE INTERRUPT STATUS: ST0 and the present cylinder. */
static int sense(u8 *st0, u8 *pcn)
{
    if (fdc_out(CMD_SENSEINT) || fdc_in(st0) || fdc_in(pcn))
        return -1;
    return 0;
}

static void motor_on(u8 drive)
{
    u8 mask = 0x10 << drive;
    bda_set8(BDA_FD_MOTOR_TICKS, MOTOR_OFF_TICKS);
    bda_set8(BDA_FD_MOTOR, (bda8(BDA_FD_MOTOR) & 0xC0) | (drive << 4) | (mask >> 4));
    outb(mask | DOR_DMA | DOR_NRESET | drive, FDC_DOR);
}

/* Reset the controller: every drive needs recalibrating afterwards. */
static int fdc_reset(void)
{
    irq_arm();
    outb(DOR_DMA, FDC_DOR);
    outb(DOR_DMA | DOR_NRESET, FDC_DOR);
    if (irq_wait())
        return FD_TIMEOUT;
    u8 st0, pcn;
    for (int i = 0; i < 4; i++)
        if (sense(&st0, &pcn))
            return FD_CTRL;
    /* Step rate, head unload and load times from the DPT; DMA mode. */
    if (fdc_out(CMD_SPECIFY) || fdc_out(0xAF) || fdc_out(0x02))
        return FD_CTRL;
    bda_set8(BDA_FD_RECAL, 0);
    fdc_ready = true;
    return FD_OK;
}

static int recalibrate(u8 drive)
{
    u8 st0, pcn;
    irq_arm();
    if (fdc_out(CMD_RECAL) || fdc_out(drive))
        return FD_CTRL;
    if (irq_wait())
        return FD_TIMEOUT;
    if (sense(&st0, &pcn))
        return FD_CTRL;
    if ((st0 & 0xC0) || pcn)
        return FD_SEEK;
    bda_set8(BDA_FD_RECAL, bda8(BDA_FD_RECAL) | (1 << drive));
    return FD_OK;
}

static int seek(u8 drive, u8 head, u8 cyl)
{
    u8 st0, pcn;
    if (!(bda8(BDA_FD_RECAL) & (1 << drive))) {
        int ret = recalibrate(drive);
        if (ret)
            return ret;
    }
    irq_arm();
    if (fdc_out(CMD_SEEK) || fdc_out(head << 2 | drive) || fdc_out(cyl))
        return FD_CTRL;
    if (irq_wait())
        return FD_TIMEOUT;
    if (sense(&st0, &pcn))
        return FD_CTRL;
    if ((st0 & 0xC0) || pcn != cyl)
        return FD_SEEK;
    return FD_OK;
}

static void dma_setup(u8 mode, u32 addr, u16 bytes)
{
    outb(0x06, DMA_MASK);               /* mask channel 2 */
    outb(0, DMA_FLIP);
    outb(mode, DMA_MODE);
    outb(addr, DMA_ADDR2);
    outb(addr >> 8, DMA_ADDR2);
    outb(addr >> 16, DMA_PAGE2);
    outb(0, DMA_FLIP);
    outb(bytes - 1, DMA_COUNT2);
    outb((bytes - 1) >> 8, DMA_COUNT2);
    outb(0x02, DMA_MASK);               /* unmask */
}

/* The INT 13h status for a READ/WRITE DATA result. */
static int result_status(const u8 *res)
{
    if (!(res[0] & 0xC0))
        return FD_OK;
    u8 st1 = res[1], st2 = res[2];
    if (st1 & 0x02)
        return FD_WRITE_PROT;
    if (st1 & 0x20 || st2 & 0x20)
        return FD_CRC;
    if (st1 & 0x10)
        return FD_DMA_OVERRUN;
    if (st1 & 0x04 || st2 & 0x10)
        return FD_NOT_FOUND;
    if (st1 & 0x01)
        return FD_NO_MARK;
    if (st1 & 0x80)
        return FD_NOT_FOUND;            /* end of cylinder */
    return (res[0] & 0x08) ? FD_TIMEOUT : FD_CTRL;      /* not ready */
}

/* One READ/WRITE DATA (or a verify) of n sectors on one track. */
static int xfer_track(u8 drive, const struct fd_type *t, int op, u8 cyl, u8 head, u8 sec,
                      u8 n, u32 addr)
{
    int ret = seek(drive, head, cyl);
    if (ret)
        return ret;
    outb(t->rate, FDC_CCR);
    dma_setup(op == 1 ? DMA_MODE_WRITE : op == 2 ? DMA_MODE_VERIFY : DMA_MODE_READ,
              addr, n * 512);
    irq_arm();
    u8 cmd[9] = { op == 1 ? CMD_WRITE : CMD_READ, head << 2 | drive, cyl, head, sec, 2,
                  t->spt, t->gap, 0xFF };
    for (int i = 0; i < 9; i++)
        if (fdc_out(cmd[i]))
            return FD_CTRL;
    if (irq_wait())
        return FD_TIMEOUT;
    u8 res[7] = { 0 };
    for (int i = 0; i < 7; i++) {
        if (fdc_in(&res[i]))
            return FD_CTRL;
        bda_set8(BDA_FD_RESULT + i, res[i]);
    }
    return result_status(res);
}

/* 02h/03h/04h: count sectors from CHS on, track by track; a sector that
 * would straddle a 64 KiB DMA page is refused with 09h, as on a PC. */
static void fd_rw(struct bregs *r, u8 drive, const struct fd_type *t, int op)
{
    u8 count = r->al, head = r->dh, sec = r->cl & 0x3F;
    u16 cyl = r->ch | (u16)(r->cl & 0xC0) << 2;
    u32 addr = (u32)r->es * 16 + r->bx;
    u8 done = 0;
    int ret = FD_OK;
    if (!count || head > 1 || !sec || sec > t->spt || cyl >= t->cyls) {
        ret = FD_BAD_CMD;
        goto out;
    }
    motor_on(drive);
    while (done < count) {
        u8 n = MIN((u8)(count - done), (u8)(t->spt - sec + 1));
        u32 room = 0x10000 - (addr & 0xFFFF);
        if (op != 2 && room < n * 512u)
            n = room / 512;
        if (!n) {
            ret = FD_DMA_BOUNDARY;
            break;
        }
        ret = xfer_track(drive, t, op, cyl, head, sec, n, addr);
        if (ret == FD_TIMEOUT || ret == FD_CTRL || ret == FD_SEEK)
            fdc_ready = false;                  /* reset before the next command */
        if (ret)
            break;
        done += n;
        addr += n * 512;
        sec += n;
        if (sec > t->spt) {
            sec = 1;
            if (++head > 1) {
                head = 0;
                if (++cyl >= t->cyls && done < count) {
                    ret = FD_NOT_FOUND;
                    break;
                }
            }
        }
    }
    if (ret)
        dprintf(LOG_DEBUG, "floppy %u: %s c%u h%u s%u failed, status %02x\n", drive,
                op == 1 ? "write" : op == 2 ? "verify" : "read", cyl, head, sec, ret);
out:
    r->al = done;
    disk_ret(r, ret);
}

static void fd_params(struct bregs *r, u8 drive)
{
    u8 type = fd_type(drive);
    r->ax = 0;
    r->bx = 0;
    r->cx = 0;
    r->dh = 0;
    r->dl = fd_count();
    r->es = 0;
    r->di = 0;
    if (type) {
        const struct fd_type *t = &fd_types[type];
        r->bl = type;
        r->ch = t->cyls - 1;
        r->cl = t->spt;
        r->dh = 1;
        r->es = 0xF000;
        r->di = (u16)(u32)fx_dpt;
        clear_cf(r);
    } else {
        r->ah = FD_BAD_CMD;     /* no such drive; DL still counts the drives */
        set_cf(r);
    }
}

void handle_40(struct bregs *r)
{
    u8 drive = r->dl;
    u8 type = fd_type(drive);
    if (r->ah == 0x08) {
        fd_params(r, drive);
        return;
    }
    if (r->ah == 0x15) {
        r->ah = type ? 0x02 : 0x00;     /* drive with change line, or none */
        clear_cf(r);
        return;
    }
    if (!type) {
        disk_ret(r, FD_BAD_CMD);
        return;
    }
    const struct fd_type *t = &fd_types[type];
    switch (r->ah) {
    case 0x00:
        disk_ret(r, fdc_reset());
        break;
    case 0x01: {
        u8 st = bda8(BDA_FD_STATUS);
        r->ah = st;
        if (st)
            set_cf(r);
        else
            clear_cf(r);
        break;
    }
    case 0x02:
    case 0x03:
    case 0x04:
        if (!fdc_ready && fdc_reset()) {
            r->al = 0;
            disk_ret(r, FD_TIMEOUT);
            break;
        }
        fd_rw(r, drive, t, r->ah - 2);
        break;
    case 0x16:
        disk_ret(r, (inb(FDC_DIR) & 0x80) ? FD_CHANGED : FD_OK);
        break;
    case 0x17:
        disk_ret(r, FD_OK);
        break;
    case 0x18: {
        u16 cyls = (r->ch | (u16)(r->cl & 0xC0) << 2) + 1;
        if (cyls != t->cyls || (r->cl & 0x3F) != t->spt) {
            disk_ret(r, FD_MEDIA);
            break;
        }
        r->es = 0xF000;
        r->di = (u16)(u32)fx_dpt;
        disk_ret(r, FD_OK);
        break;
    }
    default:
        disk_ret(r, FD_BAD_CMD);        /* 05h format and the rest */
        break;
    }
}

/* INT 0Eh: diskette controller interrupt. */
void handle_0e(struct bregs *r)
{
    bda_set8(BDA_FD_RECAL, bda8(BDA_FD_RECAL) | 0x80);
    pic_eoi_master();
}
