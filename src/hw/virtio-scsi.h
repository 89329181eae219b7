/* virtio-scsi: SCSI commands through the request queue of a virtio SCSI
 * host; each logical unit with a disk is one INT 13h drive. */
#ifndef KELP_VIRTIO_SCSI_H
#define KELP_VIRTIO_SCSI_H
#include "lib/types.h"
#include "hw/scsi.h"
#include "rtdata.h"

/* Device configuration. */
#define VIRTIO_SCSI_CFG_SENSE_SIZE 20       /* u32 */
#define VIRTIO_SCSI_CFG_CDB_SIZE   24       /* u32 */
#define VIRTIO_SCSI_CFG_MAX_TARGET 30       /* u16 */
#define VIRTIO_SCSI_CFG_MAX_LUN    32       /* u32 */
#define VIRTIO_SCSI_REQUEST_QUEUE  2        /* after the control and event queues */

/* The command and response headers, with the default CDB and sense sizes
 * (POST makes sure the device uses these). */
#define VIRTIO_SCSI_CDB_SIZE   32
#define VIRTIO_SCSI_SENSE_SIZE 96
struct virtio_scsi_req {
    u8 lun[8];                  /* 1, target, LUN in flat space addressing, 0... */
    u64 tag;
    u8 task_attr, prio, crn;
    u8 cdb[VIRTIO_SCSI_CDB_SIZE];
} PACKED;
struct virtio_scsi_resp {
    u32 sense_len;
    u32 resid;
    u16 status_qualifier;
    u8 status;                  /* SCSI status byte */
    u8 response;                /* VIRTIO_SCSI_S_* */
    u8 sense[VIRTIO_SCSI_SENSE_SIZE];
} PACKED;

/* Response codes (how far the command got). */
#define VIRTIO_SCSI_S_OK         0
#define VIRTIO_SCSI_S_BAD_TARGET 3

/* Run one command on target/lun of the host at ctrl (struct virtio_ctrl),
 * with len bytes of data at physical address data, to the device if
 * to_device. Returns -1 if the host did not answer (timed out or reset
 * earlier), else its VIRTIO_SCSI_S_* response; with S_OK, r says what the
 * logical unit answered. */
int virtio_scsi_cmd(u32 ctrl, u16 target, u32 lun, const u8 *cdb, int cdb_len,
                    u32 data, u32 len, bool to_device, struct scsi_result *r);

int virtio_scsi_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off,
                         u32 *done);
#endif
