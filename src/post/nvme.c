/* NVMe controllers at POST: reset and enable each one, read what it is,
 * create the I/O queue pair the runtime uses, and register every active
 * namespace as a hard disk.
 *
 * Namespaces keep their own block size: one of 4096-byte blocks is served
 * with 4096-byte sectors (INT 13h 48h says so, and every count and LBA is
 * in those units), the way the operating system and the partition table
 * on such a disk count, rather than translated to 512-byte sectors that
 * the data on it knows nothing of. */
#include "post/nvme.h"
#include "post/post.h"
#include "post/pci.h"
#include "post/alloc.h"
#include "hw/nvme.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "hw/timer.h"
#include "fw/nvmeid.h"
#include "lib/flat.h"
#include "lib/output.h"
#include "lib/string.h"

#define MAX_NSID_SCAN 1024      /* NVMe 1.0 controllers: IDs tried without a list */

/* Identify data lands here (POST runs flat, so these are device addresses).
 * The admin queues live here too, not in the high zone, which QEMU keeps
 * small (160 KiB, the room -initrd leaves): the controller reads its admin
 * submission queue only when its doorbell is rung and writes the completion
 * queue only for admin commands (Kelp sends no asynchronous event
 * requests), and only POST sends any. An OS driver disables the controller
 * before it gives it new admin queues. Controllers set up one after the
 * other share the pages; the earlier ones are idle by then. */
static u8 idbuf[NVME_IDENTIFY_SIZE] __attribute__((aligned(NVME_PAGE_SIZE)));
static u8 nslist[NVME_IDENTIFY_SIZE] __attribute__((aligned(NVME_PAGE_SIZE)));
static u8 admin_sq[NVME_PAGE_SIZE] __attribute__((aligned(NVME_PAGE_SIZE)));
static u8 admin_cq[NVME_PAGE_SIZE] __attribute__((aligned(NVME_PAGE_SIZE)));
/* A controller that failed after getting its memory leaves it to the next. */
static u8 *spare_mem;

static u32 reg_rd(struct nvme_ctl *c, u32 reg) { return flat_rd32(c->regs + reg); }
static void reg_wr(struct nvme_ctl *c, u32 reg, u32 v) { flat_wr32(c->regs + reg, v); }

/* Wait until CSTS.RDY is rdy; bounded by the controller's own timeout. */
static int wait_ready(struct nvme_ctl *c, u32 rdy, u32 ms)
{
    struct timeout t;
    timeout_start(&t, ms);
    for (;;) {
        u32 csts = reg_rd(c, NVME_REG_CSTS);
        if (csts == 0xFFFFFFFF)
            return -1;              /* nothing answers at the BAR */
        if ((csts & NVME_CSTS_RDY) == rdy)
            return 0;
        if (rdy && (csts & NVME_CSTS_CFS))
            return -1;
        if (timeout_expired(&t))
            return -1;
    }
}

static int identify(struct nvme_ctl *c, u8 cns, u32 nsid, u8 *buf)
{
    struct nvme_sqe cmd = {
        .cdw0 = NVME_ADMIN_IDENTIFY,
        .nsid = nsid,
        .prp1 = (u32)buf,
        .cdw10 = cns,
    };
    memset(buf, 0, NVME_IDENTIFY_SIZE);
    return nvme_cmd(c, &c->admin, &cmd);
}

/* Create the I/O completion queue, then its submission queue. */
static int create_io_queues(struct nvme_ctl *c)
{
    struct nvme_queue *q = &c->io;
    u32 qsize = (u32)(q->size - 1) << 16 | q->qid;
    struct nvme_sqe cq = {
        .cdw0 = NVME_ADMIN_CREATE_CQ,
        .prp1 = q->cq,
        .cdw10 = qsize,
        .cdw11 = NVME_QUEUE_CONTIG,         /* no interrupts: Kelp polls */
    };
    int st = nvme_cmd(c, &c->admin, &cq);
    if (st)
        return st;
    struct nvme_sqe sq = {
        .cdw0 = NVME_ADMIN_CREATE_SQ,
        .prp1 = q->sq,
        .cdw10 = qsize,
        .cdw11 = NVME_SQ_CQID(q->qid) | NVME_QUEUE_CONTIG,
    };
    return nvme_cmd(c, &c->admin, &sq);
}

static void queue_init(struct nvme_queue *q, u8 *sq, u8 *cq, u16 size, u8 qid)
{
    memset(sq, 0, size * sizeof(struct nvme_sqe));
    memset(cq, 0, size * NVME_CQE_SIZE);
    q->sq = (u32)sq;
    q->cq = (u32)cq;
    q->size = size;
    q->qid = qid;
    q->phase = 1;               /* the zeroed entries carry phase 0 */
}

/* Register namespace nsid; false once the disk table is full. */
static bool namespace_add(struct nvme_ctl *c, u16 bdf, const char *name, u32 nsid,
                          const char *model)
{
    char who[24];
    snprintf(who, sizeof(who), "%s n%u", name, nsid);
    if (rtdata.disk_count >= MAX_DISKS) {
        dprintf(LOG_WARN, "%s: too many disks, namespaces from here on not served\n", who);
        return false;
    }
    int st = identify(c, NVME_CNS_NAMESPACE, nsid, idbuf);
    if (st) {
        dprintf(LOG_WARN, "%s: identify namespace failed (status %x), not served\n", who, st);
        return true;
    }
    struct nvme_ns_info ns;
    switch (nvme_parse_ns(idbuf, sizeof(idbuf), &ns)) {
    case NVME_NS_OK:
        break;
    case NVME_NS_INACTIVE:
        dprintf(LOG_DEBUG, "%s: inactive\n", who);
        return true;
    case NVME_NS_BLOCK_SIZE:
        dprintf(LOG_INFO, "%s: %u-byte blocks (LBA format %u), not served\n", who,
                ns.block_size, ns.format);
        return true;
    case NVME_NS_METADATA:
        dprintf(LOG_INFO, "%s: blocks carry %u bytes of metadata (LBA format %u), not served\n",
                who, ns.meta_size, ns.format);
        return true;
    default:
        dprintf(LOG_INFO, "%s: LBA format %u in use is not described, not served\n", who,
                ns.format);
        return true;
    }
    struct disk d;
    memset(&d, 0, sizeof(d));
    d.type = DISK_NVME;
    d.ctrl = (u32)c;
    d.lun = nsid;
    d.sectors = ns.blocks;
    d.blksize = ns.block_size;
    d.pci_bus = bdf >> 8;
    d.pci_devfn = bdf;
    char desc[64];
    if (ns.block_size != 512)
        snprintf(desc, sizeof(desc), "%s (%u-byte blocks)", model, ns.block_size);
    else
        snprintf(desc, sizeof(desc), "%s", model);
    disk_add(&d, who, desc);
    return true;
}

static void controller_init(u16 bdf, const char *name)
{
    u8 bus = bdf >> 8, dev = (bdf >> 3) & 31, fn = bdf & 7;
    u32 bar = pci_read32(bdf, PCI_BAR0), bar_hi = 0;
    if (bar & PCI_BAR_IO) {
        dprintf(LOG_WARN, "%s: %02x:%02x.%x BAR0 is not memory, not served\n", name, bus, dev, fn);
        return;
    }
    if ((bar & 6) == PCI_BAR_MEM64)
        bar_hi = pci_read32(bdf, PCI_BAR0 + 4);
    bar &= ~0xFu;
    if (bar_hi || !bar) {
        dprintf(LOG_WARN, "%s: %02x:%02x.%x BAR0 at %x%08x is %s, not served\n", name, bus, dev,
                fn, bar_hi, bar, bar_hi ? "above 4 GiB" : "not assigned");
        return;
    }
    pci_write16(bdf, PCI_COMMAND,
                pci_read16(bdf, PCI_COMMAND) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

    struct nvme_ctl probe = { .regs = bar };
    struct nvme_ctl *c = &probe;
    u64 cap = flat_rd64(bar + NVME_REG_CAP);
    u32 vs = reg_rd(c, NVME_REG_VS);
    if (cap == ~0ull || !NVME_CAP_CSS_NVM(cap) || NVME_CAP_MPSMIN(cap)) {
        dprintf(LOG_WARN, "%s: %02x:%02x.%x capabilities %llx: no NVM command set with "
                "4 KiB pages, not served\n", name, bus, dev, fn, cap);
        return;
    }
    u32 ready_ms = (NVME_CAP_TO(cap) ? NVME_CAP_TO(cap) : 1) * 500;
    u32 cc = reg_rd(c, NVME_REG_CC);
    if (cc & NVME_CC_EN)
        reg_wr(c, NVME_REG_CC, cc & ~NVME_CC_EN);
    if (wait_ready(c, 0, ready_ms)) {
        dprintf(LOG_WARN, "%s: does not stop (status %x), not served\n", name,
                reg_rd(c, NVME_REG_CSTS));
        return;
    }

    u8 *mem = spare_mem ? spare_mem : high_alloc(NVME_CTL_SIZE, NVME_PAGE_SIZE);
    spare_mem = NULL;
    if (!mem)
        return;
    memset(mem, 0, NVME_CTL_SIZE);
    c = (struct nvme_ctl *)(mem + NVME_CTL_STATE);
    c->regs = bar;
    c->db_stride = 4u << NVME_CAP_DSTRD(cap);
    c->prp_list = (u32)mem + NVME_CTL_PRP_LIST;
    c->bounce = (u32)mem + NVME_CTL_BOUNCE;
    queue_init(&c->admin, admin_sq, admin_cq, NVME_ADMIN_ENTRIES, 0);
    u16 io_entries = NVME_IO_ENTRIES;
    while (io_entries > NVME_CAP_MQES(cap) + 1)
        io_entries >>= 1;
    queue_init(&c->io, mem + NVME_CTL_IO_SQ, mem + NVME_CTL_IO_CQ, io_entries, 1);

    reg_wr(c, NVME_REG_AQA, (NVME_ADMIN_ENTRIES - 1) << 16 | (NVME_ADMIN_ENTRIES - 1));
    flat_wr64(bar + NVME_REG_ASQ, c->admin.sq);
    flat_wr64(bar + NVME_REG_ACQ, c->admin.cq);
    reg_wr(c, NVME_REG_CC, NVME_CC_EN | NVME_CC_CSS_NVM | NVME_CC_MPS_4K
           | NVME_CC_IOSQES(NVME_SQES_LOG2) | NVME_CC_IOCQES(NVME_CQES_LOG2));
    if (wait_ready(c, 1, ready_ms)) {
        dprintf(LOG_WARN, "%s: does not become ready (status %x), not served\n", name,
                reg_rd(c, NVME_REG_CSTS));
        spare_mem = mem;
        return;
    }
    /* Pin-based and MSI interrupts off: nothing here waits for them. */
    reg_wr(c, NVME_REG_INTMS, 0xFFFFFFFF);

    struct nvme_ctrl_info ci;
    int st = identify(c, NVME_CNS_CONTROLLER, 0, idbuf);
    if (!st)
        st = nvme_parse_ctrl(idbuf, sizeof(idbuf), NVME_PAGE_SIZE, &ci);
    if (!st)
        st = create_io_queues(c);
    if (st) {
        dprintf(LOG_WARN, "%s: setup command failed (status %x), not served\n", name, st);
        reg_wr(c, NVME_REG_CC, 0);
        wait_ready(c, 0, ready_ms);
        spare_mem = mem;
        return;
    }
    c->max_bytes = ci.max_bytes && ci.max_bytes < NVME_MAX_BYTES ? ci.max_bytes : NVME_MAX_BYTES;
    c->write_cache = ci.write_cache;

    /* The active namespace list (NVMe 1.1 on); before it, every ID up to NN
     * is asked and the inactive ones answer with a size of 0. */
    u32 count = 0;
    bool listed = !identify(c, NVME_CNS_ACTIVE_NSIDS, 0, nslist);
    if (listed)
        count = nvme_ns_list_count(nslist, sizeof(nslist));
    else
        count = ci.namespaces < MAX_NSID_SCAN ? ci.namespaces : MAX_NSID_SCAN;
    dprintf(LOG_INFO, "%s: %s (serial %s, firmware %s) at %02x:%02x.%x, NVMe %u.%u, "
            "%u %snamespaces, %u KiB per command%s\n", name, ci.model, ci.serial, ci.firmware,
            bus, dev, fn, vs >> 16, (vs >> 8) & 0xFF, count, listed ? "active " : "possible ",
            c->max_bytes >> 10, c->write_cache ? ", write cache" : "");
    for (u32 i = 0; i < count; i++) {
        u32 nsid = listed ? nvme_ns_list_get(nslist, i) : i + 1;
        if (!namespace_add(c, bdf, name, nsid, ci.model))
            break;
    }
}

void nvme_init(void)
{
    if (!CONFIG_NVME)
        return;
    int n = 0;
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *d = &pci_devices[i];
        if (d->class != NVME_PCI_CLASS || d->prog_if != NVME_PCI_PROG_IF)
            continue;
        char name[24];
        snprintf(name, sizeof(name), "nvme %02x:%02x.%x", d->bdf >> 8, (d->bdf >> 3) & 31,
                 d->bdf & 7);
        if (!pci_claim_native(d, name))
            continue;
        snprintf(name, sizeof(name), "nvme%d", n++);
        controller_init(d->bdf, name);
    }
}
