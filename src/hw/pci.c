#include "hw/pci.h"
#include "lib/io.h"

static void pci_select(u16 bdf, u8 reg)
{
    outl(0x80000000u | ((u32)bdf << 8) | (reg & 0xFC), 0xCF8);
}

u32 pci_read32(u16 bdf, u8 reg) { pci_select(bdf, reg); return inl(0xCFC); }
u16 pci_read16(u16 bdf, u8 reg) { pci_select(bdf, reg); return inw(0xCFC + (reg & 2)); }
u8 pci_read8(u16 bdf, u8 reg) { pci_select(bdf, reg); return inb(0xCFC + (reg & 3)); }
void pci_write32(u16 bdf, u8 reg, u32 v) { pci_select(bdf, reg); outl(v, 0xCFC); }
void pci_write16(u16 bdf, u8 reg, u16 v) { pci_select(bdf, reg); outw(v, 0xCFC + (reg & 2)); }
void pci_write8(u16 bdf, u8 reg, u8 v) { pci_select(bdf, reg); outb(v, 0xCFC + (reg & 3)); }
