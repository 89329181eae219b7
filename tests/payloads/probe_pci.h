/* PCI BIOS part of the probe (probe_pci.c, probe_pci32.S). */
#ifndef PROBE_PCI_H
#define PROBE_PCI_H

/* Print the pci.* and pci32.* keys; see probe_pci.c. */
void probe_pci(void);

#endif
