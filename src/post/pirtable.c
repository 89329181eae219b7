/* $PIR: the PCI IRQ routing table of QEMU's i440FX, for operating systems
 * that route interrupts without ACPI, and for PCI BIOS function B10Eh.
 *
 * One entry per device (bus and device number) POST found, on bus 0 and
 * behind bridges alike, so an OS finds every device directly. Each entry
 * names, for INTA#-INTD#, the PIIX3 link register (60h-63h) the pin
 * reaches, through the same wiring pci_setup() routed by (pci_link_of()).
 * Host bridges raise no interrupts and get no entry.
 *
 * Slot numbers follow SeaBIOS's table for the same machine: the PIIX3's
 * own device 1 is embedded (0), device n on bus 0 is slot n - 1; devices
 * behind bridges count as embedded. */
#include "post/pirtable.h"
#include "post/pci.h"
#include "rtdata.h"
#include "post/alloc.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "lib/checksum.h"
#include "lib/output.h"

#define ROUTER_BDF PCI_BDF(0, 1, 0)     /* PIIX3 function 0 */
#define ROUTER_COMPAT_VENDOR 0x8086     /* 82371FB PIIX: the router OSes know */
#define ROUTER_COMPAT_DEVICE 0x122E
/* IRQs a link may be routed to: 3-7, 9-12, 14, 15. */
#define PIR_IRQS 0xDEF8
/* Xen routes PCI links to IRQs 5, 10 and 11 only. */
#define PIR_IRQS_XEN 0x0C20
extern u8 post_platform;

#define CLASS_BRIDGE_HOST 0x0600
#define CLASS_BRIDGE_ISA  0x0601

#define SLOT_OF(bdf) (((bdf) >> 3) & 0x1F)

static void fill_slot(struct pir_slot *s, const struct pci_device *d)
{
    u8 bus = d->bdf >> 8, dev = SLOT_OF(d->bdf);
    s->bus = bus;
    s->devfn = dev << 3;
    for (int pin = 0; pin < 4; pin++) {
        s->pin[pin].link = PIIX_PIRQ_FIRST + pci_link_of(d, pin + 1);
        s->pin[pin].irq_bitmap = post_platform == PLATFORM_XEN ? PIR_IRQS_XEN : PIR_IRQS;
    }
    s->slot = bus || !dev ? 0 : dev - 1;
}

/* Entries for every device, buses in ascending order; with slots NULL
 * only count them. */
static int add_slots(struct pir_slot *slots)
{
    int n = 0;
    for (int bus = 0; bus <= pci_last_bus; bus++) {
        int prev = -1;
        for (int i = 0; i < pci_count; i++) {
            const struct pci_device *d = &pci_devices[i];
            if ((d->bdf >> 8) != bus || d->class == CLASS_BRIDGE_HOST)
                continue;
            if (SLOT_OF(d->bdf) == prev)
                continue;
            prev = SLOT_OF(d->bdf);
            if (slots)
                fill_slot(&slots[n], d);
            n++;
        }
    }
    return n;
}

static bool have_piix_router(void)
{
    for (int i = 0; i < pci_count; i++)
        if (pci_devices[i].bdf == ROUTER_BDF)
            return pci_devices[i].vendor == 0x8086 && pci_devices[i].class == CLASS_BRIDGE_ISA;
    return false;
}

struct pir_header *pirtable_build(void)
{
    if (!have_piix_router()) {
        dprintf(LOG_WARN, "pir: no PIIX ISA bridge at 00:01.0, no $PIR table\n");
        return NULL;
    }
    int n = add_slots(NULL);
    u32 size = sizeof(struct pir_header) + n * sizeof(struct pir_slot);
    struct pir_header *pir = fseg_alloc(size, 16);
    if (!pir)
        return NULL;
    pir->signature = PIR_SIGNATURE;
    pir->version = PIR_VERSION;
    pir->size = size;
    pir->router_bus = ROUTER_BDF >> 8;
    pir->router_devfn = ROUTER_BDF & 0xFF;
    pir->exclusive_irqs = 0;
    pir->compat_vendor = ROUTER_COMPAT_VENDOR;
    pir->compat_device = ROUTER_COMPAT_DEVICE;
    add_slots(pir->slots);
    pir->checksum = checksum_fix(pir, size);
    dprintf(LOG_INFO, "pir: $PIR at %p, %d slots\n", pir, n);
    return pir;
}
