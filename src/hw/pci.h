/* PCI configuration mechanism 1 (ports CF8h/CFCh). bdf = bus<<8 | devfn. */
#ifndef KELP_PCI_H
#define KELP_PCI_H
#include "lib/types.h"
#define PCI_BDF(b, d, f) (((b) << 8) | ((d) << 3) | (f))
u32 pci_read32(u16 bdf, u8 reg);
u16 pci_read16(u16 bdf, u8 reg);
u8 pci_read8(u16 bdf, u8 reg);
void pci_write32(u16 bdf, u8 reg, u32 v);
void pci_write16(u16 bdf, u8 reg, u16 v);
void pci_write8(u16 bdf, u8 reg, u8 v);
#endif
