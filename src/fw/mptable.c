/* Intel MP 1.4 floating pointer and configuration table.
 *
 * On QEMU's i440FX/PIIX the I/O APIC sees every ISA IRQ on the pin of the
 * same number, but for the timer, which arrives on pin 2. PCI interrupts
 * go through the PIIX PIRQ links to the ISA IRQ each link is routed to, so
 * a PCI device reaches the I/O APIC pin of its link's ISA IRQ (active high,
 * level-triggered, as QEMU's ACPI tables also describe the links). */
#include "fw/mptable.h"
#include "lib/string.h"
#include "lib/checksum.h"

#define ISA_IRQS 16

static int isa_entries(const struct mp_machine *m)
{
    int n = 0;
    for (int irq = 0; irq < ISA_IRQS; irq++)
        if (irq != 2 && !(m->isa_skip & (1u << irq)))
            n++;
    return n;
}

u32 mptable_config_size(const struct mp_machine *m)
{
    if (m->ncpus < 1 || m->ncpus > 254 || m->pci_buses < 0 || m->pci_buses > 255
        || m->npci_irqs < 0 || m->npci_irqs > 4096)
        return 0;
    return sizeof(struct mp_config) + m->ncpus * sizeof(struct mp_cpu)
           + (m->pci_buses + 1) * sizeof(struct mp_bus) + sizeof(struct mp_ioapic)
           + (m->npci_irqs + isa_entries(m) + 2) * sizeof(struct mp_intsrc);
}

static u8 *put(u8 *p, const void *entry, u32 size)
{
    memcpy(p, entry, size);
    return p + size;
}

static u8 *put_int(u8 *p, u8 type, u8 irq_type, u16 flags, u8 bus, u8 src, u8 apic, u8 pin)
{
    struct mp_intsrc e = { type, irq_type, flags, bus, src, apic, pin };
    return put(p, &e, sizeof(e));
}

u32 mptable_build_config(u8 *buf, u32 cap, const struct mp_machine *m)
{
    u32 size = mptable_config_size(m);
    if (!size || size > cap || size > 0xFFFF)
        return 0;
    u8 ioapic_id = m->ncpus;
    u8 isa_bus = m->pci_buses;
    u8 *p = buf + sizeof(struct mp_config);
    int entries = 0;

    for (int i = 0; i < m->ncpus; i++, entries++) {
        struct mp_cpu c;
        memset(&c, 0, sizeof(c));
        c.type = MP_ENTRY_CPU;
        c.apic_id = i;
        c.apic_version = m->lapic_version;
        c.flags = MP_CPU_ENABLED | (i == 0 ? MP_CPU_BSP : 0);
        c.signature = m->cpu_signature;
        c.features = m->cpu_features;
        p = put(p, &c, sizeof(c));
    }
    for (int b = 0; b <= m->pci_buses; b++, entries++) {
        struct mp_bus e = { MP_ENTRY_BUS, b, { 0 } };
        memcpy(e.bus_type, b == isa_bus ? "ISA   " : "PCI   ", sizeof(e.bus_type));
        p = put(p, &e, sizeof(e));
    }
    struct mp_ioapic io = { MP_ENTRY_IOAPIC, ioapic_id, 0x11, 1, MP_IOAPIC_ADDRESS };
    p = put(p, &io, sizeof(io));
    entries++;

    for (int i = 0; i < m->npci_irqs; i++, entries++) {
        const struct mp_pci_irq *q = &m->pci_irqs[i];
        p = put_int(p, MP_ENTRY_IOINT, MP_INT_INT, MP_IRQ_ACTIVE_HIGH | MP_IRQ_LEVEL, q->bus,
                    (q->slot << 2) | (q->pin & 3), ioapic_id, q->ioapic_pin);
    }
    for (int irq = 0; irq < ISA_IRQS; irq++) {
        if (irq == 2 || (m->isa_skip & (1u << irq)))
            continue;
        p = put_int(p, MP_ENTRY_IOINT, MP_INT_INT, 0, isa_bus, irq, ioapic_id, irq ? irq : 2);
        entries++;
    }
    /* Virtual wire: the 8259 reaches the CPUs through LINT0, NMIs through
     * LINT1, on every local APIC. */
    p = put_int(p, MP_ENTRY_LOCALINT, MP_INT_EXTINT, 0, isa_bus, 0, 0xFF, 0);
    p = put_int(p, MP_ENTRY_LOCALINT, MP_INT_NMI, 0, isa_bus, 0, 0xFF, 1);
    entries += 2;

    struct mp_config h;
    memset(&h, 0, sizeof(h));
    memcpy(h.signature, MPC_SIGNATURE, 4);
    h.length = size;
    h.spec_rev = 4;
    memcpy(h.oem_id, "KELP    ", sizeof(h.oem_id));
    memcpy(h.product_id, "QEMU i440FX ", sizeof(h.product_id));
    h.entry_count = entries;
    h.lapic_address = MP_LAPIC_ADDRESS;
    memcpy(buf, &h, sizeof(h));
    buf[7] = checksum_fix(buf, size);
    return size;
}

#ifndef KELP_HOST
/* ---- the firmware side ---- */
#include "fw/fwcfg.h"
#include "post/alloc.h"
#include "post/pci.h"
#include "lib/io.h"
#include "lib/output.h"

#define MAX_PCI_IRQS 512

void mptable_setup(void)
{
    static struct mp_pci_irq irqs[MAX_PCI_IRQS];
    u16 ncpus = 0;
    fwcfg_read(FWCFG_NB_CPUS, &ncpus, sizeof(ncpus));
    if (ncpus <= 1)
        return;
    if (ncpus > 254) {
        dprintf(LOG_WARN, "MP: %u CPUs do not fit an MP table, none built\n", ncpus);
        return;
    }

    struct mp_machine m;
    memset(&m, 0, sizeof(m));
    m.ncpus = ncpus;
    u32 ebx, ecx;
    cpuid(1, &m.cpu_signature, &ebx, &ecx, &m.cpu_features);
    m.lapic_version = *(volatile u32 *)(MP_LAPIC_ADDRESS + 0x30) & 0xFF;
    if (!m.lapic_version || m.lapic_version == 0xFF)
        m.lapic_version = 0x14;
    m.pci_buses = pci_last_bus + 1;

    /* One entry per slot and pin in use, on every bus: functions of one
     * slot that share a pin share the wire. */
    int n = 0;
    for (int i = 0; i < pci_count; i++) {
        const struct pci_device *d = &pci_devices[i];
        if (d->pin < 1 || d->pin > 4)
            continue;
        u8 bus = d->bdf >> 8, slot = (d->bdf >> 3) & 0x1F, pin = d->pin - 1;
        bool seen = false;
        for (int j = 0; j < n && !seen; j++)
            seen = irqs[j].bus == bus && irqs[j].slot == slot && irqs[j].pin == pin;
        if (seen)
            continue;
        if (n == MAX_PCI_IRQS) {
            dprintf(LOG_WARN, "MP: more than %d PCI interrupt sources\n", MAX_PCI_IRQS);
            break;
        }
        irqs[n].bus = bus;
        irqs[n].slot = slot;
        irqs[n].pin = pin;
        /* The IRQ POST routed it to (its Interrupt Line), which is its
         * link's IRQ but for functions wired elsewhere (the ACPI SCI). */
        irqs[n].ioapic_pin = d->irq ? d->irq : pci_link_irq[pci_link_of(d, d->pin)];
        m.isa_skip |= 1u << irqs[n].ioapic_pin;
        n++;
    }
    m.pci_irqs = irqs;
    m.npci_irqs = n;
    for (int l = 0; l < 4; l++)
        m.isa_skip |= 1u << pci_link_irq[l];

    u32 size = mptable_config_size(&m);
    if (!size)
        return;
    /* The F-segment when there is room (old kernels expect the table
     * below 1 MiB), else the high zone. */
    u8 *cfg = size + 64 <= fseg_free() ? fseg_alloc(size, 16) : high_alloc(size, 16);
    struct mp_floating *fp = fseg_alloc(sizeof(*fp), 16);
    if (!cfg || !fp || !mptable_build_config(cfg, size, &m))
        return;
    memcpy(fp->signature, MPFP_SIGNATURE, 4);
    fp->config_address = (u32)cfg;
    fp->length = 1;
    fp->spec_rev = 4;
    fp->checksum = checksum_fix(fp, sizeof(*fp));
    dprintf(LOG_INFO, "MP: floating pointer at %x, table at %x (%u bytes): %u CPUs, "
            "%d PCI interrupt entries, I/O APIC id %u\n",
            (u32)fp, (u32)cfg, size, ncpus, n, ncpus);
}
#endif
