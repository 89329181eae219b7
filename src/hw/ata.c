#include "hw/ata.h"
#include "hw/timer.h"
#include "lib/io.h"
#include "lib/far.h"
#include "lib/output.h"

#define ATA_TIMEOUT_MS 5000

/* Wait until BSY clears; then return the status (or -1 on timeout). */
static int ata_wait_idle(struct disk *d, u32 ms)
{
    struct timeout t;
    timeout_start(&t, ms);
    for (;;) {
        u8 st = inb(d->iobase + ATA_STATUS);
        if (!(st & ATA_ST_BSY))
            return st;
        if (timeout_expired(&t))
            return -1;
    }
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

static void pio_in(u16 port, u16 seg, u16 off, u16 words)
{
#ifdef MODE16
    u32 di = off, cnt = words;
    asm volatile("pushw %%es\n\tmovw %w3, %%es\n\trep insw\n\tpopw %%es"
                 : "+D"(di), "+c"(cnt) : "d"(port), "r"(seg) : "memory");
#else
    u32 di = FLAT(seg, off), cnt = words;
    asm volatile("rep insw" : "+D"(di), "+c"(cnt) : "d"(port) : "memory");
#endif
}

static void pio_out(u16 port, u16 seg, u16 off, u16 words)
{
#ifdef MODE16
    u32 si = off, cnt = words;
    asm volatile("pushw %%ds\n\tmovw %w3, %%ds\n\trep outsw\n\tpopw %%ds"
                 : "+S"(si), "+c"(cnt) : "d"(port), "r"(seg) : "memory");
#else
    u32 si = FLAT(seg, off), cnt = words;
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

int ata_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    *done = 0;
    if (d->type != DISK_ATA || lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    if (!d->lba48 && lba + count > 0x10000000)
        return DISK_RET_PARAM;
    u32 max = d->lba48 ? 65536 : 256;
    while (count) {
        u32 n = count > max ? max : count;
        int ret;
        if (ata_wait_idle(d, ATA_TIMEOUT_MS) < 0)
            return DISK_RET_TIMEOUT;
        if (op == ATA_OP_VERIFY) {
            ata_command(d, ATA_CMD_VERIFY, ATA_CMD_VERIFY_EXT, lba, n);
            int st = ata_wait_idle(d, ATA_TIMEOUT_MS);
            if (st < 0)
                return DISK_RET_TIMEOUT;
            if (st & (ATA_ST_ERR | ATA_ST_DF))
                return DISK_RET_NOT_FOUND;
            *done += n;
        } else {
            bool wr = op == ATA_OP_WRITE;
            ata_command(d, wr ? ATA_CMD_WRITE : ATA_CMD_READ,
                        wr ? ATA_CMD_WRITE_EXT : ATA_CMD_READ_EXT, lba, n);
            for (u32 i = 0; i < n; i++) {
                ret = ata_wait_drq(d);
                if (ret) {
                    dprintf(LOG_WARN, "ata%d-%d: %s lba %llu failed, status %02x\n",
                            d->channel, d->slave, wr ? "write" : "read",
                            lba + i, inb(d->iobase + ATA_STATUS));
                    return ret;
                }
                /* Keep the offset small so a sector never wraps the segment. */
                seg += off >> 4;
                off &= 0xF;
                if (wr)
                    pio_out(d->iobase + ATA_DATA, seg, off, 256);
                else
                    pio_in(d->iobase + ATA_DATA, seg, off, 256);
                off += 512;
                if (!wr)
                    *done += 1;
            }
            int st = ata_wait_idle(d, ATA_TIMEOUT_MS);
            if (st < 0)
                return DISK_RET_TIMEOUT;
            if (st & (ATA_ST_ERR | ATA_ST_DF)) {
                dprintf(LOG_WARN, "ata%d-%d: %s at lba %llu ended with status %02x\n",
                        d->channel, d->slave, wr ? "write" : "read", lba, st);
                return wr ? DISK_RET_WRITE_FAULT : DISK_RET_NOT_FOUND;
            }
            if (wr) {
                /* Only count a write once the drive has it on media. */
                outb(d->lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH, d->iobase + ATA_COMMAND);
                st = ata_wait_idle(d, 30000);
                if (st < 0)
                    return DISK_RET_TIMEOUT;
                if (st & (ATA_ST_ERR | ATA_ST_DF))
                    return DISK_RET_WRITE_FAULT;
                *done += n;
            }
        }
        lba += n;
        count -= n;
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
    if (st == 0xFF || st == 0x00)
        return -1;
    /* Signature left by the reset: ATAPI devices show 14h/EBh. */
    u8 mid = inb(iobase + ATA_LBA1), high = inb(iobase + ATA_LBA2);
    bool atapi = mid == 0x14 && high == 0xEB;
    if (!atapi && (mid || high))
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
    if (!d->sectors)
        d->sectors = (u32)d->phys.cyl * d->phys.heads * d->phys.spt;
    return 0;
}
