/* The boot list: every device INT 19h can boot, each with a readable name
 * (kept in the F-segment for the runtime's messages and boot menu), in the
 * order of QEMU's bootorder file (bootindex=) and then, for the devices it
 * does not name, in the CMOS boot order (-boot order=). Also the boot
 * options fw_cfg gives: the boot menu and the retry after a failed boot.
 *
 * Devices are matched against bootorder lines by an OpenFirmware path
 * Kelp writes for each (fw/bootorder.h): the PCI function of the
 * controller (through its bridges), then the drive's place on it, taken
 * from the generic fields of struct disk, so a new disk driver only has
 * to fill in pci_bus/pci_devfn and, where its bus has them, target/lun. */
#include "post/post.h"
#include "post/pci.h"
#include "post/alloc.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/cmos.h"
#include "hw/pci.h"
#include "fw/bootorder.h"
#include "fw/fwcfg.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

extern u8 post_platform;

#define NAME_MAX 60
#define PATH_MAX 96
#define MENU_WAIT_DEFAULT_MS 2500

/* POST's view of each rtdata.boot entry, in the same order. */
static struct {
    bool known;                 /* added through bootlist_add() */
    char path[PATH_MAX];
} src[MAX_BOOT];

/* Hard disks by drive number (80h + index), described when registered;
 * their boot entries are made once every drive is there. */
#define MAX_HD_INFO 32
static struct {
    char name[NAME_MAX];
    char path[PATH_MAX];
} hd_info[MAX_HD_INFO];

static char order[4096];
static bool order_read;

u8 boot_prio(int cmos_type)
{
    u8 order[3] = { cmos_read(CMOS_BOOT_12) & 0x0F, cmos_read(CMOS_BOOT_12) >> 4,
                    cmos_read(CMOS_BOOT_3) >> 4 };
    for (int i = 0; i < 3; i++)
        if (order[i] == cmos_type)
            return i + 1;
    return 9;
}

const char *bootorder_text(void)
{
    if (order_read)
        return order;
    order_read = true;
    int n = post_platform == PLATFORM_QEMU ? fwcfg_read_file("bootorder", order, sizeof(order) - 1) : -1;
    if (n < 0)
        n = 0;
    if (n > (int)sizeof(order) - 1) {
        /* A cut line could name the wrong device ("@1" of "@1f"): drop it. */
        dprintf(LOG_WARN, "boot: bootorder is %d bytes, only the lines in the first %u are used\n",
                n, (u32)sizeof(order) - 1);
        n = sizeof(order) - 1;
        while (n && order[n - 1] != '\n')
            n--;
    }
    order[n] = 0;
    return order;
}

int pci_dev_path(char *buf, int size, u16 bdf)
{
    u8 chain[8];
    int depth = 0, i = 0;
    while (i < pci_count && pci_devices[i].bdf != bdf)
        i++;
    if (i == pci_count) {
        if (bdf >> 8)
            return -1;          /* behind a bridge POST does not know */
        chain[depth++] = bdf & 0xFF;
    } else {
        const struct pci_device *p = &pci_devices[i];
        for (;;) {
            if (depth == (int)sizeof(chain))
                return -1;
            chain[depth++] = p->bdf & 0xFF;
            if (p->parent < 0)
                break;
            p = &pci_devices[p->parent];
        }
    }
    for (int j = 0; j < depth / 2; j++) {       /* bus 0 first */
        u8 t = chain[j];
        chain[j] = chain[depth - 1 - j];
        chain[depth - 1 - j] = t;
    }
    return bootorder_pci_path(buf, size, chain, depth);
}

int disk_dev_path(char *buf, int size, const struct disk *d)
{
    int n = pci_dev_path(buf, size, (d->pci_bus << 8) | d->pci_devfn);
    if (n < 0)
        return n;
    switch (d->type) {
    case DISK_ATA:
    case DISK_ATAPI:            /* QEMU: .../ide@1,1/drive@<channel>/disk@<unit> */
        return n + snprintf(buf + n, size - n, "/drive@%x/disk@%x", d->channel, d->slave);
    case DISK_AHCI:             /* .../drive@<port>/disk@0 */
        return n + snprintf(buf + n, size - n, "/drive@%x/disk@0", d->target);
    case DISK_VIRTIO_SCSI:      /* .../channel@0/disk@<target>,<lun> */
        return n + snprintf(buf + n, size - n, "/channel@0/disk@%x,%x", d->target, d->lun);
    default:                    /* virtio-blk, NVMe: the PCI function is the disk */
        return n;
    }
}

static void copy_str(char *dst, const char *s, u32 size)
{
    u32 n = 0;
    while (s[n] && n < size - 1) {
        dst[n] = s[n];
        n++;
    }
    dst[n] = 0;
}

static void set_name(struct boot_entry *b, const char *name)
{
    u32 len = MIN(strlen(name), (u32)NAME_MAX - 1);
    char *p = fseg_alloc(len + 1, 1);
    if (!p)
        return;
    memcpy(p, name, len);
    b->desc_seg = 0xF000;
    b->desc_off = (u32)p - 0xF0000;
}

void bootlist_add(u8 type, u16 seg, u16 off, u8 cmos_prio, const char *path, const char *name)
{
    if (rtdata.boot_count >= MAX_BOOT) {
        dprintf(LOG_WARN, "boot: the boot list is full, %s left out\n", name);
        return;
    }
    int n = rtdata.boot_count++;
    struct boot_entry *b = &rtdata.boot[n];
    memset(b, 0, sizeof(*b));
    b->type = type;
    b->prio = cmos_prio;
    b->seg = seg;
    b->off = off;
    set_name(b, name);
    src[n].known = true;
    copy_str(src[n].path, path ? path : "", PATH_MAX);
}

void bootlist_add_cd(u8 drive, const struct disk *d, const char *who, const char *model)
{
    char name[NAME_MAX], path[PATH_MAX];
    snprintf(name, sizeof(name), "CD-ROM %02xh: %s %s", drive, who, model);
    if (disk_dev_path(path, sizeof(path), d) < 0)
        path[0] = 0;
    bootlist_add(BOOT_CD, 0, drive, boot_prio(BOOT_CMOS_CD), path, name);
}

void bootlist_name_disk(u8 drive, const char *path, const char *name)
{
    u8 i = drive - 0x80;
    if (i >= MAX_HD_INFO)
        return;
    copy_str(hd_info[i].name, name, NAME_MAX);
    copy_str(hd_info[i].path, path ? path : "", PATH_MAX);
}

void bootlist_describe_disk(u8 drive, const struct disk *d, const char *who, const char *model)
{
    char name[NAME_MAX], path[PATH_MAX];
    snprintf(name, sizeof(name), "%s %s", who, model);
    if (disk_dev_path(path, sizeof(path), d) < 0)
        path[0] = 0;
    bootlist_name_disk(drive, path, name);
}

/* One entry per hard disk INT 13h serves (Kelp's and those option ROMs
 * connected), in drive order. */
void bootlist_add_hd(void)
{
    u8 n = bda8(BDA_HD_COUNT);
    for (u8 i = 0; i < n; i++) {
        char name[NAME_MAX];
        const char *what = i < MAX_HD_INFO ? hd_info[i].name : "";
        if (what[0])
            snprintf(name, sizeof(name), "Hard Disk %02xh: %s", 0x80 + i, what);
        else
            snprintf(name, sizeof(name), "Hard Disk %02xh", 0x80 + i);
        bootlist_add(BOOT_HD, 0, 0x80 + i, boot_prio(BOOT_CMOS_HD),
                     i < MAX_HD_INFO ? hd_info[i].path : "", name);
    }
}

/* Entries put in rtdata.boot without bootlist_add() still get a name. */
static void name_unknown(int i)
{
    struct boot_entry *b = &rtdata.boot[i];
    char name[24];
    src[i].known = true;
    src[i].path[0] = 0;
    if (b->desc_seg)
        return;
    if (b->type == BOOT_HD)
        snprintf(name, sizeof(name), "Hard Disk %02xh", b->off);
    else if (b->type == BOOT_CD)
        snprintf(name, sizeof(name), "CD-ROM %02xh", b->off);
    else
        snprintf(name, sizeof(name), "ROM at %04x:%04x", b->seg, b->off);
    set_name(b, name);
}

static const char *entry_name(const struct boot_entry *b)
{
    return b->desc_seg ? (const char *)FLAT(b->desc_seg, b->desc_off) : "?";
}

/* The options of QEMU's -boot: menu=on, splash-time= (how long the
 * prompt waits) and reboot-timeout= (-1: never). */
static void boot_options(void)
{
    rtdata.boot_menu = 0;
    rtdata.boot_retry_ms = ~0u;
    if (post_platform != PLATFORM_QEMU)
        return;
    u16 menu = 0;
    fwcfg_read(FWCFG_BOOT_MENU, &menu, sizeof(menu));
    u64 v;
    if (menu) {
        rtdata.boot_menu = 1;
        rtdata.boot_menu_ms = MENU_WAIT_DEFAULT_MS;
        if (fwcfg_read_int("etc/boot-menu-wait", &v))
            rtdata.boot_menu_ms = MIN(v, 0xFFFFu);
        dprintf(LOG_INFO, "boot: boot menu on, the prompt waits %u ms\n", rtdata.boot_menu_ms);
    }
    if (fwcfg_read_int("etc/boot-fail-wait", &v) && v < 0xFFFFFFFFu) {
        rtdata.boot_retry_ms = v;
        dprintf(LOG_INFO, "boot: when nothing boots, reset after %u ms\n", rtdata.boot_retry_ms);
    }
}

/* Sort the list: bootorder lines first, in their order, the rest after
 * them in CMOS order (the sort is stable: same priority, found first). */
void bootlist_finish(void)
{
    static u16 key[MAX_BOOT];
    const char *text = bootorder_text();
    int count = rtdata.boot_count, named = 0;
    for (int i = 0; i < count; i++) {
        if (!src[i].known)
            name_unknown(i);
        int line = text[0] && src[i].path[0] ? bootorder_find(text, src[i].path) : -1;
        key[i] = line >= 0 ? (u16)line : 0x8000 | rtdata.boot[i].prio;
        named += line >= 0;
    }
    for (int i = 1; i < count; i++) {
        struct boot_entry e = rtdata.boot[i];
        u16 k = key[i];
        char path[PATH_MAX];
        memcpy(path, src[i].path, PATH_MAX);
        int j = i;
        for (; j > 0 && key[j - 1] > k; j--) {
            rtdata.boot[j] = rtdata.boot[j - 1];
            key[j] = key[j - 1];
            memcpy(src[j].path, src[j - 1].path, PATH_MAX);
        }
        rtdata.boot[j] = e;
        key[j] = k;
        memcpy(src[j].path, path, PATH_MAX);
    }
    bool halt = text[0] && bootorder_halt(text);
    rtdata.boot_limit = halt ? named : count;
    if (text[0])
        dprintf(LOG_INFO, "boot: bootorder names %d of %d boot entries%s\n", named, count,
                halt ? "; HALT: the others are not booted" : "");
    for (int i = 0; i < count; i++) {
        struct boot_entry *b = &rtdata.boot[i];
        if (b->type == BOOT_HD)
            dprintf(LOG_INFO, "boot %d: hard disk %02xh\n", i + 1, b->off);
        else if (b->type == BOOT_CD)
            dprintf(LOG_INFO, "boot %d: CD-ROM %02xh\n", i + 1, b->off);
        else if (b->type == BOOT_FLOPPY)
            dprintf(LOG_INFO, "boot %d: floppy %02xh\n", i + 1, b->off);
        else
            dprintf(LOG_INFO, "boot %d: %s (BEV %04x:%04x)\n", i + 1, entry_name(b), b->seg, b->off);
        dprintf(LOG_INFO, "  \"%s\" %s, %s%s\n", entry_name(b), src[i].path[0] ? src[i].path : "(no path)",
                key[i] & 0x8000 ? "CMOS order" : "bootorder",
                i >= rtdata.boot_limit ? ", not booted (HALT)" : "");
    }
    boot_options();
}
