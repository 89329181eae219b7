#include "hw/ata.h"
#include "hw/ahci.h"
#include "hw/timer.h"
#include "lib/io.h"
#include "lib/far.h"
#include "lib/output.h"
#include "lib/string.h"

#define ATA_TIMEOUT_MS 5000
#define ATA_FLUSH_MS 30000      /* a drive writing back a large cache */
#define ATAPI_READY_MS 5000     /* a drive still spinning up gets this long */
/* A command that timed out is sent once more after a channel reset. Errors
 * the drive reports are final: it has retried internally already, and the
 * caller decides whether to try again (INT 13h callers reset and retry). */
#define ATA_TRIES 2

/* The segment that goes with a near pointer in each mode: RTSEG in the
 * 16-bit runtime (DS = SS = RTSEG), 0 in 32-bit flat code, where "0:ptr"
 * is the flat address itself. */
#ifdef MODE16
#define NEAR_SEG RTSEG
#else
#define NEAR_SEG 0
#endif

static const char *const op_name[] = { "read", "write", "verify" };

/* Wait until BSY clears; then return the status (or -1 on timeout). */
static int ata_wait_idle(struct disk *d, u32 ms)
{
    u16 port = d->iobase + ATA_STATUS;
    u8 st = inb(port);
    if (!(st & ATA_ST_BSY))
        return st;                  /* the usual case: no timer needed */
    struct timeout t;
    timeout_start(&t, ms);
    while (!timeout_expired(&t)) {
        st = inb(port);
        if (!(st & ATA_ST_BSY))
            return st;
    }
    return -1;
}

/* Wait for DRQ (data ready) or an error. */
static int ata_wait_drq(struct disk *d)
{
    int st = ata_wait_idle(d, ATA_TIMEOUT_MS);
    if (st < 0)
        return DISK_RET_TIMEOUT;
    if (st & (ATA_ST_ERR | ATA_ST_DF))
        return (st & ATA_ST_DF) ? DISK_RET_WRITE_FAULT : DISK_RET_NOT_FOUND;
    if (!(st & ATA_ST_DRQ))
        return DISK_RET_CTRL_FAIL;
    return DISK_RET_OK;
}

static void ata_select(struct disk *d, u8 extra)
{
    outb(0xA0 | (d->slave ? 0x10 : 0) | extra, d->iobase + ATA_DEVICE);
    /* 400 ns settle: four reads of the alternate status. */
    for (int i = 0; i < 4; i++)
        inb(d->ctlbase + ATA_ALTSTATUS);
}

/* Move words between the data port and linear address lin. The 16-bit
 * runtime reaches lin as seg:off with the smallest offset (lib/far.h), so
 * no piece wraps its segment as long as it ends by REAL_MODE_END, which
 * the callers check. */
static void pio_in(u16 port, u32 lin, u32 words)
{
#ifdef MODE16
    u16 seg, off;
    lin_to_far(lin, &seg, &off);
    u32 di = off, cnt = words;
    asm volatile("pushw %%es\n\tmovw %w3, %%es\n\trep insw\n\tpopw %%es"
                 : "+D"(di), "+c"(cnt) : "d"(port), "r"(seg) : "memory");
#else
    u32 di = lin, cnt = words;
    asm volatile("rep insw" : "+D"(di), "+c"(cnt) : "d"(port) : "memory");
#endif
}

static void pio_out(u16 port, u32 lin, u32 words)
{
#ifdef MODE16
    u16 seg, off;
    lin_to_far(lin, &seg, &off);
    u32 si = off, cnt = words;
    asm volatile("pushw %%ds\n\tmovw %w3, %%ds\n\trep outsw\n\tpopw %%ds"
                 : "+S"(si), "+c"(cnt) : "d"(port), "r"(seg) : "memory");
#else
    u32 si = lin, cnt = words;
    asm volatile("rep outsw" : "+S"(si), "+c"(cnt) : "d"(port) : "memory");
#endif
}

/* Issue one command for up to 256 (LBA28) or 65536 (LBA48) sectors. */
static void ata_command(struct disk *d, u8 cmd28, u8 cmd48, u64 lba, u32 count)
{
    u16 io = d->iobase;
    bool ext = d->lba48 && (lba + count > 0x0FFFFFFF || count > 256);
    outb(0x02, d->ctlbase);                 /* nIEN: we poll */
    if (ext) {
        ata_select(d, 0x40);
        outb(count >> 8, io + ATA_COUNT);
        outb(lba >> 24, io + ATA_LBA0);
        outb(lba >> 32, io + ATA_LBA1);
        outb(lba >> 40, io + ATA_LBA2);
        outb(count, io + ATA_COUNT);
        outb(lba, io + ATA_LBA0);
        outb(lba >> 8, io + ATA_LBA1);
        outb(lba >> 16, io + ATA_LBA2);
        outb(cmd48, io + ATA_COMMAND);
    } else {
        ata_select(d, 0x40 | ((lba >> 24) & 0x0F));
        outb(count, io + ATA_COUNT);
        outb(lba, io + ATA_LBA0);
        outb(lba >> 8, io + ATA_LBA1);
        outb(lba >> 16, io + ATA_LBA2);
        outb(cmd28, io + ATA_COMMAND);
    }
}

/* Get the drive ready for a command: selected, BSY and DRQ clear. A drive
 * still busy after a timeout, or one left in the middle of a data phase (by
 * an error, or by a program that drove the ports itself), would ignore a
 * new command or hand over the old one's data: reset the channel then. */
static int ata_ready(struct disk *d)
{
    for (int reset = 0;; reset++) {
        ata_select(d, 0x40);
        int st = ata_wait_idle(d, ATA_TIMEOUT_MS);
        if (st >= 0 && !(st & ATA_ST_DRQ))
            return DISK_RET_OK;
        dprintf(LOG_WARN, "ata%d-%d: %s (status %02x)%s\n", d->channel, d->slave,
                st < 0 ? "busy" : "in the middle of a transfer", st & 0xFF,
                reset ? " after a channel reset, giving up" : ", resetting the channel");
        if (reset)
            return st < 0 ? DISK_RET_TIMEOUT : DISK_RET_CTRL_FAIL;
        ata_reset(d->iobase, d->ctlbase);
    }
}

/* Status after a command step (BSY clear), or a timeout: the channel is
 * reset so that the drive is not left busy for the next caller. */
static int ata_wait_step(struct disk *d, int op, u64 lba, u32 ms)
{
    inb(d->ctlbase + ATA_ALTSTATUS);        /* let BSY of the step show */
    int st = ata_wait_idle(d, ms);
    if (st < 0) {
        dprintf(LOG_WARN, "ata%d-%d: %s at lba %llu timed out, resetting the channel\n",
                d->channel, d->slave, op_name[op], lba);
        ata_reset(d->iobase, d->ctlbase);
    }
    return st;
}

/* The INT 13h status of a command that ended with ERR or DF, logged. */
static int ata_failed(struct disk *d, int op, u64 lba, u8 st, const char *what)
{
    u8 err = inb(d->iobase + ATA_ERROR);
    u8 ret = ata_error_status(st, err, op);
    dprintf(LOG_WARN, "ata%d-%d: %s%s at lba %llu failed: status %02x, error %02x, "
            "returning %02x\n", d->channel, d->slave, op_name[op], what, lba, st, err, ret);
    return ret;
}

/* One command between the drive and linear address buf; *done counts the
 * sectors that made it: read into the buffer, checked, or for a write
 * flushed to the medium. */
static int ata_rw(struct disk *d, int op, u64 lba, u32 n, u32 buf, u32 *done)
{
    bool wr = op == ATA_OP_WRITE;
    int st, ret = ata_ready(d);
    *done = 0;
    if (ret)
        return ret;
    if (op == ATA_OP_VERIFY)
        ata_command(d, ATA_CMD_VERIFY, ATA_CMD_VERIFY_EXT, lba, n);
    else
        ata_command(d, wr ? ATA_CMD_WRITE : ATA_CMD_READ,
                    wr ? ATA_CMD_WRITE_EXT : ATA_CMD_READ_EXT, lba, n);
    for (u32 i = 0; op != ATA_OP_VERIFY && i < n; i++) {
        st = ata_wait_step(d, op, lba + i, ATA_TIMEOUT_MS);
        if (st < 0)
            return DISK_RET_TIMEOUT;
        /* A write's error shows when the drive asks for the next sector. */
        if (st & (ATA_ST_ERR | ATA_ST_DF))
            return ata_failed(d, op, lba + i - (wr && i), st, "");
        if (!(st & ATA_ST_DRQ)) {
            dprintf(LOG_WARN, "ata%d-%d: %s at lba %llu: no data phase (status %02x)\n",
                    d->channel, d->slave, op_name[op], lba + i, st);
            return DISK_RET_CTRL_FAIL;
        }
        if (wr)
            pio_out(d->iobase + ATA_DATA, buf, 256);
        else
            pio_in(d->iobase + ATA_DATA, buf, 256);
        buf += 512;
        if (!wr)
            ++*done;
    }
    st = ata_wait_step(d, op, lba, ATA_TIMEOUT_MS);
    if (st < 0)
        return DISK_RET_TIMEOUT;
    if (st & (ATA_ST_ERR | ATA_ST_DF))
        return ata_failed(d, op, wr ? lba + n - 1 : lba, st, "");
    if (wr) {
        /* Only count a write once the drive has it on the medium. */
        outb(d->lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH, d->iobase + ATA_COMMAND);
        st = ata_wait_step(d, op, lba, ATA_FLUSH_MS);
        if (st < 0)
            return DISK_RET_TIMEOUT;
        if (st & (ATA_ST_ERR | ATA_ST_DF))
            return ata_failed(d, op, lba, st, " (cache flush)");
    }
    *done = n;
    return DISK_RET_OK;
}

int ata_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    u32 buf = (u32)seg * 16 + off;
    *done = 0;
    if (d->type != DISK_ATA || lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    if (!d->lba48 && lba + count > 0x10000000)
        return DISK_RET_PARAM;
#ifdef MODE16
    if (op != ATA_OP_VERIFY && (count > REAL_MODE_END / 512 || buf + count * 512 > REAL_MODE_END))
        return DISK_RET_BOUNDARY;
#endif
    u32 max = d->lba48 ? 65536 : 256;
    int timeouts = 0;
    while (count) {
        u32 got;
        int ret = ata_rw(d, op, lba, MIN(count, max), buf, &got);
        *done += got;
        lba += got;
        count -= got;
        buf += got * 512;
        if (ret == DISK_RET_TIMEOUT && ++timeouts < ATA_TRIES)
            continue;
        if (ret)
            return ret;
    }
    return DISK_RET_OK;
}

int ata_reset(u16 iobase, u16 ctlbase)
{
    outb(0x06, ctlbase);            /* SRST + nIEN */
    udelay(5);
    outb(0x02, ctlbase);
    udelay(2);
    struct timeout t;
    timeout_start(&t, ATA_TIMEOUT_MS);
    for (;;) {
        u8 st = inb(iobase + ATA_STATUS);
        if (st == 0xFF)
            return -1;              /* floating bus: no channel */
        if (!(st & ATA_ST_BSY))
            return 0;
        if (timeout_expired(&t))
            return -1;
    }
}

int ata_probe(u16 iobase, u16 ctlbase, u8 slave, struct disk *d, u16 *ident)
{
    d->iobase = iobase;
    d->ctlbase = ctlbase;
    d->slave = slave;
    ata_select(d, 0);
    u8 st = inb(iobase + ATA_STATUS);
    if (st == 0xFF)
        return -1;
    /* Signature left by the reset: ATAPI devices show 14h/EBh (and, not
     * being ready for ATA commands, may show a status of 0). */
    u8 mid = inb(iobase + ATA_LBA1), high = inb(iobase + ATA_LBA2);
    bool atapi = mid == 0x14 && high == 0xEB;
    if (!atapi && (mid || high || !st))
        return -1;
    /* A slave position with no drive may echo the master's status; the
     * IDENTIFY below sorts that out. */
    outb(atapi ? ATA_CMD_IDENTIFY_PACKET : ATA_CMD_IDENTIFY, iobase + ATA_COMMAND);
    int ret = ata_wait_drq(d);
    if (ret)
        return -1;
    for (int i = 0; i < 256; i++)
        ident[i] = inw(iobase + ATA_DATA);
    d->type = atapi ? DISK_ATAPI : DISK_ATA;
    d->blksize = atapi ? 2048 : 512;
    if (atapi)
        return 0;
    d->phys.cyl = ident[1];
    d->phys.heads = ident[3];
    d->phys.spt = ident[6];
    d->lba48 = (ident[83] & (1 << 10)) != 0;
    if (d->lba48)
        d->sectors = ident[100] | ((u32)ident[101] << 16) | ((u64)ident[102] << 32)
                     | ((u64)ident[103] << 48);
    else
        d->sectors = ident[60] | ((u32)ident[61] << 16);
    /* CHS only for drives without LBA: with LBA (word 49 bit 9) the count
     * above is the size, even when it says the drive is empty. */
    if (!(ident[49] & (1 << 9)))
        d->sectors = (u32)d->phys.cyl * d->phys.heads * d->phys.spt;
    return 0;
}

/* ---- ATAPI ---- */

/* INT 13h status for each SCSI sense key (upper nibble of the error
 * register after a failed packet command). */
static const u8 sense_status[16] = {
    [0x0] = DISK_RET_PARAM,         /* no sense: command aborted */
    [0x1] = DISK_RET_CTRL_FAIL,
    [0x2] = DISK_RET_NOT_READY,
    [0x3] = DISK_RET_ECC,           /* medium error */
    [0x4] = DISK_RET_CTRL_FAIL,     /* hardware error */
    [0x5] = DISK_RET_NOT_FOUND,     /* illegal request, e.g. LBA out of range */
    [0x6] = DISK_RET_CHANGED,       /* unit attention */
    [0x7] = DISK_RET_WRITE_PROTECT,
    [0x8 ... 0xF] = DISK_RET_CTRL_FAIL,
};

int atapi_error_status(u8 error)
{
    return sense_status[error >> 4];
}

/* Wait for BSY to drop. A failed command comes back as its INT 13h status;
 * otherwise 0, with the status register in *status. */
static int atapi_wait(struct disk *d, u8 *status)
{
    inb(d->ctlbase + ATA_ALTSTATUS);        /* one PIO cycle for the status to settle */
    int st = ata_wait_idle(d, ATA_TIMEOUT_MS);
    if (st < 0)
        return DISK_RET_TIMEOUT;
    if (st & ATA_ST_ERR)
        return atapi_error_status(inb(d->iobase + ATA_ERROR));
    *status = st;
    return DISK_RET_OK;
}

static void pio_drain(u16 port, u32 words)
{
    while (words--)
        inw(port);
}

/* Send the 12-byte packet cdb and take its data-in phase: every DRQ block
 * says in the byte count registers how much it carries; the first skip
 * bytes are dropped, the next len bytes go to seg:off, anything after
 * that is dropped too. */
static int ide_packet(struct disk *d, const u8 *cdb, u16 seg, u32 off,
                      u32 skip, u32 len, u32 *got)
{
    u16 io = d->iobase;
    u32 end = skip + len, seen = 0, buf = (u32)seg * 16 + off;
    u8 st;
    *got = 0;
    if (ata_wait_idle(d, ATA_TIMEOUT_MS) < 0)
        return DISK_RET_TIMEOUT;
    outb(0x02, d->ctlbase);                 /* nIEN: we poll */
    ata_select(d, 0);
    if (ata_wait_idle(d, ATA_TIMEOUT_MS) < 0)
        return DISK_RET_TIMEOUT;
    outb(0, io + ATA_FEATURE);              /* PIO, no overlap */
    outb(ATAPI_BLOCK & 0xFF, io + ATA_LBA1); /* byte count limit per DRQ block */
    outb(ATAPI_BLOCK >> 8, io + ATA_LBA2);
    outb(ATA_CMD_PACKET, io + ATA_COMMAND);
    int ret = atapi_wait(d, &st);
    if (ret)
        return ret;
    if (!(st & ATA_ST_DRQ))
        return DISK_RET_CTRL_FAIL;
    for (int i = 0; i < 12; i += 2)
        outw(cdb[i] | cdb[i + 1] << 8, io + ATA_DATA);
    for (;;) {
        ret = atapi_wait(d, &st);
        if (ret)
            return ret;
        if (!(st & ATA_ST_DRQ))
            return DISK_RET_OK;
        u32 words = (inb(io + ATA_LBA1) | inb(io + ATA_LBA2) << 8) + 1;
        words >>= 1;
        /* A drive that never stops offering data is broken. */
        if (!words || seen > end + 0x10000)
            return DISK_RET_CTRL_FAIL;
        while (words) {
            u32 n = words;
            if (seen < skip) {
                n = MIN(n, (skip - seen) >> 1);
            } else if (seen < end) {
                n = MIN(n, MIN((end - seen) >> 1, 0x4000u));
            }
            if (!n)
                n = 1;
            if (seen >= skip && seen < end) {
                pio_in(io + ATA_DATA, buf, n);
                buf += n << 1;
                *got += n << 1;
            } else {
                pio_drain(io + ATA_DATA, n);
            }
            seen += n << 1;
            words -= n;
        }
    }
}

/* A packet command through the drive's transport. */
static int atapi_packet(struct disk *d, const u8 *cdb, u16 seg, u32 off,
                        u32 skip, u32 len, u32 *got)
{
    if (CONFIG_AHCI && d->type == DISK_AHCI)
        return ahci_packet(d, cdb, seg, off, skip, len, got);
    return ide_packet(d, cdb, seg, off, skip, len, got);
}

static void cdb_be32(u8 *p, u32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

int atapi_ready(struct disk *d)
{
    u8 cdb[12], buf[18];
    u32 got;
    int ret, no_medium = 0;
    struct timeout t;
    timeout_start(&t, ATAPI_READY_MS);
    for (;;) {
        memset(cdb, 0, sizeof(cdb));            /* TEST UNIT READY */
        ret = atapi_packet(d, cdb, NEAR_SEG, (u32)buf, 0, 0, &got);
        if (!ret)
            break;
        cdb[0] = 0x03;                          /* REQUEST SENSE */
        cdb[4] = sizeof(buf);
        if (!atapi_packet(d, cdb, NEAR_SEG, (u32)buf, 0, sizeof(buf), &got) && got >= 14
            && buf[12] == 0x3A && ++no_medium >= 2) {
            /* MEDIUM NOT PRESENT twice: QEMU says it once after a media
             * change before the unit attention, a drive without a disc
             * says it every time. */
            return DISK_RET_NO_MEDIA;
        }
        if (ret == DISK_RET_TIMEOUT || timeout_expired(&t))
            return ret;
    }
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x25;                              /* READ CAPACITY (10) */
    ret = atapi_packet(d, cdb, NEAR_SEG, (u32)buf, 0, 8, &got);
    if (ret)
        return ret;
    if (got < 8)
        return DISK_RET_CTRL_FAIL;
    /* Last block number and block size, big-endian. */
    d->sectors = ((u32)buf[0] << 24 | (u32)buf[1] << 16 | buf[2] << 8 | buf[3]) + 1ull;
    return DISK_RET_OK;
}

int atapi_read(struct disk *d, u32 lba, u32 skip, u32 len, u16 seg, u32 off, u32 *got)
{
    u8 cdb[12];
    u32 blocks = (skip + len + ATAPI_BLOCK - 1) / ATAPI_BLOCK;
    *got = 0;
    if (!len || blocks > 0xFFFF)
        return DISK_RET_PARAM;
#ifdef MODE16
    if ((u32)seg * 16 + off + len > REAL_MODE_END)
        return DISK_RET_BOUNDARY;
#endif
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x28;                              /* READ (10) */
    cdb_be32(cdb + 2, lba);
    cdb[7] = blocks >> 8;
    cdb[8] = blocks;
    int ret = atapi_packet(d, cdb, seg, off, skip, len, got);
    if (!ret && *got != len)
        ret = DISK_RET_CTRL_FAIL;
    return ret;
}

int atapi_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    *done = 0;
    if (op == ATA_OP_WRITE)
        return DISK_RET_WRITE_PROTECT;
    if (lba + count > 0xFFFFFFFFull || count > 0xFFFF)
        return DISK_RET_PARAM;
    if (op == ATA_OP_VERIFY) {
        *done = count;
        return DISK_RET_OK;
    }
    u32 got;
    int ret = atapi_read(d, lba, 0, count * ATAPI_BLOCK, seg, off, &got);
    *done = got / ATAPI_BLOCK;
    return ret;
}

int atapi_eject(struct disk *d)
{
    u8 cdb[12];
    u32 got;
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = 0x1B;                              /* START STOP UNIT */
    cdb[4] = 0x02;                              /* LoEj, stop: open the tray */
    return atapi_packet(d, cdb, 0, 0, 0, 0, &got);
}
