/* PCI bring-up on QEMU's i440FX: find every device behind every bridge,
 * give each BAR an address, open the bridge windows, route interrupts
 * through the PIIX3 PIRQ links, and set the command registers.
 *
 * Resources are placed per bus, biggest alignment first, so every BAR is
 * naturally aligned and a bridge window is exactly the span of what sits
 * behind it (rounded to the bridge's granularity). */
#include "post/post.h"
#include "post/pci.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"
#include "rtdata.h"

struct pci_device pci_devices[PCI_MAX_DEVICES];
int pci_count;
u8 pci_last_bus;

/* PIRQA-D -> ISA IRQ, as QEMU's ACPI tables for i440FX expect (on Xen,
 * read back from what hvmloader programmed). */
u8 pci_link_irq[4] = { 10, 10, 11, 11 };
extern u8 post_platform;

enum { R_IO, R_MEM, R_PREF, R_TYPES };
static const char *const type_name[R_TYPES] = { "io", "mem", "pref" };
/* Bridge window granularity and minimum alignment per type. */
static const u32 window_align[R_TYPES] = { 0x1000, 0x100000, 0x100000 };

#define SLOT_ROM 6
#define MAX_REGIONS 512

struct region {
    s16 dev;                /* owning device index */
    u8 slot;                /* BAR 0-5, SLOT_ROM, or the window type (child bus) */
    u8 type;
    bool is64;
    bool window;            /* a bridge window: dev is the bridge */
    bool high;              /* placed in the 64-bit window */
    u8 bus;                 /* the bus it sits on */
    u64 size, align;
    u64 addr;
};

static struct region regions[MAX_REGIONS];
static int nregions;
/* Per bus and type: the span of its resources and where it was placed. */
static u64 bus_size[256][R_TYPES], bus_align[256][R_TYPES], bus_base[256][R_TYPES];
static bool bus_has64only[256];

#define SLOT_OF(bdf) (((bdf) >> 3) & 0x1F)

/* ---- discovery ---- */

static void scan_bus(u8 bus, s16 parent);

static void add_device(u16 bdf, s16 parent)
{
    if (pci_count >= PCI_MAX_DEVICES) {
        dprintf(LOG_ERR, "pci: more than %d devices, %02x:%02x.%x ignored\n",
                PCI_MAX_DEVICES, bdf >> 8, SLOT_OF(bdf), bdf & 7);
        return;
    }
    struct pci_device *d = &pci_devices[pci_count++];
    u32 id = pci_read32(bdf, PCI_VENDOR_ID);
    d->bdf = bdf;
    d->vendor = id;
    d->device = id >> 16;
    d->class = pci_read16(bdf, PCI_CLASS_DEVICE);
    d->prog_if = pci_read8(bdf, PCI_CLASS_PROG);
    d->header = pci_read8(bdf, PCI_HEADER_TYPE) & 0x7F;
    d->pin = pci_read8(bdf, PCI_INT_PIN);
    d->parent = parent;
    dprintf(LOG_DEBUG, "pci: %02x:%02x.%x %04x:%04x class %04x\n", bdf >> 8,
            SLOT_OF(bdf), bdf & 7, d->vendor, d->device, d->class);
    if (d->header == 1 && d->class == PCI_CLASS_BRIDGE_PCI) {
        if (pci_last_bus == 0xFF) {
            dprintf(LOG_ERR, "pci: out of bus numbers below %02x:%02x.%x\n",
                    bdf >> 8, SLOT_OF(bdf), bdf & 7);
            return;
        }
        u8 sec = ++pci_last_bus;
        d->secondary = sec;
        pci_write8(bdf, PCI_PRIMARY_BUS, bdf >> 8);
        pci_write8(bdf, PCI_SECONDARY_BUS, sec);
        pci_write8(bdf, PCI_SUBORDINATE_BUS, 0xFF);
        scan_bus(sec, d - pci_devices);
        pci_write8(bdf, PCI_SUBORDINATE_BUS, pci_last_bus);
    }
}

static void scan_bus(u8 bus, s16 parent)
{
    for (int dev = 0; dev < 32; dev++) {
        u16 bdf = PCI_BDF(bus, dev, 0);
        if (pci_read16(bdf, PCI_VENDOR_ID) == 0xFFFF)
            continue;
        int nfn = (pci_read8(bdf, PCI_HEADER_TYPE) & PCI_HEADER_MULTI) ? 8 : 1;
        for (int fn = 0; fn < nfn; fn++) {
            u16 f = PCI_BDF(bus, dev, fn);
            u16 v = pci_read16(f, PCI_VENDOR_ID);
            if (v == 0xFFFF || v == 0x0000)
                continue;
            add_device(f, parent);
        }
    }
}

/* ---- sizing ---- */

static struct region *new_region(void)
{
    if (nregions >= MAX_REGIONS) {
        dprintf(LOG_ERR, "pci: too many resources\n");
        return NULL;
    }
    struct region *r = &regions[nregions++];
    memset(r, 0, sizeof(*r));
    return r;
}

static u8 bus_of(const struct pci_device *d)
{
    return d->bdf >> 8;
}

static void size_bars(int idx)
{
    struct pci_device *d = &pci_devices[idx];
    u16 bdf = d->bdf;
    int nbars = d->header == 0 ? 6 : d->header == 1 ? 2 : 0;
    u16 cmd = pci_read16(bdf, PCI_COMMAND);
    pci_write16(bdf, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    for (int i = 0; i < nbars; i++) {
        u8 reg = PCI_BAR0 + 4 * i;
        u32 old = pci_read32(bdf, reg);
        pci_write32(bdf, reg, 0xFFFFFFFF);
        u32 mask = pci_read32(bdf, reg);
        pci_write32(bdf, reg, old);
        if (!mask || mask == 0xFFFFFFFF)
            continue;
        struct region *r = new_region();
        if (!r)
            break;
        r->dev = idx;
        r->slot = i;
        r->bus = bus_of(d);
        if (mask & PCI_BAR_IO) {
            r->type = R_IO;
            r->size = (~(mask & ~3u) + 1) & 0xFFFF;
        } else {
            u64 m = mask & ~0xFu;
            r->type = (mask & PCI_BAR_PREFETCH) ? R_PREF : R_MEM;
            if ((mask & 6) == PCI_BAR_MEM64 && i < 5) {
                u8 hreg = reg + 4;
                u32 hold = pci_read32(bdf, hreg);
                pci_write32(bdf, hreg, 0xFFFFFFFF);
                m |= (u64)pci_read32(bdf, hreg) << 32;
                pci_write32(bdf, hreg, hold);
                r->is64 = true;
                i++;
            } else {
                m |= 0xFFFFFFFF00000000ull;
            }
            r->size = ~m + 1;
        }
        if (!r->size) {
            nregions--;
            continue;
        }
        r->align = r->size;
    }
    u8 romreg = d->header == 1 ? PCI_ROM_BRIDGE : PCI_ROM;
    if (d->header <= 1) {
        pci_write32(bdf, romreg, 0xFFFFF800);
        u32 m = pci_read32(bdf, romreg) & 0xFFFFF800;
        pci_write32(bdf, romreg, 0);
        if (m) {
            struct region *r = new_region();
            if (r) {
                r->dev = idx;
                r->slot = SLOT_ROM;
                r->bus = bus_of(d);
                r->type = R_MEM;
                r->size = r->align = ~m + 1;
                d->rom_size = r->size;
            }
        }
    }
    pci_write16(bdf, PCI_COMMAND, cmd);
}

/* Place the regions of one bus and type from base upwards, largest
 * alignment first; returns the end. With dry_run nothing is stored. */
static u64 place(u8 bus, int type, u64 base, bool high, bool dry_run)
{
    u64 at = base;
    /* Selection by descending alignment, without sorting the array. */
    u64 cur = ~0ull;
    for (;;) {
        u64 best = 0;
        for (int i = 0; i < nregions; i++) {
            struct region *r = &regions[i];
            if (r->bus == bus && r->type == type && r->high == high && r->size
                && r->align < cur && r->align > best)
                best = r->align;
        }
        if (!best)
            break;
        for (int i = 0; i < nregions; i++) {
            struct region *r = &regions[i];
            if (r->bus != bus || r->type != type || r->high != high || r->align != best || !r->size)
                continue;
            at = ALIGN_UP(at, r->align);
            if (!dry_run)
                r->addr = at;
            at += r->size;
        }
        cur = best;
    }
    return at;
}

/* Bottom-up: each bridge window becomes a region on its parent bus. */
static void size_windows(void)
{
    for (int b = pci_last_bus; b > 0; b--) {
        int bridge = -1;
        for (int i = 0; i < pci_count; i++)
            if (pci_devices[i].header == 1 && pci_devices[i].secondary == b)
                bridge = i;
        if (bridge < 0)
            continue;
        bus_has64only[b] = true;
        for (int i = 0; i < nregions; i++)
            if (regions[i].bus == b && regions[i].type == R_PREF && !regions[i].is64)
                bus_has64only[b] = false;
        for (int t = 0; t < R_TYPES; t++) {
            u64 maxalign = window_align[t];
            for (int i = 0; i < nregions; i++)
                if (regions[i].bus == b && regions[i].type == t && regions[i].align > maxalign)
                    maxalign = regions[i].align;
            u64 size = place(b, t, 0, false, true);
            bus_size[b][t] = ALIGN_UP(size, window_align[t]);
            bus_align[b][t] = maxalign;
            if (!size)
                continue;
            struct region *r = new_region();
            if (!r)
                return;
            r->dev = bridge;
            r->slot = t;
            r->window = true;
            r->bus = bus_of(&pci_devices[bridge]);
            r->type = t;
            r->is64 = t == R_PREF && bus_has64only[b];
            r->size = bus_size[b][t];
            r->align = maxalign;
        }
    }
}

/* Top-down: give every region of bus b its address, then recurse. */
static void assign_bus(u8 b)
{
    for (int t = 0; t < R_TYPES; t++)
        place(b, t, bus_base[b][t], false, false);
    for (int i = 0; i < nregions; i++) {
        struct region *r = &regions[i];
        if (r->bus != b || !r->window)
            continue;
        u8 child = pci_devices[r->dev].secondary;
        bus_base[child][r->slot] = r->addr;
    }
    for (int i = 0; i < pci_count; i++)
        if (pci_devices[i].header == 1 && bus_of(&pci_devices[i]) == b)
            assign_bus(pci_devices[i].secondary);
}

static void write_region(struct region *r)
{
    struct pci_device *d = &pci_devices[r->dev];
    u16 bdf = d->bdf;
    if (r->window) {
        u8 child = d->secondary;
        u64 base = r->addr, limit = r->addr + r->size - 1;
        switch (r->type) {
        case R_IO:
            pci_write8(bdf, PCI_IO_BASE, (base >> 8) & 0xF0);
            pci_write8(bdf, PCI_IO_LIMIT, (limit >> 8) & 0xF0);
            pci_write16(bdf, PCI_IO_BASE_HI, 0);
            pci_write16(bdf, PCI_IO_LIMIT_HI, 0);
            break;
        case R_MEM:
            pci_write16(bdf, PCI_MEM_BASE, (base >> 16) & 0xFFF0);
            pci_write16(bdf, PCI_MEM_LIMIT, (limit >> 16) & 0xFFF0);
            break;
        case R_PREF:
            pci_write16(bdf, PCI_PREF_BASE, (base >> 16) & 0xFFF0);
            pci_write16(bdf, PCI_PREF_LIMIT, (limit >> 16) & 0xFFF0);
            pci_write32(bdf, PCI_PREF_BASE_HI, base >> 32);
            pci_write32(bdf, PCI_PREF_LIMIT_HI, limit >> 32);
            break;
        }
        dprintf(LOG_DEBUG, "pci: bus %02x %s window %llx-%llx\n", child,
                type_name[r->type], base, limit);
        return;
    }
    if (r->slot == SLOT_ROM) {
        d->rom_base = r->addr;
        pci_write32(bdf, d->header == 1 ? PCI_ROM_BRIDGE : PCI_ROM, r->addr);
    } else {
        u8 reg = PCI_BAR0 + 4 * r->slot;
        u32 old = pci_read32(bdf, reg);
        pci_write32(bdf, reg, (r->addr & ~0xFull) | (old & 0xF));
        if (r->is64)
            pci_write32(bdf, reg + 4, r->addr >> 32);
    }
    dprintf(LOG_DEBUG, "pci: %02x:%02x.%x %s %llx size %llx\n", bdf >> 8, SLOT_OF(bdf),
            bdf & 7, r->slot == SLOT_ROM ? "rom" : type_name[r->type], r->addr, r->size);
}

/* Bridges with nothing of a type behind them get that window closed. */
static void close_windows(const struct pci_device *d)
{
    u16 bdf = d->bdf;
    pci_write8(bdf, PCI_IO_BASE, 0xF0);
    pci_write8(bdf, PCI_IO_LIMIT, 0x00);
    pci_write16(bdf, PCI_MEM_BASE, 0xFFF0);
    pci_write16(bdf, PCI_MEM_LIMIT, 0x0000);
    pci_write16(bdf, PCI_PREF_BASE, 0xFFF0);
    pci_write16(bdf, PCI_PREF_LIMIT, 0x0000);
    pci_write32(bdf, PCI_PREF_BASE_HI, 0);
    pci_write32(bdf, PCI_PREF_LIMIT_HI, 0);
}

/* ---- interrupts ---- */

int pci_link_of(const struct pci_device *d, u8 pin)
{
    /* Xen wires bus 0 slot d, pin p (1-based) to link (d + p - 1) mod 4. */
    if (post_platform == PLATFORM_XEN)
        return (SLOT_OF(d->bdf) + pin - 1) & 3;
    /* Each bridge rotates the pin by the device's slot number; at the
     * root the PIIX3 wiring is link = (slot - 1 + pin) mod 4. */
    int p = pin - 1;
    while (d->parent >= 0) {
        p = (p + SLOT_OF(d->bdf)) & 3;
        d = &pci_devices[d->parent];
    }
    return (SLOT_OF(d->bdf) - 1 + p) & 3;
}

#define PIIX_ISA_BDF PCI_BDF(0, 1, 0)

static void route_irqs(void)
{
    u8 elcr[2] = { 0, 0 };
    for (int l = 0; l < 4; l++) {
        pci_write8(PIIX_ISA_BDF, 0x60 + l, pci_link_irq[l]);
        elcr[pci_link_irq[l] >> 3] |= 1 << (pci_link_irq[l] & 7);
    }
    outb(elcr[0], 0x4D0);
    outb(elcr[1], 0x4D1);
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *d = &pci_devices[i];
        if (!d->pin || d->pin > 4)
            continue;
        d->irq = pci_link_irq[pci_link_of(d, d->pin)];
        /* The PIIX4 power management function raises the ACPI SCI,
         * which QEMU wires to IRQ 9 whatever the PIRQ links say. */
        if (d->vendor == 0x8086 && d->device == 0x7113)
            d->irq = 9;
        pci_write8(d->bdf, PCI_INT_LINE, d->irq);
    }
}

/* ---- the whole job ---- */

static void enable_devices(void)
{
    int vga = -1;
    for (int i = 0; i < pci_count && vga < 0; i++)
        if (pci_devices[i].class == PCI_CLASS_DISPLAY_VGA)
            vga = i;
    for (int i = 0; i < pci_count && vga < 0; i++)
        if (pci_devices[i].class == PCI_CLASS_DISPLAY_OTHER)
            vga = i;
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *d = &pci_devices[i];
        u16 cmd = pci_read16(d->bdf, PCI_COMMAND);
        for (int r = 0; r < nregions; r++) {
            if (regions[r].dev != i || regions[r].slot == SLOT_ROM)
                continue;
            cmd |= regions[r].type == R_IO ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
        }
        if (d->header == 1)
            cmd |= PCI_COMMAND_MASTER;
        if (i == vga)
            cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
        pci_write16(d->bdf, PCI_COMMAND, cmd);
    }
    /* Legacy VGA ranges reach the primary display through every bridge
     * above it. */
    if (vga >= 0)
        for (int p = pci_devices[vga].parent; p >= 0; p = pci_devices[p].parent) {
            u16 bdf = pci_devices[p].bdf;
            pci_write16(bdf, PCI_BRIDGE_CONTROL,
                        pci_read16(bdf, PCI_BRIDGE_CONTROL) | PCI_BRIDGE_CTL_VGA);
        }
}

/* Xen: hvmloader assigned every BAR (ROM BARs included, left disabled)
 * and routed every interrupt. Only learn what is there. */
void pci_scan(void)
{
    pci_count = 0;
    pci_last_bus = 0;
    nregions = 0;
    scan_bus(0, -1);
    for (int l = 0; l < 4; l++) {
        u8 v = pci_read8(PIIX_ISA_BDF, 0x60 + l);
        pci_link_irq[l] = v & 0x80 ? 0 : v & 0x0F;
    }
    for (int i = 0; i < pci_count; i++) {
        struct pci_device *d = &pci_devices[i];
        d->irq = d->pin ? pci_read8(d->bdf, PCI_INT_LINE) : 0;
        if (d->header != 0)
            continue;
        u32 old = pci_read32(d->bdf, PCI_ROM);
        pci_write32(d->bdf, PCI_ROM, 0xFFFFF800);
        u32 m = pci_read32(d->bdf, PCI_ROM) & 0xFFFFF800;
        pci_write32(d->bdf, PCI_ROM, old);
        if (m && (old & 0xFFFFF800)) {
            d->rom_base = old & 0xFFFFF800;
            d->rom_size = ~m + 1;
        }
    }
    dprintf(LOG_INFO, "pci: %d devices (as hvmloader set them up); links %d/%d/%d/%d\n",
            pci_count, pci_link_irq[0], pci_link_irq[1], pci_link_irq[2], pci_link_irq[3]);
}

void pci_setup(void)
{
    pci_count = 0;
    pci_last_bus = 0;
    nregions = 0;
    scan_bus(0, -1);
    for (int i = 0; i < pci_count; i++)
        if (pci_devices[i].header == 1)
            close_windows(&pci_devices[i]);
    for (int i = 0; i < pci_count; i++)
        size_bars(i);
    size_windows();

    /* Root windows: I/O above the legacy ports, memory in the hole below
     * the I/O APIC, prefetchable memory after it, 64-bit beyond RAM. */
    u64 io_size = place(0, R_IO, 0, false, true);
    bus_base[0][R_IO] = io_size <= 0x4000 ? 0xC000 : 0x1000;
    u64 mem_start = ram_below_4g <= 0x80000000u ? 0x80000000u
                    : ram_below_4g <= 0xC0000000u ? 0xC0000000u
                    : ALIGN_UP((u64)ram_below_4g, 0x10000000);
    const u64 mem_end = 0xFEC00000;
    u64 high_start = ALIGN_UP(0x100000000ull + ram_above_4g, 0x40000000);
    for (;;) {
        u64 m = place(0, R_MEM, mem_start, false, true);
        u64 p = place(0, R_PREF, ALIGN_UP(m, 0x100000), false, true);
        if (p <= mem_end)
            break;
        /* Too big: move 64-bit prefetchable regions above 4 GiB, biggest
         * first and only as many as needed, so that small BARs (virtio
         * registers, for one) stay where 32-bit code reaches them. */
        int big = -1;
        for (int i = 0; i < nregions; i++)
            if (regions[i].bus == 0 && regions[i].type == R_PREF && regions[i].is64
                && !regions[i].high && (big < 0 || regions[i].size > regions[big].size))
                big = i;
        if (big < 0)
            break;
        regions[big].high = true;
        dprintf(LOG_INFO, "pci: 32-bit window too small, %llx bytes moved to the 64-bit "
                "window at %llx\n", regions[big].size, high_start);
    }
    bus_base[0][R_MEM] = mem_start;
    bus_base[0][R_PREF] = ALIGN_UP(place(0, R_MEM, mem_start, false, true), 0x100000);
    place(0, R_PREF, high_start, true, false);
    assign_bus(0);
    for (int i = 0; i < nregions; i++)
        write_region(&regions[i]);
    route_irqs();
    enable_devices();
    u64 used = place(0, R_MEM, mem_start, false, true);
    dprintf(LOG_INFO, "pci: %d devices on %d buses; memory %llx-%llx\n", pci_count,
            pci_last_bus + 1, mem_start, used);
}
