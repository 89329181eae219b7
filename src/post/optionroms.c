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

/* BCVs found in PnP headers, called before boot in this order. */
#define MAX_BCV 16
static struct { u16 seg, off; } bcvs[MAX_BCV];
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

static void add_boot_bev(u16 seg, u16 off, u16 desc_off, u8 prio)
{
    if (rtdata.boot_count >= MAX_BOOT)
        return;
    struct boot_entry *b = &rtdata.boot[rtdata.boot_count++];
    b->type = BOOT_BEV;
    b->prio = prio;
    b->seg = seg;
    b->off = off;
    b->desc_seg = desc_off ? seg : 0;
    b->desc_off = desc_off;
}

/* Walk the PnP expansion headers of the ROM at addr (size bytes). */
static bool rom_scan_pnp(u32 addr, u32 size, bool *has_bev, u8 prio)
{
    u8 *p = (u8 *)addr;
    u16 seg = addr >> 4;
    struct rom_boot_vector v[16];
    int n = rom_pnp_walk(p, size, v, 16);
    *has_bev = false;
    for (int i = 0; i < n; i++) {
        if (v[i].bev) {
            add_boot_bev(seg, v[i].vector, v[i].product, prio);
            *has_bev = true;
            dprintf(LOG_INFO, "rom: %04x: boot entry (BEV) %04x:%04x \"%s\"\n", seg, seg,
                    v[i].vector, v[i].product ? (char *)p + v[i].product : "");
        } else {
            if (nbcv < MAX_BCV) {
                bcvs[nbcv].seg = seg;
                bcvs[nbcv].off = v[i].vector;
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

/* What a ROM may not touch while it initialises: the vectors of services
 * that stay Kelp's (a ROM that owns a device may hook 13h, 15h, 18h, 19h,
 * and the VGA ROM 10h), and BDA fields it may only move one way. */
static const u8 guarded_vectors[] = { 0x08, 0x09, 0x0E, 0x11, 0x12, 0x14, 0x16,
                                      0x17, 0x1A, 0x40, 0x70 };
struct rom_guard {
    u32 vec[sizeof(guarded_vectors)];
    u32 vec10, vec18, vec19;
    u16 mem_kb, ebda;
    u8 disks;
};

static void guard_save(struct rom_guard *g)
{
    for (unsigned i = 0; i < sizeof(guarded_vectors); i++)
        g->vec[i] = *(volatile u32 *)(guarded_vectors[i] * 4);
    g->vec10 = *(volatile u32 *)(0x10 * 4);
    g->vec18 = *(volatile u32 *)(0x18 * 4);
    g->vec19 = *(volatile u32 *)(0x19 * 4);
    g->mem_kb = bda16(BDA_MEM_KB);
    g->ebda = bda16(BDA_EBDA_SEG);
    g->disks = bda8(BDA_HD_COUNT);
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
    /* Drives may only be added, memory only taken, the EBDA only moved
     * down together with 40:13h. */
    u8 disks = bda8(BDA_HD_COUNT);
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

/* The image is in shadow RAM at rtdata.rom_end: run its init code. */
static void rom_init(u16 bdf, bool pci, const char *what, u8 prio, bool vga)
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
    call16(seg, 3, &r);
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
    bool pnp = size && rom_scan_pnp(addr, size, &has_bev, prio);
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
static char bootorder[1024];

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
    u8 chain[8];
    int depth = 0;
    for (const struct pci_device *p = d; depth < 8; p = &pci_devices[p->parent]) {
        chain[depth++] = p->bdf & 0xFF;
        if (p->parent < 0)
            break;
    }
    /* bootorder_has_pci wants the root-level device first. */
    for (int i = 0; i < depth / 2; i++) {
        u8 t = chain[i];
        chain[i] = chain[depth - 1 - i];
        chain[depth - 1 - i] = t;
    }
    return bootorder_has_pci(bootorder, chain, depth);
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
    if (post_platform == PLATFORM_QEMU && fwcfg_read_file("bootorder", bootorder, sizeof(bootorder) - 1) < 0)
        bootorder[0] = 0;
    static const char *const names[] = { "all", "vga", "boot" };
    dprintf(LOG_INFO, "rom: policy: %s\n", names[rom_policy]);
    dprintf(LOG_DEBUG, "rom: boot order:\n%s\n", bootorder);
}

/* The per-device fw_cfg option opt/kelp/rom/BB:DD.F: 1 on, 0 off, -1 none. */
static int rom_override(const struct pci_device *d)
{
    char name[32], buf[8];
    snprintf(name, sizeof(name), "opt/kelp/rom/%02x:%02x.%x", d->bdf >> 8, (d->bdf >> 3) & 31,
             d->bdf & 7);
    if (fwcfg_opt(name, buf, sizeof(buf))) {
        if (!strcmp(buf, "off") || !strcmp(buf, "on"))
            return buf[1] == 'n';
        dprintf(LOG_WARN, "rom: %s: expected on or off\n", name);
    }
    return -1;
}

bool rom_forced_on(const struct pci_device *d)
{
    return d->rom_base && d->rom_size && rom_override(d) == 1;
}

/* Should this device's ROM run? The per-device option wins over the
 * policy. */
static bool rom_wanted(const struct pci_device *d, bool vga)
{
    int forced = rom_override(d);
    if (forced >= 0)
        return forced;
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
    if (d->driver) {
        /* Two drivers for one device would undo each other's setup. */
        dprintf(LOG_INFO, "rom: %02x:%02x.%x %04x:%04x: served by Kelp's own driver, ROM not "
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
    if (ok)
        rom_init(bdf, true, what, boot_prio(BOOT_CMOS_NET), d->class == PCI_CLASS_DISPLAY_VGA);
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
    /* QEMU lists its loader ROMs (-kernel) first in its boot order. */
    rom_init(0, false, name, 0, vga);
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
        rom_init(0, false, what, boot_prio(BOOT_CMOS_HD), false);
        rtdata.rom_end = MAX(save, rtdata.rom_end);
        a = ALIGN_UP(a + size, ROM_ALIGN) - ROM_ALIGN;
    }
}

void optionroms_run(void)
{
    if (!pmm_struct)
        return;
    policy_init();
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
        printf("Kelp BIOS " BIOS_DATE "\n");
    }
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
        call16(bcvs[i].seg, bcvs[i].off, &r);
        u8 after = bda8(BDA_HD_COUNT);
        dprintf(LOG_INFO, "rom: BCV %04x:%04x connected %d disk(s) (80h-%02xh now)\n",
                bcvs[i].seg, bcvs[i].off, after - before, 0x80 + after - 1);
    }
}
