/* virtio-blk: a block device behind one virtqueue; one INT 13h drive. */
#ifndef KELP_VIRTIO_BLK_H
#define KELP_VIRTIO_BLK_H
#include "lib/types.h"
#include "rtdata.h"

/* Feature bits. */
#define VIRTIO_BLK_F_RO       5     /* read-only */
#define VIRTIO_BLK_F_BLK_SIZE 6     /* blk_size is valid */
#define VIRTIO_BLK_F_FLUSH    9     /* has a write cache: FLUSH makes writes stable */

/* Device configuration. */
#define VIRTIO_BLK_CFG_CAPACITY 0   /* u64, in 512-byte sectors */
#define VIRTIO_BLK_CFG_BLK_SIZE 20  /* u32: logical block size */

/* Request header, followed by the data and a status byte. */
struct virtio_blk_hdr {
    u32 type;
    u32 reserved;
    u64 sector;                 /* always in 512-byte units */
} PACKED;
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

int virtio_blk_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off,
                        u32 *done);
#endif
