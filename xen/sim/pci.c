/* xen-sim: PCI set-up the way hvmloader's pci_setup() leaves bus 0.
 *
 * - PIIX3 PIRQ links A-D routed to the first four IRQs of the PCI set
 *   {5, 10, 11} taken round-robin (5, 10, 11, 5); ELCR = 0x0C20.
 * - Every BAR and ROM BAR sized with decode off, then placed largest
 *   first: memory from 0xF0000000 (the hole grows downward while it is too
 *   small and does not reach RAM), I/O from 0xC000. ROM BARs get an
 *   address but stay disabled. 64-bit BARs that do not fit go above RAM.
 * - Interrupt Line from Xen's wiring: link = (device + pin - 1) & 3.
 * - PIIX4 PM: PM I/O at 0xB000, enabled; SMBus off. Intel IDE: legacy
 *   decode on both channels.
 * - Finally COMMAND gets I/O and/or memory decode as the BARs need, plus
 *   bus master, for every function; the primary VGA always gets I/O. */
#include "xsim.h"

#define PCI_COMMAND     0x04
#define PCI_CLASS       0x0A
#define PCI_BAR0        0x10
#define PCI_ROM         0x30
#define PCI_INT_LINE    0x3C
#define PCI_INT_PIN     0x3D
#define CMD_IO          0x1
#define CMD_MEM         0x2
#define CMD_MASTER      0x4

u32 pci_mem_start = MMIO_HOLE_START;
u64 pci_hi_mem_start, pci_hi_mem_end;

static u32 cfg_addr(u32 devfn, u32 reg)
{
    return PCI_CFG(devfn, reg & 0xFC);
}

u32 pci_read32(u32 devfn, u32 reg)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    return inl(0xCFC);
}
u16 pci_read16(u32 devfn, u32 reg)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    return inw(0xCFC + (reg & 2));
}
u8 pci_read8(u32 devfn, u32 reg)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    return inb(0xCFC + (reg & 3));
}
void pci_write32(u32 devfn, u32 reg, u32 v)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    outl(0xCFC, v);
}
void pci_write16(u32 devfn, u32 reg, u16 v)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    outw(0xCFC + (reg & 2), v);
}
void pci_write8(u32 devfn, u32 reg, u8 v)
{
    outl(0xCF8, cfg_addr(devfn, reg));
    outb(0xCFC + (reg & 3), v);
}

struct bar {
    u64 size;
    u16 devfn;
    u8 reg;
    u8 is64;
    u8 is_io;
};

static struct bar bars[256 * 7];
static u8 decode[256];          /* COMMAND bits each function gets at the end */

static unsigned phys_bits(void)
{
    u32 a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    if (a < 0x80000008)
        return 36;
    cpuid(0x80000008, &a, &b, &c, &d);
    return a & 0xFF;
}

static void route_links(void)
{
    unsigned irq = 0;
    for (unsigned link = 0; link < 4; link++) {
        do
            irq = (irq + 1) & 15;
        while (!(PCI_ISA_IRQ_MASK & (1u << irq)));
        pci_write8(ISA_DEVFN, 0x60 + link, irq);
        log("PCI link %c -> IRQ %u\n", 'A' + link, irq);
    }
    outb(0x4D0, PCI_ISA_IRQ_MASK & 0xFF);
    outb(0x4D1, PCI_ISA_IRQ_MASK >> 8);
}

/* Size one BAR (decode is already off). Returns its size, 0 if unused. */
static u64 size_bar(u32 devfn, u32 reg, bool *is64, bool *is_io)
{
    u32 orig = pci_read32(devfn, reg);
    u64 size;
    *is64 = false;
    *is_io = false;
    if (reg == PCI_ROM) {
        /* size with the enable bit clear, as hvmloader does */
        pci_write32(devfn, reg, (orig | 0xFFFFF800u) & ~1u);
        size = pci_read32(devfn, reg) & 0xFFFFF800u;
        pci_write32(devfn, reg, orig);
    } else {
        *is_io = orig & 1;
        *is64 = !*is_io && (orig & 6) == 4;
        pci_write32(devfn, reg, ~0u);
        u32 lo = pci_read32(devfn, reg);
        pci_write32(devfn, reg, orig);
        size = *is_io ? (lo & 0xFFFCu) : (lo & 0xFFFFFFF0u);
        if (*is64) {
            u32 orig_hi = pci_read32(devfn, reg + 4);
            pci_write32(devfn, reg + 4, ~0u);
            size |= (u64)pci_read32(devfn, reg + 4) << 32;
            pci_write32(devfn, reg + 4, orig_hi);
        }
    }
    return size & ~(size - 1);          /* lowest set bit */
}

static void insert_bar(unsigned *count, const struct bar *b)
{
    unsigned i;
    for (i = 0; i < *count; i++)
        if (bars[i].size < b->size)
            break;
    memmove(&bars[i + 1], &bars[i], (*count - i) * sizeof(bars[0]));
    bars[i] = *b;
    (*count)++;
}

void pci_setup(u32 low_ram_end, u64 high_ram_end)
{
    unsigned nbars = 0;
    int vga = -1;
    u64 mmio_total = 0;

    route_links();

    for (u32 devfn = 0; devfn < 256; devfn++) {
        u32 id = pci_read32(devfn, 0);
        if ((id & 0xFFFF) == 0xFFFF)
            continue;
        u16 vendor = id & 0xFFFF, device = id >> 16;
        u16 cls = pci_read16(devfn, PCI_CLASS);

        if (cls == 0x0300) {
            if ((vendor == 0x1234 && device == 0x1111) || (vendor == 0x1013 && device == 0x00B8))
                vga = devfn;            /* emulated VGA: always primary */
            else if (vga < 0)
                vga = devfn;            /* a passed-through one */
        } else if (cls == 0x0680 && vendor == 0x8086 && device == 0x7113) {
            /* PIIX4 power management: no SMBus I/O, IRQ 9, PM block at
             * 0xB000 switched on. */
            pci_write16(devfn, 0x20, 0);
            pci_write16(devfn, 0xD2, 0);
            pci_write16(devfn, 0x22, 0);
            pci_write16(devfn, PCI_INT_LINE, 9);
            /* hvmloader's word write "at 0x3D" goes out as a word at
             * 0x3C (port 0xCFC + (0x3D & 2)): Interrupt Line becomes 1,
             * the read-only pin is untouched. Same accesses here. */
            pci_write16(devfn, PCI_INT_PIN, 1);
            pci_write32(devfn, 0x40, PM_IO_BASE | 1);
            pci_write8(devfn, 0x80, 1);
        } else if (cls == 0x0101 && vendor == 0x8086) {
            pci_write16(devfn, 0x40, 0x8000);      /* primary channel decode */
            pci_write16(devfn, 0x42, 0x8000);      /* secondary channel decode */
        }

        u16 cmd = pci_read16(devfn, PCI_COMMAND);
        pci_write16(devfn, PCI_COMMAND, cmd & ~(CMD_IO | CMD_MEM));

        for (unsigned n = 0; n < 7; n++) {
            u32 reg = n == 6 ? PCI_ROM : PCI_BAR0 + 4 * n;
            bool is64, is_io;
            u64 size = size_bar(devfn, reg, &is64, &is_io);
            if (size) {
                struct bar b = { size, devfn, reg, is64, is_io };
                insert_bar(&nbars, &b);
                if (!is_io)
                    mmio_total += size;
            }
            if (is64)
                n++;            /* the upper half is not a BAR of its own */
        }

        u8 pin = pci_read8(devfn, PCI_INT_PIN);
        if (pin) {
            unsigned link = ((devfn >> 3) + pin - 1) & 3;
            u8 irq = pci_read8(ISA_DEVFN, 0x60 + link);
            pci_write8(devfn, PCI_INT_LINE, irq);
            log("%02x.%u INT%c -> link %c, IRQ %u\n", devfn >> 3, devfn & 7,
                'A' + pin - 1, 'A' + link, irq);
        }
        decode[devfn] = CMD_MASTER;
    }

    /* libxl tells hvmloader not to move RAM for qemu-xen guests, so the
     * hole only grows while it stays clear of RAM. */
    while (mmio_total > (u64)(MMIO_HOLE_END - pci_mem_start)
           && (u32)(pci_mem_start << 1) != 0
           && (u32)(pci_mem_start << 1) >= low_ram_end)
        pci_mem_start <<= 1;
    bool relocate64 = mmio_total > (u64)(MMIO_HOLE_END - pci_mem_start);
    if (relocate64)
        log("MMIO hole too small: some 64-bit BARs go above 4 GiB\n");

    u64 mem_base = pci_mem_start, mem_max = MMIO_HOLE_END;
    u64 hi_base = high_ram_end > 0x100000000ull ? high_ram_end : 0x100000000ull;
    u64 hi_max = 1ull << phys_bits();
    u64 io_base = 0xC000, io_max = 0x10000;

    for (unsigned i = 0; i < nbars; i++) {
        struct bar *b = &bars[i];
        u32 val = pci_read32(b->devfn, b->reg);
        u64 *base, max;
        bool high = false;
        if (b->is_io) {
            base = &io_base;
            max = io_max;
            val &= 3;
        } else {
            high = b->is64 && relocate64 && mmio_total > mem_max - mem_base;
            if (high) {
                base = &hi_base;
                max = hi_max;
                if (!pci_hi_mem_start)
                    pci_hi_mem_start = ALIGN_UP(hi_base, b->size);
            } else {
                base = &mem_base;
                max = mem_max;
            }
            val &= 0xF;         /* keeps a ROM BAR's enable bit as it was */
            mmio_total -= b->size;
        }
        u64 at = ALIGN_UP(*base, b->size);
        if (at + b->size > max || at + b->size < *base) {
            log("%02x.%u BAR %02x (%llx bytes): no space\n", b->devfn >> 3, b->devfn & 7,
                b->reg, b->size);
            continue;
        }
        *base = at + b->size;
        pci_write32(b->devfn, b->reg, val | (u32)at);
        if (high)
            pci_write32(b->devfn, b->reg + 4, (u32)(at >> 32));
        log("%02x.%u BAR %02x size %llx at %llx\n", b->devfn >> 3, b->devfn & 7, b->reg,
            b->size, at);
        decode[b->devfn] |= b->is_io ? CMD_IO : CMD_MEM;
    }
    if (pci_hi_mem_start) {
        /* round the end so the window has the start's alignment */
        u64 align = pci_hi_mem_start & -pci_hi_mem_start;
        pci_hi_mem_end = ((hi_base - 1) | (align - 1)) + 1;
    }
    if (vga >= 0)
        decode[vga] |= CMD_IO;

    for (u32 devfn = 0; devfn < 256; devfn++)
        if (decode[devfn])
            pci_write16(devfn, PCI_COMMAND, pci_read16(devfn, PCI_COMMAND) | decode[devfn]);
}
