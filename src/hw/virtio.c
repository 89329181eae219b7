/* The virtqueue side of virtio, shared by the virtio disk drivers in POST
 * and in the runtime: publish one descriptor chain, ring the doorbell,
 * poll the used ring. */
#include "hw/virtio.h"
#include "hw/timer.h"
#include "lib/flat.h"
#include "lib/io.h"

/* A register of either transport: MMIO (modern) or an I/O port (legacy). */
static void reg_wr8(bool modern, u32 reg, u8 v)
{
    if (modern)
        flat_wr8(reg, v);
    else
        outb(v, reg);
}

static void reg_wr16(bool modern, u32 reg, u16 v)
{
    if (modern)
        flat_wr16(reg, v);
    else
        outw(v, reg);
}

u16 virtio_cfg16(u32 ctrl, u32 off)
{
    struct virtio_ctrl __seg_gs *c = VCTRL(ctrl);
    return c->modern ? flat_rd16(c->devcfg + off) : inw(c->devcfg + off);
}

u32 virtio_cfg32(u32 ctrl, u32 off)
{
    struct virtio_ctrl __seg_gs *c = VCTRL(ctrl);
    return c->modern ? flat_rd32(c->devcfg + off) : inl(c->devcfg + off);
}

int virtio_request(u32 ctrl, const struct virtio_buf *bufs, int n)
{
    struct virtio_ctrl __seg_gs *c = VCTRL(ctrl);
    if (c->dead)
        return -1;
    for (int i = 0; i < n; i++) {
        u32 dp = c->desc + i * sizeof(struct vring_desc);
        u16 flags = bufs[i].device_writes ? VRING_DESC_F_WRITE : 0;
        if (i + 1 < n)
            flags |= VRING_DESC_F_NEXT;
        flat_wr64(dp + 0, bufs[i].addr);
        flat_wr32(dp + 8, bufs[i].len);
        flat_wr16(dp + 12, flags);
        flat_wr16(dp + 14, i + 1);
    }
    /* The chain always starts at descriptor 0: the previous request is
     * complete (or the device was reset), so nothing else uses it. */
    u16 idx = c->avail_idx;
    flat_wr16(c->avail + 4 + 2 * (idx % c->qsize), 0);
    flat_barrier();
    c->avail_idx = ++idx;
    flat_wr16(c->avail + 2, idx);
    flat_barrier();
    reg_wr16(c->modern, c->notify, c->queue);
    struct timeout t;
    timeout_start(&t, VIRTIO_TIMEOUT_MS);
    while (flat_rd16(c->used + 2) != idx) {
        if (timeout_expired(&t)) {
            /* Stop the device before the caller reuses the buffers. */
            reg_wr8(c->modern, c->status, 0);
            c->dead = 1;
            return -1;
        }
    }
    flat_barrier();
    return 0;
}
