/* Option ROMs: find them (PCI ROM BARs, QEMU's fw_cfg genroms/ and
 * vgaroms/), check them, copy them into shadow RAM, run their init code,
 * and collect what they offer for booting (PnP BEV and BCV entries).
 * Also the services ROMs call while they run: PMM and the $PnP structure.
 *
 * Every ROM is checked before it is trusted: signature, sizes that stay
 * inside what was read, pointers inside the image, the checksum, and room
 * in the ROM window. A bad ROM is logged and skipped; boot goes on. */
#include "post/post.h"
#include "post/pci.h"
#include "post/alloc.h"
#include "post/optionrom.h"
#include "rtdata.h"
#include "bda.h"
#include "std/optionrom.h"
#include "fw/romimage.h"
#include "fw/bootorder.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "fw/fwcfg.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/checksum.h"
#include "lib/output.h"
#include "lib/io.h"

#define ROM_WINDOW_START 0xC0000
#define ROM_ALIGN 2048
#define PMM_LOW_ZONE 0xEC000            /* permanent low PMM blocks: EC000-EDFFF */
#define PMM_CONV_START 0x10000
#define PMM_CONV_END 0x90000
#define PMM_HIGH_SIZE (16 * 1024)

extern char fx_pmm_entry[], fx_pnp_entry[], fx_pnp_pm_entry[];
extern u8 post_platform;

static struct pmm_header *pmm_struct;
static struct pnp_install *pnp_struct;

/* BCVs found in PnP headers, called before boot in this order, with what
 * names the disks they connect. */
#define MAX_BCV 16
static struct {
    u16 seg, off;
    char name[48];
    char path[80];
} bcvs[MAX_BCV];
static int nbcv;

static u16 foff(void *p) { return (u32)p - 0xF0000; }

/* ---- PMM and $PnP ---- */

void pmm_setup(void)
{
    struct pmm_pools *p = &rtdata.pmm;
    p->conv_next = PMM_CONV_START;
    p->conv_end = PMM_CONV_END;
    p->low_next = RT_ZONE;
    p->low_floor = PMM_LOW_ZONE;
    u8 *high = high_alloc(PMM_HIGH_SIZE, 4096);
    if (high) {
        p->high_floor = (u32)high;
        p->high_next = (u32)high + PMM_HIGH_SIZE;
        p->ext_next = p->high_floor;
    } else {
        p->ext_next = ram_below_4g;
    }
    p->ext_floor = 0x200000;            /* above POST's own code and stack */
    rtdata.rom_end = ROM_WINDOW_START;

    pmm_struct = fseg_alloc(sizeof(*pmm_struct), 16);
    pnp_struct = fseg_alloc(sizeof(*pnp_struct), 16);
    if (!pmm_struct || !pnp_struct)
        return;
    pmm_struct->signature = PMM_SIGNATURE;
    pmm_struct->revision = 0x01;
    pmm_struct->length = sizeof(*pmm_struct);
    pmm_struct->entry_offset = foff(fx_pmm_entry);
    pmm_struct->entry_segment = 0xF000;
    pmm_struct->checksum = checksum_fix(pmm_struct, sizeof(*pmm_struct));
    rtdata.pmm_active = 1;

    pnp_struct->signature = PNP_SIGNATURE;
    pnp_struct->version = 0x10;
    pnp_struct->length = sizeof(*pnp_struct);
    pnp_struct->rm_offset = foff(fx_pnp_entry);
    pnp_struct->rm_segment = 0xF000;
    pnp_struct->pm_offset = foff(fx_pnp_pm_entry);
    pnp_struct->pm_base = 0xF0000;
    pnp_struct->rm_data_segment = 0xF000;
    pnp_struct->pm_data_base = 0xF0000;
    pnp_struct->checksum = checksum_fix(pnp_struct, sizeof(*pnp_struct));
    rtdata.pnp_offset = foff(pnp_struct);
}

/* Before boot: PMM stops answering, its structure disappears and the
 * temporary conventional memory is handed back clean. */
void pmm_teardown(void)
{
    rtdata.pmm_active = 0;
    if (pmm_struct) {
        memset(pmm_struct, 0, sizeof(*pmm_struct));
        pmm_struct = NULL;
    }
    memset((void *)PMM_CONV_START, 0, rtdata.pmm.conv_next - PMM_CONV_START);
    u32 used = 0;
    for (int i = 0; i < rtdata.pmm_count; i++)
        used += rtdata.pmm_blocks[i].size;
    dprintf(LOG_INFO, "pmm: %d blocks, %u KiB handed out; permanent low memory from %x\n",
            rtdata.pmm_count, used >> 10, rtdata.pmm.low_next);
}

/* ---- checking images ---- */

void rom_log_bad_image(int n, u16 vendor, u16 device)
{
    dprintf(LOG_WARN, "rom: image %d of %04x:%04x has a bad size or checksum\n", n, vendor, device);
}

/* ---- running them ---- */

static bool rom_room(u32 size)
{
    u32 limit = MIN(rtdata.pmm.low_next, (u32)RT_ZONE);
    return rtdata.rom_end + size <= limit && rtdata.rom_end + size > rtdata.rom_end;
}

static u16 ivt_seg(u8 vec) { return *(volatile u16 *)(vec * 4 + 2); }

/* The product name of a PnP header (ends inside the image), or what
 * POST calls the ROM. */
static void rom_product(char *buf, u32 max, const u8 *img, u32 size, u16 product,
                        const char *what)
{
    u32 n = 0;
    for (u32 i = product; product && i < size && img[i] && n < max - 1; i++)
        buf[n++] = img[i] >= 0x20 && img[i] < 0x7F ? img[i] : '?';
    buf[n] = 0;
    if (!n)
        snprintf(buf, max, "%s", what);
}

/* Walk the PnP expansion headers of the ROM at addr (size bytes). */
static bool rom_scan_pnp(u32 addr, u32 size, bool *has_bev, u8 prio, const char *what,
                         const char *path)
{
    u8 *p = (u8 *)addr;
    u16 seg = addr >> 4;
    struct rom_boot_vector v[16];
    int n = rom_pnp_walk(p, size, v, 16);
    *has_bev = false;
    for (int i = 0; i < n; i++) {
        if (v[i].bev) {
            char name[48];
            rom_product(name, sizeof(name), p, size, v[i].product, what);
            bootlist_add(BOOT_BEV, seg, v[i].vector, prio, path, name);
            *has_bev = true;
            dprintf(LOG_INFO, "rom: %04x: boot entry (BEV) %04x:%04x \"%s\"\n", seg, seg,
                    v[i].vector, v[i].product ? (char *)p + v[i].product : "");
        } else {
            if (nbcv < MAX_BCV) {
                bcvs[nbcv].seg = seg;
                bcvs[nbcv].off = v[i].vector;
                rom_product(bcvs[nbcv].name, sizeof(bcvs[nbcv].name), p, size, v[i].product, what);
                snprintf(bcvs[nbcv].path, sizeof(bcvs[nbcv].path), "%s", path);
                nbcv++;
            }
            dprintf(LOG_INFO, "rom: %04x: disk connection (BCV) at %04x\n", seg, v[i].vector);
        }
    }
    /* A header with neither vector still makes it a PnP ROM. */
    int headers = rom_pnp_headers(p, size);
    if (headers > n)
        dprintf(LOG_WARN, "rom: %04x: %d PnP header(s) without a usable BEV or BCV ignored\n",
                seg, headers - n);
    return headers > 0;
}

/* How long a ROM's init or BCV may run (ms, 0 = no limit): Kconfig, or
 * QEMU -fw_cfg name=opt/kelp/rom-timeout,string=MS. */
static u32 rom_timeout_ms = CONFIG_ROM_TIMEOUT_MS;

/* What a ROM may not touch while it initialises: the vectors of services
 * that stay Kelp's (a ROM that owns a device may hook 13h, 15h, 18h, 19h,
 * and the VGA ROM 10h), and BDA fields it may only move one way. */
static const u8 guarded_vectors[] = { 0x08, 0x09, 0x0E, 0x11, 0x12, 0x14, 0x16,
                                      0x17, 0x1A, 0x40, 0x70 };
struct rom_guard {
    u32 vec[sizeof(guarded_vectors)];
    u32 vec10, vec13, vec18, vec19;
    u16 mem_kb, ebda;
    u8 disks;
};

static void guard_save(struct rom_guard *g)
{
    for (unsigned i = 0; i < sizeof(guarded_vectors); i++)
        g->vec[i] = *(volatile u32 *)(guarded_vectors[i] * 4);
    g->vec10 = *(volatile u32 *)(0x10 * 4);
    g->vec13 = *(volatile u32 *)(0x13 * 4);
    g->vec18 = *(volatile u32 *)(0x18 * 4);
    g->vec19 = *(volatile u32 *)(0x19 * 4);
    g->mem_kb = bda16(BDA_MEM_KB);
    g->ebda = bda16(BDA_EBDA_SEG);
    g->disks = bda8(BDA_HD_COUNT);
}

/* Ask INT 13h, as the ROM left it, about a drive; false when the call
 * fails or does not come back in time. */
static bool int13_ask(u8 ah, u8 drive, struct bregs *r)
{
    memset(r, 0, sizeof(*r));
    r->ah = ah;
    r->dl = drive;
    r->flags = F_IF;
    return call16_int_limited(0x13, r, rom_timeout_ms) && !(r->flags & F_CF);
}

/* A ROM that hooks INT 13h must pass on the drives that are not its own.
 * Its handler is asked about drive 7Fh, which no disk controller uses
 * (Kelp sends it to the diskette services): if Kelp's handler never sees
 * the call, the ROM has cut every other disk off. */
static bool int13_chains(void)
{
    struct bregs r;
    u16 before = rtdata.int13_calls;
    int13_ask(0x15, 0x7F, &r);
    return rtdata.int13_calls != before;
}

/* Put back what the ROM had no business changing, and say so. */
static void guard_check(const struct rom_guard *g, const char *what, bool pnp, bool vga)
{
    for (unsigned i = 0; i < sizeof(guarded_vectors); i++) {
        volatile u32 *v = (u32 *)(guarded_vectors[i] * 4);
        if (*v != g->vec[i]) {
            dprintf(LOG_WARN, "rom: %s replaced INT %02xh (%08x); restored\n", what,
                    guarded_vectors[i], *v);
            *v = g->vec[i];
        }
    }
    if (!vga && *(volatile u32 *)(0x10 * 4) != g->vec10) {
        dprintf(LOG_WARN, "rom: %s replaced INT 10h; restored\n", what);
        *(volatile u32 *)(0x10 * 4) = g->vec10;
    }
    if (*(volatile u32 *)(0x19 * 4) != g->vec19) {
        if (pnp) {
            dprintf(LOG_WARN, "rom: %s hooked INT 19h although it has a PnP header; undone\n", what);
            *(volatile u32 *)(0x19 * 4) = g->vec19;
        } else {
            dprintf(LOG_INFO, "rom: %s took over INT 19h (%04x)\n", what, ivt_seg(0x19));
        }
    }
    if (*(volatile u32 *)(0x18 * 4) != g->vec18 && pnp) {
        dprintf(LOG_WARN, "rom: %s hooked INT 18h; undone\n", what);
        *(volatile u32 *)(0x18 * 4) = g->vec18;
    }
    if (*(volatile u32 *)(0x13 * 4) != g->vec13 && !int13_chains()) {
        dprintf(LOG_WARN, "rom: %s took INT 13h (%08x) without passing on the drives "
                "it does not own; restored, 40:75h back from %u to %u\n", what,
                *(volatile u32 *)(0x13 * 4), bda8(BDA_HD_COUNT), g->disks);
        *(volatile u32 *)(0x13 * 4) = g->vec13;
        bda_set8(BDA_HD_COUNT, g->disks);
    }
    /* Drives may only be added, memory only taken, the EBDA only moved
     * down together with 40:13h. A drive counted in 40:75h must answer. */
    u8 disks = bda8(BDA_HD_COUNT);
    struct bregs r;
    for (u8 d = g->disks; d < disks; d++) {
        if (!int13_ask(0x08, 0x80 + d, &r)) {
            dprintf(LOG_WARN, "rom: %s set 40:75h to %u, but drive %02xh does not "
                    "answer; count set to %u\n", what, disks, 0x80 + d, d);
            bda_set8(BDA_HD_COUNT, d);
            disks = d;
            break;
        }
    }
    if (disks < g->disks) {
        dprintf(LOG_WARN, "rom: %s lowered the disk count 40:75h to %d; restored\n", what, disks);
        bda_set8(BDA_HD_COUNT, g->disks);
    } else if (disks > g->disks) {
        dprintf(LOG_INFO, "rom: %s added %d disk(s)\n", what, disks - g->disks);
    }
    if (bda16(BDA_MEM_KB) > g->mem_kb || bda16(BDA_EBDA_SEG) > g->ebda) {
        dprintf(LOG_WARN, "rom: %s raised 40:13h/40:0Eh; restored\n", what);
        bda_set16(BDA_MEM_KB, g->mem_kb);
        bda_set16(BDA_EBDA_SEG, g->ebda);
    } else if (bda16(BDA_MEM_KB) < g->mem_kb) {
        dprintf(LOG_INFO, "rom: %s took %u KiB of conventional memory\n", what,
                g->mem_kb - bda16(BDA_MEM_KB));
    }
}

/* Kelp's runtime code and constants (F0000 up to the table pool) and the
 * fixed area (FE000-FFFFF) are still writable while ROMs run; a ROM that
 * wrote there would break every service after boot. A copy taken before
 * the first ROM puts back whatever changed. */
extern char rt_code_end_lin[];
#define FIXED_LIN (0xF0000 + FIXED_OFF)
static u8 code_copy[FIXED_LIN - 0xF0000 + 0x2000];

static u32 code_len(void)
{
    return (u32)rt_code_end_lin - 0xF0000;
}

static void code_save(void)
{
    memcpy(code_copy, (void *)0xF0000, code_len());
    memcpy(code_copy + (FIXED_LIN - 0xF0000), (void *)FIXED_LIN, 0x2000);
}

static void code_check(const char *what)
{
    const u32 spans[2][2] = { { 0xF0000, code_len() }, { FIXED_LIN, 0x2000 } };
    for (int i = 0; i < 2; i++) {
        const u8 *live = (const u8 *)spans[i][0];
        const u8 *saved = code_copy + (spans[i][0] - 0xF0000);
        u32 changed = 0;
        /* Four bytes a step; count bytes only where a word differs. */
        for (u32 k = 0; k < spans[i][1]; k += 4)
            if (*(const u32 *)(live + k) != *(const u32 *)(saved + k))
                for (u32 b = k; b < k + 4 && b < spans[i][1]; b++)
                    changed += live[b] != saved[b];
        if (changed) {
            dprintf(LOG_WARN, "rom: %s wrote over %u bytes of Kelp's %s at %x; restored\n",
                    what, changed, i ? "fixed entry points" : "runtime code", spans[i][0]);
            memcpy((void *)spans[i][0], saved, spans[i][1]);
        }
    }
}

/* What a ROM abandoned half-way may have left pointing into itself. */
struct rom_undo {
    u32 ivt[256];
    u8 pic_master, pic_slave;
    u16 mem_kb, ebda;
    u8 disks;
};

static void undo_save(struct rom_undo *u)
{
    memcpy(u->ivt, (void *)0, sizeof(u->ivt));
    u->pic_master = inb(0x21);
    u->pic_slave = inb(0xA1);
    u->mem_kb = bda16(BDA_MEM_KB);
    u->ebda = bda16(BDA_EBDA_SEG);
    u->disks = bda8(BDA_HD_COUNT);
}

static void undo_restore(const struct rom_undo *u)
{
    memcpy((void *)0, u->ivt, sizeof(u->ivt));
    outb(u->pic_master, 0x21);
    outb(u->pic_slave, 0xA1);
    bda_set16(BDA_MEM_KB, u->mem_kb);
    bda_set16(BDA_EBDA_SEG, u->ebda);
    bda_set8(BDA_HD_COUNT, u->disks);
}

/* Far-call ROM code under the watchdog; when it does not come back in
 * time, undo what it did to the IVT, the PIC masks and the BDA. */
static bool rom_call(u16 seg, u16 off, struct bregs *r, const char *what)
{
    static struct rom_undo undo;
    undo_save(&undo);
    bool done = call16_limited(seg, off, r, rom_timeout_ms);
    code_check(what);
    if (done)
        return true;
    undo_restore(&undo);
    dprintf(LOG_ERR, "rom: %s at %04x:%04x did not return within %u ms; abandoned, "
            "vectors and BDA restored\n", what, seg, off, rom_timeout_ms);
    return false;
}

/* The image is in shadow RAM at rtdata.rom_end: run its init code. Its
 * boot entries get the device path given (bootorder matching). */
static void rom_init(u16 bdf, bool pci, const char *what, u8 prio, bool vga, const char *path)
{
    u32 addr = rtdata.rom_end;
    u16 seg = addr >> 4;
    u32 size0 = ((struct rom_header *)addr)->size * 512u;
    struct rom_guard g;
    guard_save(&g);
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.ax = pci ? bdf : 0;
    r.bx = 0xFFFF;
    r.dx = 0xFFFF;
    r.es = 0xF000;
    r.di = rtdata.pnp_offset;
    r.flags = F_IF;
    dprintf(LOG_INFO, "rom: running %s at %04x:0003\n", what, seg);
    u64 t0 = rdtsc();
    if (!rom_call(seg, 3, &r, what)) {
        memset((void *)addr, 0, size0);         /* nothing of it stays */
        return;
    }
    u32 kcycles = (u32)((rdtsc() - t0) >> 10);
    u32 size = ((struct rom_header *)addr)->size * 512u;
    if (((struct rom_header *)addr)->signature != ROM_SIGNATURE)
        size = 0;                       /* it removed itself */
    if (size > size0 && !rom_room(size)) {
        dprintf(LOG_WARN, "rom: %s grew to %u bytes, beyond the window; cut to %u\n", what,
                size, size0);
        size = size0;
    }
    bool has_bev = false;
    bool pnp = size && rom_scan_pnp(addr, size, &has_bev, prio, what, path);
    guard_check(&g, what, pnp, vga);
    /* Free the tail a shrinking ROM gave back, so no stale header stays. */
    u32 end = ALIGN_UP(addr + size, ROM_ALIGN);
    if (size0 > size && addr + size0 > end)
        memset((void *)end, 0, addr + size0 - end);
    rtdata.rom_end = end;
    dprintf(LOG_INFO, "rom: %s: %u bytes at init, %u kept, %u kcycles; window free from %x\n",
            what, size0, size, kcycles, rtdata.rom_end);
}

/* ---- which ROMs run ---- */

#define POLICY_ALL 0
#define POLICY_VGA 1
#define POLICY_BOOT 2
static int rom_policy = CONFIG_ROM_POLICY_VGA ? POLICY_VGA : CONFIG_ROM_POLICY_BOOT ? POLICY_BOOT : POLICY_ALL;

/* A short fw_cfg string option ("opt/..."), without the trailing newline;
 * false when absent. */
static bool fwcfg_opt(const char *name, char *buf, u32 max)
{
    if (post_platform != PLATFORM_QEMU)
        return false;
    int n = fwcfg_read_file(name, buf, max - 1);
    if (n < 0)
        return false;
    n = MIN((u32)n, max - 1);
    buf[n] = 0;
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == 0))
        buf[--n] = 0;
    return true;
}

static bool in_bootorder(const struct pci_device *d)
{
    char path[96];
    return pci_dev_path(path, sizeof(path), d->bdf) > 0 && bootorder_find(bootorder_text(), path) >= 0;
}

static void policy_init(void)
{
    char buf[16];
    if (fwcfg_opt("opt/kelp/rom-policy", buf, sizeof(buf))) {
        if (!strcmp(buf, "all"))
            rom_policy = POLICY_ALL;
        else if (!strcmp(buf, "vga"))
            rom_policy = POLICY_VGA;
        else if (!strcmp(buf, "boot"))
            rom_policy = POLICY_BOOT;
        else
            dprintf(LOG_WARN, "rom: unknown opt/kelp/rom-policy \"%s\"\n", buf);
    }
    if (fwcfg_opt("opt/kelp/rom-timeout", buf, sizeof(buf))) {
        u32 ms = 0;
        const char *c = buf;
        while (*c >= '0' && *c <= '9' && ms < 100000000)
            ms = ms * 10 + (*c++ - '0');
        if (*c || c == buf)
            dprintf(LOG_WARN, "rom: opt/kelp/rom-timeout \"%s\" is not a number of ms\n", buf);
        else
            rom_timeout_ms = ms;
    }
    static const char *const names[] = { "all", "vga", "boot" };
    dprintf(LOG_INFO, "rom: policy: %s\n", names[rom_policy]);
    dprintf(LOG_DEBUG, "rom: boot order:\n%s\n", bootorder_text());
}

/* The per-device option opt/kelp/rom/BB:DD.F: 1 on, 0 off, 2 prefer, -1
 * absent or not understood. "on" and "prefer" both run the device's ROM
 * instead of a native driver. */
static int rom_option(const struct pci_device *d)
{
    char name[32], buf[8];
    snprintf(name, sizeof(name), "opt/kelp/rom/%02x:%02x.%x", d->bdf >> 8, (d->bdf >> 3) & 31,
             d->bdf & 7);
    if (!fwcfg_opt(name, buf, sizeof(buf)))
        return -1;
    if (!strcmp(buf, "on"))
        return 1;
    if (!strcmp(buf, "off"))
        return 0;
    if (!strcmp(buf, "prefer"))
        return 2;
    dprintf(LOG_WARN, "rom: %s: expected on, off or prefer\n", name);
    return -1;
}

bool pci_claim_native(struct pci_device *d, const char *who)
{
    int opt = rom_option(d);
    /* Under Xen a storage device that carries a ROM is a passed-through
     * HBA (emulated ones have none): its ROM knows it better. */
    bool prefer = opt >= 1 || (opt < 0 && (CONFIG_ROM_OVER_NATIVE
                                           || post_platform == PLATFORM_XEN));
    if (prefer && d->rom_size) {
        dprintf(LOG_INFO, "%s: its option ROM is preferred; not driven by Kelp\n", who);
        return false;
    }
    d->native = 1;
    return true;
}

static bool rom_wanted(const struct pci_device *d, bool vga)
{
    int opt = rom_option(d);
    if (opt >= 0)
        return opt != 0;
    if (vga || rom_policy == POLICY_ALL)
        return true;
    if (rom_policy == POLICY_BOOT)
        return in_bootorder(d);
    return false;
}

/* Copy and run the ROM of a PCI device. Returns true if it ran. */
static bool run_pci_rom(struct pci_device *d)
{
    if (!d->rom_base || !d->rom_size)
        return false;
    if (d->native) {
        dprintf(LOG_INFO, "rom: %02x:%02x.%x %04x:%04x: served by Kelp's own driver; ROM not "
                "run\n", d->bdf >> 8, (d->bdf >> 3) & 31, d->bdf & 7, d->vendor, d->device);
        return false;
    }
    if (!rom_wanted(d, d->class == PCI_CLASS_DISPLAY_VGA)) {
        dprintf(LOG_INFO, "rom: %02x:%02x.%x %04x:%04x: ROM not run (policy)\n", d->bdf >> 8,
                (d->bdf >> 3) & 31, d->bdf & 7, d->vendor, d->device);
        return false;
    }
    u16 bdf = d->bdf;
    u8 reg = d->header == 1 ? PCI_ROM_BRIDGE : PCI_ROM;
    u16 cmd = pci_read16(bdf, PCI_COMMAND);
    pci_write16(bdf, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
    pci_write32(bdf, reg, d->rom_base | PCI_ROM_ENABLE);
    u32 size = 0;
    const u8 *img = pci_rom_select((const u8 *)d->rom_base, d->rom_size, d->vendor, d->device, &size);
    bool ok = false;
    char what[24];
    snprintf(what, sizeof(what), "ROM of %02x:%02x.%x", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
    if (!img) {
        dprintf(LOG_INFO, "rom: %02x:%02x.%x %04x:%04x has no usable x86 image\n", bdf >> 8,
                (bdf >> 3) & 31, bdf & 7, d->vendor, d->device);
    } else if (!rom_room(size)) {
        dprintf(LOG_WARN, "rom: no room for the %u-byte %s (window free from %x)\n", size,
                what, rtdata.rom_end);
    } else {
        memcpy((void *)rtdata.rom_end, img, size);
        ok = true;
    }
    pci_write32(bdf, reg, d->rom_base);
    pci_write16(bdf, PCI_COMMAND, cmd);
    if (ok) {
        char path[96];
        if (pci_dev_path(path, sizeof(path), bdf) < 0)
            path[0] = 0;
        rom_init(bdf, true, what, boot_prio(BOOT_CMOS_NET), d->class == PCI_CLASS_DISPLAY_VGA, path);
    }
    return ok;
}

/* Copy and run a ROM handed over through fw_cfg (genroms/, vgaroms/). */
static bool run_fwcfg_rom(const char *name, bool vga)
{
    u32 size;
    u16 key = fwcfg_find(name, &size);
    if (!key)
        return false;
    if (!rom_room(size)) {
        dprintf(LOG_WARN, "rom: no room for %s (%u bytes)\n", name, size);
        return false;
    }
    u8 *dst = (u8 *)rtdata.rom_end;
    fwcfg_read(key, dst, size);
    /* QEMU's own ROMs (linuxboot, multiboot, kvmvapic) carry valid image
     * checksums; a file that does not is not run. */
    if (!rom_image_size(dst, size, true)) {
        dprintf(LOG_WARN, "rom: %s is not a valid option ROM (signature, size or checksum)\n", name);
        memset(dst, 0, size);
        return false;
    }
    /* QEMU lists its loader ROMs (-kernel) first in its boot order, as
     * "/rom@genroms/<file>"; without a bootorder they still go first. */
    char path[72];
    snprintf(path, sizeof(path), "/rom@%s", name);
    rom_init(0, false, name, 0, vga, path);
    return true;
}

/* Every fw_cfg file under dir/. */
static int run_fwcfg_dir(const char *dir, bool vga)
{
    static char names[16][56];
    int n = fwcfg_list(dir, names, 16);
    int ran = 0;
    for (int i = 0; i < n; i++)
        ran += run_fwcfg_rom(names[i], vga);
    return ran;
}

/* ROMs something else already put in the window (C8000-DFFFF) before
 * Kelp placed any: run them as found. */
static void run_present_roms(u32 from)
{
    for (u32 a = MAX(from, 0xC8000u); a < 0xE0000; a += ROM_ALIGN) {
        u32 size = rom_image_size((u8 *)a, 0xE0000 - a, true);
        if (!size)
            continue;
        char what[24];
        snprintf(what, sizeof(what), "ROM found at %x", a);
        u32 save = rtdata.rom_end;
        rtdata.rom_end = a;
        rom_init(0, false, what, boot_prio(BOOT_CMOS_HD), false, "");
        rtdata.rom_end = MAX(save, rtdata.rom_end);
        a = ALIGN_UP(a + size, ROM_ALIGN) - ROM_ALIGN;
    }
}

void optionroms_run(void)
{
    if (!pmm_struct)
        return;
    policy_init();
    code_save();
    if (post_platform == PLATFORM_XEN)
        run_present_roms(ROM_WINDOW_START);
    /* Video first, at C0000h. */
    int vga = -1;
    for (int i = 0; i < pci_count && vga < 0; i++)
        if (pci_devices[i].class == PCI_CLASS_DISPLAY_VGA)
            vga = i;
    bool have_vga = vga >= 0 && run_pci_rom(&pci_devices[vga]);
    if (!have_vga && post_platform == PLATFORM_QEMU)
        have_vga = run_fwcfg_dir("vgaroms/", true) > 0;
    if (have_vga) {
        /* A VGA BIOS leaves the mode to the system BIOS: 80x25 text. */
        struct bregs r;
        memset(&r, 0, sizeof(r));
        r.ax = 0x0003;
        call16_int(0x10, &r);
        rtdata.vga_rom = 1;
        bda_set16(BDA_EQUIPMENT, bda16(BDA_EQUIPMENT) & ~0x30);
        console_vga_ready();
    }
    printf("Kelp BIOS " BIOS_DATE "\n");
    /* Then every other device with a ROM, then QEMU's extra ROMs. */
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *d = &pci_devices[i];
        /* One video BIOS only: a second display's ROM would take INT 10h
         * away from the primary one. */
        if (i == vga || d->class == PCI_CLASS_BRIDGE_PCI || d->class == PCI_CLASS_DISPLAY_VGA)
            continue;
        run_pci_rom(d);
    }
    if (post_platform == PLATFORM_QEMU)
        run_fwcfg_dir("genroms/", false);
    dprintf(LOG_INFO, "rom: option ROM space used %x-%x, %u KiB free\n", ROM_WINDOW_START,
            rtdata.rom_end, (MIN(rtdata.pmm.low_next, (u32)RT_ZONE) - rtdata.rom_end) >> 10);
}

/* Connect the disks of BCV ROMs: each call may add drives after the
 * current 40:75h. */
void optionroms_bcv(void)
{
    for (int i = 0; i < nbcv; i++) {
        u8 before = bda8(BDA_HD_COUNT);
        struct bregs r;
        memset(&r, 0, sizeof(r));
        r.bx = 0xFFFF;
        r.dx = 0xFFFF;
        r.es = 0xF000;
        r.di = rtdata.pnp_offset;
        r.flags = F_IF;
        struct rom_guard g;
        guard_save(&g);
        if (!rom_call(bcvs[i].seg, bcvs[i].off, &r, "BCV"))
            continue;
        char what[16] = "BCV ";
        for (int k = 0; k < 4; k++)
            what[4 + k] = "0123456789abcdef"[(bcvs[i].seg >> (12 - 4 * k)) & 15];
        guard_check(&g, what, true, false);
        u8 after = bda8(BDA_HD_COUNT);
        dprintf(LOG_INFO, "rom: BCV %04x:%04x connected %d disk(s) (80h-%02xh now)\n",
                bcvs[i].seg, bcvs[i].off, after - before, 0x80 + after - 1);
        for (u8 d = before; d < after; d++)
            bootlist_name_disk(0x80 + d, bcvs[i].path, bcvs[i].name);
    }
}
