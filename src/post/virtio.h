/* POST side of the virtio disk drivers: bring a virtio PCI function up to
 * a working request queue, and the per-type probes. */
#ifndef KELP_POST_VIRTIO_H
#define KELP_POST_VIRTIO_H
#include "lib/types.h"
#include "post/pci.h"

/* Reset the device, negotiate features (want: device-type bits 0-31; the
 * result goes to the controller's features) and set up virtqueue queue.
 * Returns the physical address of its struct virtio_ctrl, or 0 (logged
 * under who) when the device cannot be used. Requests can be sent after
 * virtio_start(). */
u32 virtio_setup(const struct pci_device *pd, const char *who, u16 queue, u32 want);
void virtio_start(u32 ctrl);
/* Tell the device the driver gave up on it. */
void virtio_fail(u32 ctrl);
void virtio_cfg_wr32(u32 ctrl, u32 off, u32 v);
/* "virtio-blk 00:04.0" */
void virtio_who(char *buf, int size, const char *type, const struct pci_device *pd);

/* Bring a device up and register its disks (who names it in the log);
 * true when Kelp drives it from now on. */
bool virtio_blk_init(const struct pci_device *pd, const char *who);
bool virtio_scsi_init(const struct pci_device *pd, const char *who);
/* Every virtio disk and SCSI host, in PCI order. */
void virtio_init(void);
#endif
