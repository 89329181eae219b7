/* Tables behind the PCI BIOS (src/post/pcibios.c). */
#ifndef KELP_POST_PCIBIOS_H
#define KELP_POST_PCIBIOS_H

/* After pci_setup() on i440FX: the $PIR table, the BIOS32 "_32_" header,
 * and the record both PCI BIOS interfaces serve from. */
void pcibios_setup(void);
#endif
