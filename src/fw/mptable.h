/* Intel MP 1.4 tables for QEMU guests with more than one CPU (OSes without
 * ACPI, or booted with it off, find the CPUs and the I/O APIC here). */
#ifndef KELP_FW_MPTABLE_H
#define KELP_FW_MPTABLE_H
#include "lib/types.h"
#include "std/mptable.h"

/* One PCI interrupt source: a device slot's pin and the I/O APIC pin its
 * wire reaches. */
struct mp_pci_irq {
    u8 bus;
    u8 slot;
    u8 pin;                     /* 0 = INTA# ... 3 = INTD# */
    u8 ioapic_pin;
};

/* Everything the configuration table describes. CPUs have APIC ids
 * 0..ncpus-1, CPU 0 boots; the I/O APIC gets id ncpus. */
struct mp_machine {
    int ncpus;
    u8 lapic_version;
    u32 cpu_signature;          /* CPUID 1 EAX */
    u32 cpu_features;           /* CPUID 1 EDX */
    int pci_buses;              /* PCI buses 0..pci_buses-1; ISA comes next */
    const struct mp_pci_irq *pci_irqs;
    int npci_irqs;
    u16 isa_skip;               /* ISA IRQs that are PCI-routed: no ISA entry */
};

/* Bytes of the configuration table for m. */
u32 mptable_config_size(const struct mp_machine *m);
/* Write the configuration table (checksummed) to buf, which holds
 * mptable_config_size(m) bytes; returns that size, 0 when m is unusable. */
u32 mptable_build_config(u8 *buf, u32 cap, const struct mp_machine *m);

#ifndef KELP_HOST
/* Build and publish the tables when fw_cfg reports several CPUs. Runs
 * after pci_setup(), whose interrupt routing it describes. */
void mptable_setup(void);
#endif
#endif
