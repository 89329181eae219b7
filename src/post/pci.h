/* PCI devices found by POST. */
#ifndef KELP_POST_PCI_H
#define KELP_POST_PCI_H
#include "lib/types.h"

#define PCI_MAX_DEVICES 256

struct pci_device {
    u16 bdf;
    u16 vendor, device;
    u16 class;              /* base class << 8 | sub class */
    u8 prog_if;
    u8 header;              /* header type without the multi-function bit */
    u8 pin;                 /* 1 = INTA#, 0 = none */
    u8 irq;                 /* ISA IRQ routed to it, 0 = none */
    u8 secondary;           /* bridges: the bus behind it */
    s16 parent;             /* index of the bridge above, -1 on bus 0 */
    u32 rom_base;           /* assigned ROM BAR address (disabled), 0 = none */
    u32 rom_size;
    u8 native;              /* a Kelp driver serves it: its ROM does not run */
};

extern struct pci_device pci_devices[PCI_MAX_DEVICES];
extern int pci_count;
extern u8 pci_last_bus;

/* A native driver asks before it drives a device: false when the device
 * has an option ROM that is preferred (opt/kelp/rom/BB:DD.F = on or
 * prefer, CONFIG_ROM_OVER_NATIVE, or any device under Xen, where a ROM
 * means a passed-through HBA); otherwise the device is marked native and
 * its ROM will not run, so never both drive a disk. */
bool pci_claim_native(struct pci_device *d, const char *who);

/* Link (0-3 = PIRQA-D) a device's pin reaches at the PIIX router. */
int pci_link_of(const struct pci_device *d, u8 pin);
/* ISA IRQ each PIIX PIRQ link is routed to. */
extern u8 pci_link_irq[4];
#endif
