/* Find the size of a virtio-blk disk and give it a drive number. */
#include "post/virtio.h"
#include "post/post.h"
#include "post/alloc.h"
#include "hw/virtio.h"
#include "hw/virtio-blk.h"
#include "lib/string.h"
#include "lib/output.h"

bool virtio_blk_init(const struct pci_device *pd, const char *who)
{
    u32 want = 1u << VIRTIO_BLK_F_RO | 1u << VIRTIO_BLK_F_BLK_SIZE | 1u << VIRTIO_BLK_F_FLUSH;
    u32 ctrl = virtio_setup(pd, who, 0, want);
    if (!ctrl)
        return false;
    struct virtio_ctrl *c = (struct virtio_ctrl *)ctrl;
    u64 capacity = virtio_cfg32(ctrl, VIRTIO_BLK_CFG_CAPACITY)
                   | (u64)virtio_cfg32(ctrl, VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
    u32 bs = 512;
    if (c->features & (1u << VIRTIO_BLK_F_BLK_SIZE))
        bs = virtio_cfg32(ctrl, VIRTIO_BLK_CFG_BLK_SIZE);
    /* INT 13h blocks are the disk's logical blocks, up to a 4 KiB page. */
    if (bs < 512 || bs > 4096 || (bs & (bs - 1))) {
        dprintf(LOG_WARN, "%s: block size %u not supported, not used\n", who, bs);
        virtio_fail(ctrl);
        return false;
    }
    struct disk d;
    memset(&d, 0, sizeof(d));
    d.type = DISK_VIRTIO_BLK;
    d.blksize = bs;
    int shift = 0;
    while ((512u << shift) < bs)
        shift++;
    d.sectors = capacity >> shift;      /* capacity counts 512-byte sectors */
    d.pci_bus = pd->bdf >> 8;
    d.pci_devfn = pd->bdf;
    d.ctrl = ctrl;
    if (!d.sectors) {
        dprintf(LOG_INFO, "%s: empty disk, not served\n", who);
        virtio_fail(ctrl);
        return false;
    }
    /* Verify reads each block here (virtio-blk has no verify request). */
    c->scratch = (u32)high_alloc(bs, 16);
    if (!c->scratch) {
        virtio_fail(ctrl);
        return false;
    }
    virtio_start(ctrl);
    char model[48];
    snprintf(model, sizeof(model), "%s disk, %u-byte blocks%s",
             c->modern ? "virtio 1.0" : "legacy virtio", bs,
             c->features & (1u << VIRTIO_BLK_F_RO) ? ", read-only" : "");
    disk_add(&d, who, model);
    return true;
}
