/* virtio over PCI (virtio 1.0 "modern" and the legacy I/O interface):
 * register layouts, and the one-virtqueue state a driver keeps for a
 * device once POST has set it up.
 *
 * Kelp drives one request at a time: every request is a descriptor chain
 * starting at descriptor 0, polled to completion (interrupts stay off
 * through VRING_AVAIL_F_NO_INTERRUPT), so the queue needs no free list. */
#ifndef KELP_VIRTIO_H
#define KELP_VIRTIO_H
#include "lib/types.h"

#define VIRTIO_VENDOR 0x1AF4
/* Transitional (legacy-capable) and modern-only device IDs. */
#define VIRTIO_DEV_BLK_LEGACY  0x1001
#define VIRTIO_DEV_SCSI_LEGACY 0x1004
#define VIRTIO_DEV_BLK         0x1042
#define VIRTIO_DEV_SCSI        0x1048

/* Device status register bits. */
#define VIRTIO_ST_ACKNOWLEDGE 0x01
#define VIRTIO_ST_DRIVER      0x02
#define VIRTIO_ST_DRIVER_OK   0x04
#define VIRTIO_ST_FEATURES_OK 0x08
#define VIRTIO_ST_FAILED      0x80

/* Feature bits every device type shares. */
#define VIRTIO_F_VERSION_1 32

/* Legacy interface: registers in I/O BAR 0 (no MSI-X, so the device
 * configuration starts at 14h). */
#define VIRTIO_LEG_DEVICE_FEATURES 0x00     /* u32 */
#define VIRTIO_LEG_DRIVER_FEATURES 0x04     /* u32 */
#define VIRTIO_LEG_QUEUE_PFN       0x08     /* u32: ring address / 4096 */
#define VIRTIO_LEG_QUEUE_SIZE      0x0C     /* u16, read-only */
#define VIRTIO_LEG_QUEUE_SELECT    0x0E     /* u16 */
#define VIRTIO_LEG_QUEUE_NOTIFY    0x10     /* u16 */
#define VIRTIO_LEG_STATUS          0x12     /* u8 */
#define VIRTIO_LEG_ISR             0x13     /* u8 */
#define VIRTIO_LEG_CONFIG          0x14
#define VIRTIO_LEG_RING_ALIGN      4096

/* Modern interface: vendor-specific PCI capabilities point into BARs. */
#define VIRTIO_CAP_COMMON  1
#define VIRTIO_CAP_NOTIFY  2
#define VIRTIO_CAP_ISR     3
#define VIRTIO_CAP_DEVICE  4
#define VIRTIO_CAP_PCI_CFG 5
/* Capability layout (offsets from the capability). */
#define VIRTIO_CAP_TYPE    3                /* u8: VIRTIO_CAP_* */
#define VIRTIO_CAP_BAR     4                /* u8: BAR index */
#define VIRTIO_CAP_OFFSET  8                /* u32: offset in the BAR */
#define VIRTIO_CAP_LENGTH  12               /* u32 */
#define VIRTIO_CAP_NOTIFY_MULT 16           /* u32, notify capability only */
/* Common configuration structure. */
#define VIRTIO_CC_DEVICE_FEATURE_SELECT 0x00    /* u32 */
#define VIRTIO_CC_DEVICE_FEATURE        0x04    /* u32 */
#define VIRTIO_CC_DRIVER_FEATURE_SELECT 0x08    /* u32 */
#define VIRTIO_CC_DRIVER_FEATURE        0x0C    /* u32 */
#define VIRTIO_CC_NUM_QUEUES            0x12    /* u16 */
#define VIRTIO_CC_STATUS                0x14    /* u8 */
#define VIRTIO_CC_QUEUE_SELECT          0x16    /* u16 */
#define VIRTIO_CC_QUEUE_SIZE            0x18    /* u16 */
#define VIRTIO_CC_QUEUE_ENABLE          0x1C    /* u16 */
#define VIRTIO_CC_QUEUE_NOTIFY_OFF      0x1E    /* u16 */
#define VIRTIO_CC_QUEUE_DESC            0x20    /* u64 */
#define VIRTIO_CC_QUEUE_DRIVER          0x28    /* u64: available ring */
#define VIRTIO_CC_QUEUE_DEVICE          0x30    /* u64: used ring */

/* Split virtqueue. */
struct vring_desc {
    u64 addr;
    u32 len;
    u16 flags;
    u16 next;
} PACKED;
#define VRING_DESC_F_NEXT  1
#define VRING_DESC_F_WRITE 2                /* the device writes this buffer */
/* Available ring: u16 flags, u16 idx, u16 ring[size]. */
#define VRING_AVAIL_F_NO_INTERRUPT 1
/* Used ring: u16 flags, u16 idx, then { u32 id; u32 len; } ring[size]. */

/* The queue Kelp drives on a device, and how to reach the device. It
 * lives in the reserved high zone (POST allocates and fills it); drivers
 * find it at the physical address in struct disk.ctrl and reach it
 * through lib/flat.h. */
struct virtio_ctrl {
    u32 desc, avail, used;      /* ring parts (physical) */
    u32 notify;                 /* doorbell: MMIO address, or I/O port (legacy) */
    u32 status;                 /* device status register, same convention */
    u32 devcfg;                 /* device-specific configuration, same convention */
    u16 qsize;
    u16 queue;                  /* queue index written to the doorbell */
    u16 avail_idx;              /* requests published so far (mod 2^16) */
    u8 modern;                  /* registers are MMIO (else legacy port I/O) */
    u8 dead;                    /* a request timed out: the device was reset */
    u32 features;               /* device-type feature bits 0-31 negotiated */
    u32 scratch;                /* driver-specific bounce area (0 = none) */
} PACKED;

#define VCTRL(addr) ((struct virtio_ctrl __seg_gs *)(u32)(addr))

/* One buffer of a request. */
struct virtio_buf {
    u32 addr;                   /* physical */
    u32 len;
    u8 device_writes;           /* data flows from the device to memory */
};

#define VIRTIO_MAX_BUFS 4       /* descriptors one request may use */
#define VIRTIO_TIMEOUT_MS 10000

/* Send one request (a chain of n buffers) on the controller at physical
 * address ctrl and wait (bounded) for the device to finish it. Returns 0,
 * or -1 when the device is dead or did not answer in time (it is then
 * reset and left alone for good, so it can no longer write to memory
 * behind the caller's back). */
int virtio_request(u32 ctrl, const struct virtio_buf *bufs, int n);

/* Device-specific configuration reads (either transport). */
u16 virtio_cfg16(u32 ctrl, u32 off);
u32 virtio_cfg32(u32 ctrl, u32 off);
#endif
