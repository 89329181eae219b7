/* virtio-blk requests for INT 13h: the data descriptor points straight at
 * the caller's buffer. */
#include "hw/virtio-blk.h"
#include "hw/virtio.h"
#include "hw/ata.h"
#include "lib/flat.h"
#include "lib/output.h"

#define BLK_MAX_BYTES 0x10000       /* per request: far below any queue limit */

/* One request: header, len bytes of data at physical address data (none
 * for a flush), status byte. Returns a DISK_RET_ status. */
static int blk_request(struct disk *d, u32 type, u64 sector, u32 data, u32 len)
{
    struct virtio_blk_hdr h = { .type = type, .sector = sector };
    volatile u8 status = 0xFF;
    struct virtio_buf b[3];
    int n = 0;
    b[n++] = (struct virtio_buf){ near_phys(&h), sizeof(h), 0 };
    if (len)
        b[n++] = (struct virtio_buf){ data, len, type == VIRTIO_BLK_T_IN };
    b[n++] = (struct virtio_buf){ near_phys((const void *)&status), 1, 1 };
    static const char *const what[] = { "read", "write", "?", "?", "flush" };
    int ret = DISK_RET_OK;
    if (virtio_request(d->ctrl, b, n))
        ret = DISK_RET_TIMEOUT;
    else if (status == VIRTIO_BLK_S_IOERR)
        ret = type == VIRTIO_BLK_T_IN ? DISK_RET_NOT_FOUND : DISK_RET_WRITE_FAULT;
    else if (status == VIRTIO_BLK_S_UNSUPP)
        ret = DISK_RET_PARAM;
    else if (status != VIRTIO_BLK_S_OK)
        ret = DISK_RET_CTRL_FAIL;
    if (ret)
        dprintf(LOG_WARN, "virtio-blk %02x:%02x.%x: %s at sector %llu failed: %s %u\n",
                d->pci_bus, d->pci_devfn >> 3, d->pci_devfn & 7, what[type], sector,
                ret == DISK_RET_TIMEOUT ? "no answer, device reset" : "status", status);
    return ret;
}

int virtio_blk_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off,
                        u32 *done)
{
    *done = 0;
    if (lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    u32 features = VCTRL(d->ctrl)->features;
    bool wr = op == ATA_OP_WRITE;
    if (wr && (features & (1u << VIRTIO_BLK_F_RO)))
        return DISK_RET_WRITE_PROTECT;
    /* Requests count 512-byte sectors whatever the block size. */
    int shift = 0;
    while ((512u << shift) < d->blksize)
        shift++;
    u32 buf = seg_phys(seg, off);
    u32 per = BLK_MAX_BYTES / d->blksize;
    while (count) {
        u32 n = count < per ? count : per;
        u32 data = buf;
        if (op == ATA_OP_VERIFY) {
            /* No verify request: read each block into the scratch block. */
            n = 1;
            data = VCTRL(d->ctrl)->scratch;
        }
        int ret = blk_request(d, wr ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, lba << shift,
                              data, n * d->blksize);
        /* With a write cache, a write only counts once it is flushed. */
        if (!ret && wr && (features & (1u << VIRTIO_BLK_F_FLUSH)))
            ret = blk_request(d, VIRTIO_BLK_T_FLUSH, 0, 0, 0);
        if (ret)
            return ret;
        *done += n;
        lba += n;
        count -= n;
        if (op != ATA_OP_VERIFY)
            buf += n * d->blksize;
    }
    return DISK_RET_OK;
}
