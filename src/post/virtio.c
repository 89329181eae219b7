/* Bring virtio PCI functions up: find the transport (virtio 1.0
 * capabilities, else the legacy I/O BAR of a transitional device), go
 * through the status handshake, negotiate features and set up the one
 * virtqueue Kelp uses, in the reserved high zone so it outlives POST. */
#include "post/virtio.h"
#include "post/alloc.h"
#include "post/optionrom.h"
#include "hw/virtio.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "hw/timer.h"
#include "lib/io.h"
#include "lib/output.h"

/* Kelp has at most one request of at most VIRTIO_MAX_BUFS descriptors in
 * flight, so a modern queue (whose size the driver picks) stays small. */
#define MODERN_QUEUE_SIZE 8
#define RESET_TIMEOUT_MS 1000

/* Registers of either transport: MMIO (modern) or I/O ports (legacy). */
static u8 rd8(const struct virtio_ctrl *c, u32 reg)
{
    return c->modern ? *(volatile u8 *)reg : inb(reg);
}
static void wr8(const struct virtio_ctrl *c, u32 reg, u8 v)
{
    if (c->modern)
        *(volatile u8 *)reg = v;
    else
        outb(v, reg);
}
static u16 rd16(u32 reg) { return *(volatile u16 *)reg; }
static void wr16(u32 reg, u16 v) { *(volatile u16 *)reg = v; }
static u32 rd32(u32 reg) { return *(volatile u32 *)reg; }
static void wr32(u32 reg, u32 v) { *(volatile u32 *)reg = v; }

void virtio_cfg_wr32(u32 ctrl, u32 off, u32 v)
{
    const struct virtio_ctrl *c = (const struct virtio_ctrl *)ctrl;
    if (c->modern)
        wr32(c->devcfg + off, v);
    else
        outl(v, c->devcfg + off);
}

void virtio_who(char *buf, int size, const char *type, const struct pci_device *pd)
{
    snprintf(buf, size, "%s %02x:%02x.%x", type, pd->bdf >> 8, (pd->bdf >> 3) & 0x1F,
             pd->bdf & 7);
}

/* The modern structures Kelp needs, as physical addresses. */
struct modern_regs {
    u32 common, notify, device;
    u32 notify_mult, notify_len;
};

/* Address of what a capability points at: 0 when its BAR is not a
 * memory BAR placed below 4 GiB (*high tells that case apart). */
static u32 cap_address(u16 bdf, u8 pos, bool *high)
{
    u8 bar = pci_read8(bdf, pos + VIRTIO_CAP_BAR);
    if (bar > 5)
        return 0;
    u32 v = pci_read32(bdf, PCI_BAR0 + 4 * bar);
    if (v & PCI_BAR_IO)
        return 0;
    if ((v & 6) == PCI_BAR_MEM64 && bar < 5 && pci_read32(bdf, PCI_BAR0 + 4 * bar + 4)) {
        *high = true;
        return 0;
    }
    v &= ~0xFu;
    return v ? v + pci_read32(bdf, pos + VIRTIO_CAP_OFFSET) : 0;
}

/* Walk the capability list for the first usable structure of each type;
 * true when common, notify and device configuration were all found. */
static bool find_modern(u16 bdf, struct modern_regs *m, bool *high)
{
    m->common = m->notify = m->device = 0;
    if (!(pci_read16(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return false;
    u8 pos = pci_read8(bdf, PCI_CAP_PTR) & ~3;
    /* 48 entries fill the whole configuration header: a loop is broken. */
    for (int guard = 0; pos >= 0x40 && guard < 48; guard++) {
        if (pci_read8(bdf, pos) == PCI_CAP_ID_VENDOR) {
            u8 type = pci_read8(bdf, pos + VIRTIO_CAP_TYPE);
            u32 *slot = type == VIRTIO_CAP_COMMON ? &m->common
                        : type == VIRTIO_CAP_NOTIFY ? &m->notify
                        : type == VIRTIO_CAP_DEVICE ? &m->device : NULL;
            if (slot && !*slot) {
                *slot = cap_address(bdf, pos, high);
                if (*slot && type == VIRTIO_CAP_NOTIFY) {
                    m->notify_mult = pci_read32(bdf, pos + VIRTIO_CAP_NOTIFY_MULT);
                    m->notify_len = pci_read32(bdf, pos + VIRTIO_CAP_LENGTH);
                }
            }
        }
        pos = pci_read8(bdf, pos + 1) & ~3;
    }
    return m->common && m->notify && m->device;
}

/* Rings for n descriptors: descriptor table, available ring, then the
 * used ring at the given alignment. */
static bool alloc_ring(struct virtio_ctrl *c, u16 n, u32 align)
{
    u32 avail_end = 16u * n + 6 + 2u * n;
    u32 used = ALIGN_UP(avail_end, align);
    u8 *ring = high_alloc(used + 6 + 8u * n, align < 16 ? 16 : align);
    if (!ring)
        return false;
    c->desc = (u32)ring;
    c->avail = c->desc + 16u * n;
    c->used = c->desc + used;
    c->qsize = n;
    *(volatile u16 *)c->avail = VRING_AVAIL_F_NO_INTERRUPT;
    return true;
}

static const char *setup_legacy(struct virtio_ctrl *c, u16 io, u16 queue, u32 want)
{
    c->features = inl(io + VIRTIO_LEG_DEVICE_FEATURES) & want;
    outl(c->features, io + VIRTIO_LEG_DRIVER_FEATURES);
    outw(queue, io + VIRTIO_LEG_QUEUE_SELECT);
    /* A legacy queue has exactly the size the device says, its used ring
     * on a 4 KiB boundary. */
    u16 n = inw(io + VIRTIO_LEG_QUEUE_SIZE);
    if (n < VIRTIO_MAX_BUFS || n > 32768 || (n & (n - 1)))
        return "unusable queue size";
    if (!alloc_ring(c, n, VIRTIO_LEG_RING_ALIGN))
        return "no memory for the queue";
    outl(c->desc / VIRTIO_LEG_RING_ALIGN, io + VIRTIO_LEG_QUEUE_PFN);
    c->notify = io + VIRTIO_LEG_QUEUE_NOTIFY;
    return NULL;
}

static const char *setup_modern(struct virtio_ctrl *c, const struct modern_regs *m, u16 queue,
                                u32 want)
{
    u32 cc = m->common;
    wr32(cc + VIRTIO_CC_DEVICE_FEATURE_SELECT, 0);
    u32 lo = rd32(cc + VIRTIO_CC_DEVICE_FEATURE);
    wr32(cc + VIRTIO_CC_DEVICE_FEATURE_SELECT, 1);
    u32 hi = rd32(cc + VIRTIO_CC_DEVICE_FEATURE);
    if (!(hi & (1u << (VIRTIO_F_VERSION_1 - 32))))
        return "no VIRTIO_F_VERSION_1";
    c->features = lo & want;
    wr32(cc + VIRTIO_CC_DRIVER_FEATURE_SELECT, 0);
    wr32(cc + VIRTIO_CC_DRIVER_FEATURE, c->features);
    wr32(cc + VIRTIO_CC_DRIVER_FEATURE_SELECT, 1);
    wr32(cc + VIRTIO_CC_DRIVER_FEATURE, 1u << (VIRTIO_F_VERSION_1 - 32));
    wr8(c, c->status, rd8(c, c->status) | VIRTIO_ST_FEATURES_OK);
    if (!(rd8(c, c->status) & VIRTIO_ST_FEATURES_OK))
        return "features refused";
    wr16(cc + VIRTIO_CC_QUEUE_SELECT, queue);
    u16 max = rd16(cc + VIRTIO_CC_QUEUE_SIZE);
    u16 n = max < MODERN_QUEUE_SIZE ? max : MODERN_QUEUE_SIZE;
    if (n < VIRTIO_MAX_BUFS)
        return "unusable queue size";
    if (!alloc_ring(c, n, 4))
        return "no memory for the queue";
    wr16(cc + VIRTIO_CC_QUEUE_SIZE, n);
    wr32(cc + VIRTIO_CC_QUEUE_DESC, c->desc);
    wr32(cc + VIRTIO_CC_QUEUE_DESC + 4, 0);
    wr32(cc + VIRTIO_CC_QUEUE_DRIVER, c->avail);
    wr32(cc + VIRTIO_CC_QUEUE_DRIVER + 4, 0);
    wr32(cc + VIRTIO_CC_QUEUE_DEVICE, c->used);
    wr32(cc + VIRTIO_CC_QUEUE_DEVICE + 4, 0);
    /* The doorbell must lie inside the notify structure. */
    u64 at = (u64)rd16(cc + VIRTIO_CC_QUEUE_NOTIFY_OFF) * m->notify_mult;
    if (at + 2 > m->notify_len)
        return "doorbell outside its structure";
    c->notify = m->notify + (u32)at;
    wr16(cc + VIRTIO_CC_QUEUE_ENABLE, 1);
    return NULL;
}

u32 virtio_setup(const struct pci_device *pd, const char *who, u16 queue, u32 want)
{
    u16 bdf = pd->bdf;
    pci_write16(bdf, PCI_COMMAND, pci_read16(bdf, PCI_COMMAND) | PCI_COMMAND_IO
                | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    struct modern_regs m;
    bool high = false;
    bool modern = find_modern(bdf, &m, &high);
    /* Transitional devices (IDs below 1040h) also have the legacy
     * registers in I/O BAR 0. */
    u32 bar0 = pci_read32(bdf, PCI_BAR0);
    u16 io = bar0 & PCI_BAR_IO ? bar0 & ~3u : 0;
    if (!modern && (pd->device >= 0x1040 || !io)) {
        dprintf(LOG_WARN, "%s: %s, not used\n", who,
                high ? "registers in a BAR above 4 GiB" : "no usable registers");
        return 0;
    }
    struct virtio_ctrl *c = high_alloc(sizeof(*c), 16);
    if (!c)
        return 0;
    c->modern = modern;
    c->status = modern ? m.common + VIRTIO_CC_STATUS : (u32)io + VIRTIO_LEG_STATUS;
    c->devcfg = modern ? m.device : (u32)io + VIRTIO_LEG_CONFIG;
    c->queue = queue;
    wr8(c, c->status, 0);
    /* A modern device says it finished its reset by reading back 0. */
    struct timeout t;
    timeout_start(&t, RESET_TIMEOUT_MS);
    while (rd8(c, c->status)) {
        if (timeout_expired(&t)) {
            dprintf(LOG_WARN, "%s: does not come out of reset, not used\n", who);
            return 0;
        }
    }
    wr8(c, c->status, VIRTIO_ST_ACKNOWLEDGE);
    wr8(c, c->status, VIRTIO_ST_ACKNOWLEDGE | VIRTIO_ST_DRIVER);
    const char *err = modern ? setup_modern(c, &m, queue, want)
                             : setup_legacy(c, io, queue, want);
    if (err) {
        wr8(c, c->status, rd8(c, c->status) | VIRTIO_ST_FAILED);
        dprintf(LOG_WARN, "%s: %s, not used\n", who, err);
        return 0;
    }
    dprintf(LOG_DEBUG, "%s: %s, queue %u of %u entries at %x, features %x\n", who,
            modern ? "virtio 1.0" : "legacy", queue, c->qsize, c->desc, c->features);
    return (u32)c;
}

void virtio_start(u32 ctrl)
{
    struct virtio_ctrl *c = (struct virtio_ctrl *)ctrl;
    wr8(c, c->status, rd8(c, c->status) | VIRTIO_ST_DRIVER_OK);
}

void virtio_fail(u32 ctrl)
{
    struct virtio_ctrl *c = (struct virtio_ctrl *)ctrl;
    wr8(c, c->status, rd8(c, c->status) | VIRTIO_ST_FAILED);
    c->dead = 1;
}

void virtio_init(void)
{
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *pd = &pci_devices[i];
        bool blk = CONFIG_VIRTIO_BLK && (pd->device == VIRTIO_DEV_BLK_LEGACY
                                         || pd->device == VIRTIO_DEV_BLK);
        bool scsi = CONFIG_VIRTIO_SCSI && (pd->device == VIRTIO_DEV_SCSI_LEGACY
                                           || pd->device == VIRTIO_DEV_SCSI);
        if (pd->vendor != VIRTIO_VENDOR || !(blk || scsi))
            continue;
        char who[24];
        virtio_who(who, sizeof(who), blk ? "virtio-blk" : "virtio-scsi", pd);
        if (!pci_claim_native(pd, who))
            continue;
        /* A device Kelp drives does not get its option ROM run as well;
         * one it could not set up still may. */
        pd->native = blk ? virtio_blk_init(pd, who) : virtio_scsi_init(pd, who);
    }
}
