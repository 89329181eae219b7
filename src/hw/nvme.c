/* NVMe commands and INT 13h transfers (see hw/nvme.h). Built for both
 * modes: POST sends its admin commands through nvme_cmd() as well. */
#include "hw/nvme.h"
#include "hw/ata.h"
#include "hw/timer.h"
#include "lib/flat.h"
#include "lib/output.h"

/* One past the highest byte a real-mode seg:off reaches (FFFF:FFFF). */
#define REAL_MODE_END 0x10FFF0

static u32 doorbell(struct nvme_ctl *c, struct nvme_queue *q, int completion)
{
    return c->regs + NVME_REG_DOORBELLS + (2 * q->qid + completion) * c->db_stride;
}

int nvme_cmd(struct nvme_ctl *c, struct nvme_queue *q, struct nvme_sqe *cmd)
{
    u16 mask = q->size - 1;
    u16 next = (q->tail + 1) & mask;
    if (next == q->sq_head)
        return NVME_QUEUE_FULL;
    u16 cid = ++q->cid;
    cmd->cdw0 = (cmd->cdw0 & 0xFFFF) | (u32)cid << 16;
    const u32 *src = (const u32 *)cmd;
    u32 slot = q->sq + q->tail * sizeof(*cmd);
    for (u32 i = 0; i < sizeof(*cmd) / 4; i++)
        flat_wr32(slot + 4 * i, src[i]);
    q->tail = next;
    flat_barrier();
    flat_wr32(doorbell(c, q, 0), next);

    struct timeout t;
    timeout_start(&t, NVME_CMD_TIMEOUT_MS);
    for (;;) {
        u32 cqe = q->cq + q->head * NVME_CQE_SIZE;
        u32 dw3 = flat_rd32(cqe + NVME_CQE_DW3);
        if (NVME_CQE_PHASE(dw3) == q->phase) {
            q->sq_head = flat_rd32(cqe + NVME_CQE_DW2) & mask;
            q->head = (q->head + 1) & mask;
            if (!q->head)
                q->phase ^= 1;
            flat_wr32(doorbell(c, q, 1), q->head);
            if ((u16)dw3 == cid)
                return NVME_CQE_STATUS(dw3);
            continue;           /* a late answer to a command given up on */
        }
        if (timeout_expired(&t))
            return NVME_TIMEOUT;
    }
}

/* Copy between two physical ranges (the caller's buffer and the bounce
 * page); len is a multiple of 4. */
static void flat_move(u32 dst, u32 src, u32 len)
{
    for (u32 i = 0; i < len; i += 4)
        flat_wr32(dst + i, flat_rd32(src + i));
}

/* PRP entries for len bytes at addr: the first page (from any dword
 * offset), then the second page or a list of the following ones. */
static u64 prp2_for(struct nvme_ctl *c, u32 addr, u32 len)
{
    u32 page = (addr & ~(NVME_PAGE_SIZE - 1)) + NVME_PAGE_SIZE;
    u32 end = addr + len;
    if (end <= page)
        return 0;
    if (end <= page + NVME_PAGE_SIZE)
        return page;
    for (u32 i = 0; page < end; i++, page += NVME_PAGE_SIZE)
        flat_wr64(c->prp_list + 8 * i, page);
    return c->prp_list;
}

/* INT 13h status for a failed command. */
static int status_ret(int st, bool wr)
{
    if (st == NVME_TIMEOUT || st == NVME_QUEUE_FULL)
        return DISK_RET_TIMEOUT;
    if (NVME_SC_TYPE(st) == NVME_SCT_GENERIC) {
        if (NVME_SC_CODE(st) == NVME_SC_WRITE_PROTECTED)
            return DISK_RET_WRITE_PROTECT;
        if (NVME_SC_CODE(st) == NVME_SC_LBA_RANGE)
            return DISK_RET_NOT_FOUND;
    }
    if (wr)
        return DISK_RET_WRITE_FAULT;
    return NVME_SC_TYPE(st) == NVME_SCT_MEDIA ? DISK_RET_ECC : DISK_RET_CTRL_FAIL;
}

/* Read or write n blocks at lba with the data at addr; for a write, then
 * flush the volatile cache. The status of the first command that failed.
 * (Out of line: inlined, it makes the 16-bit code larger.) */
static __attribute__((noinline)) int rw(struct nvme_ctl *c, struct disk *d, bool wr, u64 lba,
                                        u32 n, u32 addr)
{
    struct nvme_sqe cmd = {
        .cdw0 = wr ? NVME_CMD_WRITE : NVME_CMD_READ,
        .nsid = d->lun,
        .prp1 = addr,
        .prp2 = prp2_for(c, addr, n * d->blksize),
        .cdw10 = (u32)lba,
        .cdw11 = (u32)(lba >> 32),
        .cdw12 = n - 1,
    };
    int st = nvme_cmd(c, &c->io, &cmd);
    if (st || !wr || !c->write_cache)
        return st;
    /* Blocks count as written once they are on the medium, not in a
     * volatile cache. */
    struct nvme_sqe flush = { .cdw0 = NVME_CMD_FLUSH, .nsid = d->lun };
    return nvme_cmd(c, &c->io, &flush);
}

int nvme_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done)
{
    *done = 0;
    if (d->type != DISK_NVME || lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    if (op == ATA_OP_VERIFY) {
        *done = count;
        return DISK_RET_OK;
    }
    u32 bs = d->blksize;
    u32 buf = seg_phys(seg, off);
    /* DMA goes where the address says: never past what real mode can
     * address (the memory above belongs to whoever runs in it). */
    if (count > (REAL_MODE_END - buf) / bs)
        return DISK_RET_PARAM;

    struct nvme_ctl c;
    flat_copy_in(&c, d->ctrl, sizeof(c));
    bool wr = op == ATA_OP_WRITE;
    /* PRP entries need dword alignment: other buffers go through the
     * bounce page, one page at a time. */
    bool bounce = buf & 3;
    u32 per_cmd = (bounce ? NVME_PAGE_SIZE : c.max_bytes) / bs;
    int ret = DISK_RET_OK;
    while (count) {
        u32 n = count < per_cmd ? count : per_cmd;
        u32 len = n * bs;
        u32 addr = bounce ? c.bounce : buf;
        if (bounce && wr)
            flat_move(addr, buf, len);
        int st = rw(&c, d, wr, lba, n, addr);
        if (st) {
            ret = status_ret(st, wr);
            dprintf(LOG_WARN, "nvme %02x:%02x.%x n%u: %s of %u blocks at lba %llu ",
                    d->pci_bus, d->pci_devfn >> 3, d->pci_devfn & 7, d->lun,
                    wr ? "write" : "read", n, lba);
            if (st < 0)
                dprintf(LOG_WARN, "got no answer in %u ms, int13 %02x\n", NVME_CMD_TIMEOUT_MS, ret);
            else
                dprintf(LOG_WARN, "failed, status %x, int13 %02x\n", st, ret);
            break;
        }
        if (bounce && !wr)
            flat_move(buf, addr, len);
        *done += n;
        lba += n;
        buf += len;
        count -= n;
    }
    flat_copy_out(d->ctrl + __builtin_offsetof(struct nvme_ctl, io), &c.io, sizeof(c.io));
    return ret;
}
