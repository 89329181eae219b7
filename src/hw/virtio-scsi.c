/* virtio-scsi: commands on the request queue; INT 13h transfers of the
 * disks POST found behind it. */
#include "hw/virtio-scsi.h"
#include "hw/virtio.h"
#include "hw/ata.h"
#include "lib/flat.h"
#include "lib/string.h"
#include "lib/output.h"

#define SCSI_MAX_BYTES 0x10000      /* per command */

int virtio_scsi_cmd(u32 ctrl, u16 target, u32 lun, const u8 *cdb, int cdb_len,
                    u32 data, u32 len, bool to_device, struct scsi_result *r)
{
    struct virtio_scsi_req req;
    struct virtio_scsi_resp resp;
    memset(r, 0, sizeof(*r));
    r->status = 0xFF;
    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.lun[0] = 1;
    req.lun[1] = target;
    req.lun[2] = 0x40 | (lun >> 8);
    req.lun[3] = lun;
    memcpy(req.cdb, cdb, cdb_len);
    resp.response = 0xFF;
    /* Device-readable parts first: header, data out; then the response
     * and data in. */
    struct virtio_buf b[3];
    int n = 0;
    b[n++] = (struct virtio_buf){ near_phys(&req), sizeof(req), 0 };
    if (len && to_device)
        b[n++] = (struct virtio_buf){ data, len, 0 };
    b[n++] = (struct virtio_buf){ near_phys(&resp), sizeof(resp), 1 };
    if (len && !to_device)
        b[n++] = (struct virtio_buf){ data, len, 1 };
    if (virtio_request(ctrl, b, n))
        return -1;
    r->status = resp.status;
    r->resid = resp.resid;
    u32 sense_len = resp.sense_len < sizeof(resp.sense) ? resp.sense_len : sizeof(resp.sense);
    scsi_sense_parse(r, resp.sense, r->status == SCSI_CHECK_CONDITION ? sense_len : 0);
    return resp.response;
}

int virtio_scsi_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off,
                         u32 *done)
{
    *done = 0;
    if (lba + count > d->sectors || lba + count < lba)
        return DISK_RET_PARAM;
    bool wr = op == ATA_OP_WRITE;
    u32 buf = seg_phys(seg, off);
    u32 per = SCSI_MAX_BYTES / d->blksize;
    bool retried = false;
    while (count) {
        u32 n = count < per ? count : per;
        u8 cdb[16];
        int len = scsi_cdb_rw(cdb, op, lba, n);
        struct scsi_result r;
        u32 bytes = op == ATA_OP_VERIFY ? 0 : n * d->blksize;
        int resp = virtio_scsi_cmd(d->ctrl, d->target, d->lun, cdb, len, buf, bytes, wr, &r);
        int ret;
        if (resp < 0)
            ret = DISK_RET_TIMEOUT;
        else if (resp != VIRTIO_SCSI_S_OK)
            ret = DISK_RET_CTRL_FAIL;
        else
            ret = scsi_disk_status(&r, wr);
        /* A unit attention (reset, capacity changed) says nothing about
         * this command: send it once more. */
        if (ret == DISK_RET_CHANGED && !retried) {
            retried = true;
            continue;
        }
        if (ret) {
            dprintf(LOG_WARN, "virtio-scsi %02x:%02x.%x target %u lun %u: %s of %u at lba %llu "
                    "failed: response %d, status %02x, sense %x/%02x/%02x\n", d->pci_bus,
                    d->pci_devfn >> 3, d->pci_devfn & 7, d->target, d->lun,
                    wr ? "write" : op == ATA_OP_VERIFY ? "verify" : "read", n, lba, resp,
                    r.status, r.key, r.asc, r.ascq);
            return ret;
        }
        *done += n;
        lba += n;
        count -= n;
        buf += bytes;
        retried = false;
    }
    return DISK_RET_OK;
}
