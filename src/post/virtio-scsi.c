/* Find the disks behind a virtio SCSI host: every target the host
 * reports, every logical unit of it; each disk LUN becomes a drive, in
 * target/LUN order. */
#include "post/virtio.h"
#include "post/post.h"
#include "hw/virtio.h"
#include "hw/virtio-scsi.h"
#include "hw/scsi.h"
#include "hw/ata.h"
#include "hw/timer.h"
#include "lib/string.h"
#include "lib/output.h"
#include "rtdata.h"

#define READY_TIMEOUT_MS 5000       /* a unit still spinning up gets this long */
#define READY_TRIES 3               /* and at least this many TEST UNIT READYs */
#define FALLBACK_LUNS 8             /* probed when REPORT LUNS fails */

/* Data-in buffer of the scan commands (POST memory is DMA-able as is). */
static u8 buf[512] __attribute__((aligned(16)));

struct host {
    u32 ctrl;
    const char *who;
    bool impatient;             /* a unit never got ready: do not wait again */
};

/* One data-in command into buf; the virtio response (-1: no answer). */
static int scan_cmd(const struct host *h, u16 target, u32 lun, const u8 *cdb, int cdb_len,
                    u32 len, struct scsi_result *r)
{
    memset(buf, 0, sizeof(buf));
    return virtio_scsi_cmd(h->ctrl, target, lun, cdb, cdb_len, (u32)buf, len, false, r);
}

static void trim_copy(char *dst, const u8 *src, int n)
{
    while (n && (src[n - 1] == ' ' || !src[n - 1]))
        n--;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* TEST UNIT READY until the unit is ready: unit attentions (it was just
 * reset) and "becoming ready" are retried, a few times and then within a
 * time bound; once a unit of the host has used up that time, the others
 * only get the few tries, so a host full of units that never get ready
 * cannot hold POST for long. Returns a DISK_RET_ status. */
static int wait_ready(struct host *h, u16 target, u32 lun)
{
    static const u8 cdb[6] = { SCSI_TEST_UNIT_READY };
    struct timeout t;
    timeout_start(&t, READY_TIMEOUT_MS);
    for (int tries = 1;; tries++) {
        struct scsi_result r;
        int resp = scan_cmd(h, target, lun, cdb, sizeof(cdb), 0, &r);
        if (resp != VIRTIO_SCSI_S_OK)
            return resp < 0 ? DISK_RET_TIMEOUT : DISK_RET_CTRL_FAIL;
        int ret = scsi_disk_status(&r, false);
        if (ret != DISK_RET_CHANGED && ret != DISK_RET_NOT_READY)
            return ret;
        bool expired = timeout_expired(&t);
        if (tries >= READY_TRIES && (expired || h->impatient)) {
            h->impatient = true;
            return ret;
        }
    }
}

/* READ CAPACITY (10), then (16) for disks past 2^32 blocks. */
static int read_capacity(const struct host *h, u16 target, u32 lun, u64 *blocks, u32 *bs)
{
    u8 cdb[16];
    struct scsi_result r;
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = SCSI_READ_CAPACITY10;
    int resp = scan_cmd(h, target, lun, cdb, 10, 8, &r);
    if (resp || scsi_disk_status(&r, false))
        return -1;
    u64 last = scsi_be32(buf);
    *bs = scsi_be32(buf + 4);
    if (last == 0xFFFFFFFF) {
        cdb[0] = SCSI_SERVICE_IN16;
        cdb[1] = SCSI_READ_CAPACITY16_ACTION;
        scsi_put_be32(cdb + 10, 32);
        resp = scan_cmd(h, target, lun, cdb, 16, 32, &r);
        if (resp || scsi_disk_status(&r, false))
            return -1;
        last = (u64)scsi_be32(buf) << 32 | scsi_be32(buf + 4);
        *bs = scsi_be32(buf + 8);
    }
    *blocks = last + 1;
    return 0;
}

/* Returns -1 when the host stopped answering. */
static int probe_lun(struct host *h, const struct pci_device *pd, u16 target, u32 lun)
{
    char who[48];
    snprintf(who, sizeof(who), "%s target %u lun %u", h->who, target, lun);
    static const u8 inquiry[6] = { SCSI_INQUIRY, 0, 0, 0, 36, 0 };
    struct scsi_result r;
    int resp = scan_cmd(h, target, lun, inquiry, sizeof(inquiry), 36, &r);
    if (resp < 0)
        return -1;
    if (resp || r.status != SCSI_GOOD)
        return 0;
    /* Qualifier (bits 7-5) other than 0: no unit at this LUN. */
    if (buf[0] >> 5)
        return 0;
    u8 type = buf[0] & 0x1F;
    char model[40];
    trim_copy(model, buf + 8, 8);
    int n = strlen(model);
    model[n++] = ' ';
    trim_copy(model + n, buf + 16, 16);
    n = strlen(model);
    model[n++] = ' ';
    trim_copy(model + n, buf + 32, 4);
    if (type != SCSI_TYPE_DISK) {
        dprintf(LOG_INFO, "%s: %s, %s, not served\n", who, model,
                type == SCSI_TYPE_CDROM ? "CD-ROM" : "not a disk");
        return 0;
    }
    int ret = wait_ready(h, target, lun);
    if (ret) {
        dprintf(LOG_INFO, "%s: %s, %s (status %02x), not served\n", who, model,
                ret == DISK_RET_NO_MEDIA ? "no medium" : "not ready", ret);
        return ret == DISK_RET_TIMEOUT ? -1 : 0;
    }
    u64 blocks;
    u32 bs;
    if (read_capacity(h, target, lun, &blocks, &bs)) {
        dprintf(LOG_INFO, "%s: %s, size unknown, not served\n", who, model);
        return 0;
    }
    if (bs < 512 || bs > 4096 || (bs & (bs - 1))) {
        dprintf(LOG_INFO, "%s: %s, block size %u not supported, not served\n", who, model, bs);
        return 0;
    }
    struct disk d;
    memset(&d, 0, sizeof(d));
    d.type = DISK_VIRTIO_SCSI;
    d.blksize = bs;
    d.sectors = blocks;
    d.pci_bus = pd->bdf >> 8;
    d.pci_devfn = pd->bdf;
    d.ctrl = h->ctrl;
    d.target = target;
    d.lun = lun;
    disk_add(&d, who, model);
    return 0;
}

/* Returns -1 when the host stopped answering. */
static int scan_target(struct host *h, const struct pci_device *pd, u16 target,
                       u32 max_lun)
{
    u8 cdb[12];
    struct scsi_result r;
    memset(cdb, 0, sizeof(cdb));
    cdb[0] = SCSI_REPORT_LUNS;
    scsi_put_be32(cdb + 6, sizeof(buf));
    int resp = scan_cmd(h, target, 0, cdb, sizeof(cdb), sizeof(buf), &r);
    if (resp < 0)
        return -1;
    if (resp == VIRTIO_SCSI_S_BAD_TARGET)
        return 0;                       /* nobody at this target */
    u32 luns[MAX_DISKS];
    int n = -1;
    if (resp == VIRTIO_SCSI_S_OK && r.status == SCSI_GOOD && r.resid < sizeof(buf))
        n = scsi_parse_report_luns(buf, sizeof(buf) - r.resid, luns, MAX_DISKS);
    if (n < 0) {
        dprintf(LOG_INFO, "%s target %u: REPORT LUNS failed (response %d, status %02x, "
                "sense %x/%02x), probing LUNs 0-%u\n", h->who, target, resp, r.status, r.key,
                r.asc, FALLBACK_LUNS - 1);
        n = FALLBACK_LUNS;
        for (int i = 0; i < n; i++)
            luns[i] = i;
    }
    for (int i = 0; i < n; i++)
        if (luns[i] <= max_lun && probe_lun(h, pd, target, luns[i]) < 0)
            return -1;
    return 0;
}

bool virtio_scsi_init(const struct pci_device *pd, const char *who)
{
    u32 ctrl = virtio_setup(pd, who, VIRTIO_SCSI_REQUEST_QUEUE, 0);
    if (!ctrl)
        return false;
    /* Kelp's request and response headers have the default sizes. */
    virtio_cfg_wr32(ctrl, VIRTIO_SCSI_CFG_CDB_SIZE, VIRTIO_SCSI_CDB_SIZE);
    virtio_cfg_wr32(ctrl, VIRTIO_SCSI_CFG_SENSE_SIZE, VIRTIO_SCSI_SENSE_SIZE);
    if (virtio_cfg32(ctrl, VIRTIO_SCSI_CFG_CDB_SIZE) != VIRTIO_SCSI_CDB_SIZE
        || virtio_cfg32(ctrl, VIRTIO_SCSI_CFG_SENSE_SIZE) != VIRTIO_SCSI_SENSE_SIZE) {
        dprintf(LOG_WARN, "%s: keeps CDB/sense sizes %u/%u, not used\n", who,
                virtio_cfg32(ctrl, VIRTIO_SCSI_CFG_CDB_SIZE),
                virtio_cfg32(ctrl, VIRTIO_SCSI_CFG_SENSE_SIZE));
        virtio_fail(ctrl);
        return false;
    }
    u32 max_target = virtio_cfg16(ctrl, VIRTIO_SCSI_CFG_MAX_TARGET);
    u32 max_lun = virtio_cfg32(ctrl, VIRTIO_SCSI_CFG_MAX_LUN);
    virtio_start(ctrl);
    /* Targets are one byte in the virtio-scsi LUN field. */
    if (max_target > 255)
        max_target = 255;
    struct host h = { ctrl, who, false };
    u8 before = rtdata.disk_count;
    for (u32 t = 0; t <= max_target; t++) {
        if (rtdata.disk_count >= MAX_DISKS) {
            dprintf(LOG_WARN, "%s: no drive numbers left, targets %u-%u not scanned\n", who,
                    t, max_target);
            break;
        }
        if (scan_target(&h, pd, t, max_lun) < 0) {
            dprintf(LOG_WARN, "%s: no answer at target %u, host reset and not used\n", who, t);
            break;
        }
    }
    dprintf(LOG_INFO, "%s: %u disk(s) on targets 0-%u\n", who, rtdata.disk_count - before,
            max_target);
    return true;
}
