#include "hw/ahci.h"
#include "hw/ata.h"
#include "hw/timer.h"
#include "std/ahci.h"
#include "lib/flat.h"
#include "lib/output.h"
#include "lib/string.h"

#define AHCI_STOP_MS   500          /* the spec's limit for CR/FR to clear */
#define AHCI_LINK_MS   1000
#define AHCI_FLUSH_MS  30000
#define CDB_READ10     0x28

static u32 port_regs(const struct disk *d)
{
    return d->ctrl + AHCI_PORT(d->target);
}

static u32 bounce_buf(const struct disk *d)
{
    return flat_rd32(d->priv + AHCI_MEM_BOUNCE_AT);
}

bool ahci_wait(u32 reg, u32 mask, u32 val, u32 ms)
{
    struct timeout t;
    timeout_start(&t, ms);
    for (;;) {
        if ((flat_rd32(reg) & mask) == val)
            return true;
        if (timeout_expired(&t))
            return false;
    }
}

int ahci_port_stop(u32 p)
{
    u32 cmd = flat_rd32(p + AHCI_PxCMD);
    if (cmd & AHCI_PxCMD_ST)
        flat_wr32(p + AHCI_PxCMD, cmd &= ~AHCI_PxCMD_ST);
    if (!ahci_wait(p + AHCI_PxCMD, AHCI_PxCMD_CR, 0, AHCI_STOP_MS))
        return -1;
    if (cmd & AHCI_PxCMD_FRE)
        flat_wr32(p + AHCI_PxCMD, cmd & ~AHCI_PxCMD_FRE);
    return ahci_wait(p + AHCI_PxCMD, AHCI_PxCMD_FR, 0, AHCI_STOP_MS) ? 0 : -1;
}

void ahci_fis(struct disk *d, u8 command, u8 features, u64 lba, u16 count)
{
    u32 f = d->priv + AHCI_MEM_CT + AHCI_CT_CFIS;
    flat_zero(f, AHCI_CT_PRDT);             /* CFIS and ACMD */
    flat_wr8(f + FIS_H2D_TYPE, FIS_TYPE_REG_H2D);
    flat_wr8(f + FIS_H2D_FLAGS, FIS_H2D_C);
    flat_wr8(f + FIS_H2D_COMMAND, command);
    flat_wr8(f + FIS_H2D_FEATURES, features);
    /* LBA mode; a 28-bit command takes LBA 27-24 from the device byte, an
     * EXT command from byte 8 (and ignores the other). */
    flat_wr32(f + FIS_H2D_LBA0, (lba & 0xFFFFFF) | (u32)(0x40 | ((lba >> 24) & 0x0F)) << 24);
    flat_wr32(f + FIS_H2D_LBA3, (lba >> 24) & 0xFFFFFF);
    flat_wr16(f + FIS_H2D_COUNT, count);
}

void ahci_prd(struct disk *d, int i, u32 addr, u32 len)
{
    u32 e = d->priv + AHCI_MEM_CT + AHCI_CT_PRDT + i * AHCI_PRD_SIZE;
    flat_wr32(e + AHCI_PRD_DBA, addr);
    flat_wr32(e + AHCI_PRD_DBAU, 0);
    flat_wr32(e + 8, 0);
    flat_wr32(e + AHCI_PRD_DBC, len - 1);
}

/* Bring a port back after a failed command (AHCI 1.3.1, 6.2.2): stop the
 * command list, clear the error bits, get the drive out of BSY/DRQ
 * (command list override, or COMRESET when the HBA has no override),
 * start again. Every step is bounded; whatever still fails shows in the
 * next command's status. */
static void ahci_recover(struct disk *d)
{
    u32 p = port_regs(d);
    u32 cmd = flat_rd32(p + AHCI_PxCMD) & ~AHCI_PxCMD_ST;
    flat_wr32(p + AHCI_PxCMD, cmd);
    ahci_wait(p + AHCI_PxCMD, AHCI_PxCMD_CR, 0, AHCI_STOP_MS);
    flat_wr32(p + AHCI_PxSERR, ~0u);
    flat_wr32(p + AHCI_PxIS, ~0u);
    if (flat_rd32(p + AHCI_PxTFD) & (ATA_ST_BSY | ATA_ST_DRQ)) {
        if (flat_rd32(d->ctrl + AHCI_CAP) & AHCI_CAP_SCLO) {
            flat_wr32(p + AHCI_PxCMD, cmd | AHCI_PxCMD_CLO);
            ahci_wait(p + AHCI_PxCMD, AHCI_PxCMD_CLO, 0, AHCI_STOP_MS);
        } else {
            u32 sctl = flat_rd32(p + AHCI_PxSCTL) & ~0x0Fu;
            flat_wr32(p + AHCI_PxSCTL, sctl | AHCI_SCTL_DET_RESET);
            udelay(1000);                   /* COMRESET needs at least 1 ms */
            flat_wr32(p + AHCI_PxSCTL, sctl);
            ahci_wait(p + AHCI_PxSSTS, AHCI_SSTS_DET, AHCI_DET_LINK, AHCI_LINK_MS);
            ahci_wait(p + AHCI_PxTFD, ATA_ST_BSY | ATA_ST_DRQ, 0, AHCI_CMD_MS);
            flat_wr32(p + AHCI_PxSERR, ~0u);
            flat_wr32(p + AHCI_PxIS, ~0u);
        }
    }
    flat_wr32(p + AHCI_PxCMD, flat_rd32(p + AHCI_PxCMD) | AHCI_PxCMD_ST);
}

int ahci_exec(struct disk *d, const u8 *cdb, bool write, int nprd, u32 ms)
{
    u32 p = port_regs(d), mem = d->priv;
    u32 flags = FIS_H2D_DWORDS | (u32)nprd << 16 | (write ? AHCI_CH_WRITE : 0);
    if (cdb) {
        flags |= AHCI_CH_ATAPI;
        flat_copy_out(mem + AHCI_MEM_CT + AHCI_CT_ACMD, cdb, 12);
    }
    flat_wr32(mem + AHCI_MEM_CLB + AHCI_CH_FLAGS, flags);
    flat_wr32(mem + AHCI_MEM_CLB + AHCI_CH_PRDBC, 0);
    flat_wr32(mem + AHCI_MEM_CLB + AHCI_CH_CTBA, mem + AHCI_MEM_CT);
    flat_wr32(mem + AHCI_MEM_CLB + AHCI_CH_CTBAU, 0);
    flat_wr32(p + AHCI_PxIS, ~0u);
    flat_barrier();
    flat_wr32(p + AHCI_PxCI, 1);

    /* Done when the HBA clears the slot's bit; an error stops the list
     * with the bit still set and shows in PxIS. */
    struct timeout t;
    timeout_start(&t, ms);
    bool late = false;
    while (!(flat_rd32(p + AHCI_PxIS) & AHCI_PxIS_ERRORS) && (flat_rd32(p + AHCI_PxCI) & 1)) {
        if (timeout_expired(&t)) {
            late = true;
            break;
        }
    }
    u32 is = flat_rd32(p + AHCI_PxIS), tfd = flat_rd32(p + AHCI_PxTFD);
    u8 bad = ATA_ST_ERR | ATA_ST_BSY | ATA_ST_DRQ | (cdb ? 0 : ATA_ST_DF);
    if (!late && !(is & AHCI_PxIS_ERRORS) && !(tfd & bad))
        return DISK_RET_OK;

    u8 command = flat_rd8(mem + AHCI_MEM_CT + AHCI_CT_CFIS + FIS_H2D_COMMAND);
    u8 err = tfd >> 8;
    int ret;
    if (late)
        ret = DISK_RET_TIMEOUT;
    else if (is & (AHCI_PxIS_ERRORS & ~AHCI_PxIS_TFES))
        ret = DISK_RET_CTRL_FAIL;           /* host bus or link */
    else if (cdb)
        ret = atapi_error_status(err);
    else if (write)
        ret = DISK_RET_WRITE_FAULT;
    else if (err & ATA_ER_UNC)
        ret = DISK_RET_ECC;
    else
        ret = DISK_RET_NOT_FOUND;
    /* A failing TEST UNIT READY is how a drive says "no disc (yet)". */
    if (!cdb || cdb[0] != 0x00 || late)
        dprintf(LOG_WARN, "ahci%d-p%d: command %02x%s failed%s: status %02x error %02x, "
                "PxIS %08x\n", d->channel, d->target, command, cdb ? " (packet)" : "",
                late ? " (timeout)" : "", tfd & 0xFF, err, is);
    ahci_recover(d);
    return ret;
}

/* Copy between the bounce buffer and a caller's buffer (physical). */
static void phys_copy(u32 dst, u32 src, u32 n)
{
    while (n--)
        flat_wr8(dst++, flat_rd8(src++));
}

/* One DMA command of n sectors at lba to/from the even address buf. */
static int rw_sectors(struct disk *d, bool write, u64 lba, u32 n, u32 buf)
{
    u8 cmd = d->lba48 ? (write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT)
                      : (write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA);
    ahci_fis(d, cmd, 0, lba, n);
    ahci_prd(d, 0, buf, n * 512);
    int ret = ahci_exec(d, NULL, write, 1, AHCI_CMD_MS);
    if (!ret && write) {
        /* Only count a write once the drive has it on media. */
        ahci_fis(d, d->lba48 ? ATA_CMD_FLUSH_EXT : ATA_CMD_FLUSH, 0, 0, 0);
        ret = ahci_exec(d, NULL, true, 0, AHCI_FLUSH_MS);
    }
    return ret;
}

int ahci_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    *done = 0;
    if (d->atapi)
        return atapi_transfer(d, op, lba, count, seg, off, done);
    if (lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    u32 buf = seg_phys(seg, off);
    u32 bounce = bounce_buf(d);
    bool write = op == ATA_OP_WRITE;
    /* One PRDT entry per command (4 MiB); a 28-bit command moves at most
     * 256 sectors; a buffer at an odd address, which DMA cannot reach,
     * goes through the bounce buffer. */
    u32 max = d->lba48 ? AHCI_PRD_MAX_BYTES / 512 : 256;
    if (op == ATA_OP_VERIFY)
        max = d->lba48 ? 65536 : 256;
    else if (buf & 1)
        max = AHCI_BOUNCE_SIZE / 512;
    while (count) {
        u32 n = MIN(count, max);
        int ret;
        if (op == ATA_OP_VERIFY) {
            ahci_fis(d, d->lba48 ? ATA_CMD_VERIFY_EXT : ATA_CMD_VERIFY, 0, lba, n);
            ret = ahci_exec(d, NULL, false, 0, AHCI_CMD_MS);
        } else if (buf & 1) {
            if (write)
                phys_copy(bounce, buf, n * 512);
            ret = rw_sectors(d, write, lba, n, bounce);
            if (!ret && !write)
                phys_copy(buf, bounce, n * 512);
        } else {
            ret = rw_sectors(d, write, lba, n, buf);
        }
        if (ret)
            return ret;
        *done += n;
        lba += n;
        buf += n * 512;
        count -= n;
    }
    return DISK_RET_OK;
}

/* One packet command whose data goes to the even address buf: the first
 * skip bytes, and the rest of the last block after skip + len, land in the
 * bounce buffer (several entries may point at it). */
static int packet_dma(struct disk *d, const u8 *cdb, u32 buf, u32 skip, u32 len, u32 *got)
{
    u32 bounce = bounce_buf(d);
    u32 tail = (ATAPI_BLOCK - (skip + len) % ATAPI_BLOCK) % ATAPI_BLOCK;
    const u32 part_addr[3] = { bounce, buf, bounce };
    const u32 part_len[3] = { skip, len, tail };
    int n = 0;
    *got = 0;
    for (int k = 0; k < 3; k++) {
        u32 a = part_addr[k], left = part_len[k];
        while (left) {
            u32 step = MIN(left, k == 1 ? AHCI_PRD_MAX_BYTES : AHCI_BOUNCE_SIZE);
            if (n == AHCI_MEM_PRDS)
                return DISK_RET_PARAM;
            ahci_prd(d, n++, a, step);
            if (k == 1)
                a += step;
            left -= step;
        }
    }
    /* PACKET with DMA; the byte count limit (LBA 15-8) only matters to PIO. */
    ahci_fis(d, ATA_CMD_PACKET, 0x01, (u32)ATAPI_BLOCK << 8, 0);
    int ret = ahci_exec(d, cdb, false, n, AHCI_CMD_MS);
    if (ret)
        return ret;
    u32 moved = flat_rd32(d->priv + AHCI_MEM_CLB + AHCI_CH_PRDBC);
    *got = moved <= skip ? 0 : MIN(moved - skip, len);
    return DISK_RET_OK;
}

static u32 be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

int ahci_packet(struct disk *d, const u8 *cdb, u16 seg, u32 off, u32 skip, u32 len, u32 *got)
{
    u32 buf = (u32)seg * 16 + off;
    *got = 0;
    /* The CD code calls in directly, not through rt/disk.c's transfer(). */
    if (flat_enter())
        return DISK_RET_CTRL_FAIL;
    if (!len || !(buf & 1))
        return packet_dma(d, cdb, buf, skip, len, got);
    /* DMA cannot reach an odd address: whole blocks go to the bounce
     * buffer and are copied from there, one at a time for READ (10), the
     * only command with more than a block of data. */
    u8 one[12];
    memcpy(one, cdb, sizeof(one));
    u32 lba = be32(cdb + 2), first = skip / ATAPI_BLOCK;
    u32 last = (skip + len - 1) / ATAPI_BLOCK;
    u32 bounce = bounce_buf(d);
    if (cdb[0] != CDB_READ10 && last != 0)
        return DISK_RET_PARAM;
    for (u32 b = first; b <= last; b++) {
        u32 from = b == first ? skip % ATAPI_BLOCK : 0;
        u32 n = MIN(ATAPI_BLOCK - from, len - *got), moved;
        if (cdb[0] == CDB_READ10) {
            u32 l = lba + b;
            one[2] = l >> 24;
            one[3] = l >> 16;
            one[4] = l >> 8;
            one[5] = l;
            one[7] = 0;
            one[8] = 1;
        }
        int ret = packet_dma(d, one, bounce, 0, ATAPI_BLOCK, &moved);
        if (ret)
            return ret;
        if (moved < from + n)
            return DISK_RET_CTRL_FAIL;
        phys_copy(buf + *got, bounce + from, n);
        *got += n;
    }
    return DISK_RET_OK;
}
