/* INT 1Ah AH=B1h: the PCI BIOS for real-mode callers (PCI BIOS 2.1).
 *
 * Configuration space is reached through mechanism #1. Bus numbers come
 * from POST's scan, the IRQ routing from the $PIR table POST built; both
 * are in the record src/entry/pcibios16.S keeps for its 32-bit twin of
 * every function here. Every function leaves alone the registers it does
 * not return something in, and never enables interrupts. */
#include "rt/pcibios.h"
#include "std/pcibios.h"
#include "std/pirtable.h"
#include "hw/pci.h"
#include "hw/pci_regs.h"
#include "lib/far.h"
#include "lib/io.h"
#include "layout.h"

/* The $PIR table as a near pointer (it is in the F-segment), or NULL. */
static const struct pir_header *pir_table(void)
{
    u32 pir = pcibios_info.pir;
    return pir ? (const struct pir_header *)(pir - RT_ZONE) : NULL;
}

/* Bus/devfn of the index-th function (from 0) whose config dword reg,
 * shifted right by shift, equals want; -1 if there are not that many.
 * Buses 0 to the last one, devfn ascending; functions 1-7 are looked at
 * only on multi-function devices. */
static int find_function(u8 reg, u8 shift, u32 want, u16 index)
{
    u16 last = (u16)(pcibios_info.last_bus << 8) | 0xFF;
    for (u16 bdf = 0;; bdf++) {
        bool fn0 = !(bdf & 7);
        bool skip_rest = fn0;
        u32 id = pci_read32(bdf, PCI_VENDOR_ID);
        if ((u16)id != 0xFFFF) {
            if (fn0)
                skip_rest = !(pci_read8(bdf, PCI_HEADER_TYPE) & PCI_HEADER_MULTI);
            u32 v = reg == PCI_VENDOR_ID ? id : pci_read32(bdf, reg) >> shift;
            if (v == want && index-- == 0)
                return bdf;
        }
        if (skip_rest)
            bdf |= 7;
        if (bdf >= last)
            return -1;
    }
}

static void found(struct bregs *r, int bdf)
{
    if (bdf < 0) {
        ret_err(r, PCIBIOS_DEVICE_NOT_FOUND);
        return;
    }
    r->bx = bdf;
    ret_ok(r);
}

/* B101h: installation check. */
static void b101_present(struct bregs *r)
{
    r->al = PCIBIOS_HW_CONFIG1;
    r->bx = PCIBIOS_VERSION;
    r->cl = pcibios_info.last_bus;
    r->edx = PCIBIOS_SIGNATURE;
    r->edi = (u32)pci32_entry + RT_ZONE;    /* physical address */
    ret_ok(r);
}

/* B102h: find a device by vendor and device ID. */
static void b102_find_device(struct bregs *r)
{
    if (r->dx == 0xFFFF) {
        ret_err(r, PCIBIOS_BAD_VENDOR_ID);
        return;
    }
    found(r, find_function(PCI_VENDOR_ID, 0, ((u32)r->cx << 16) | r->dx, r->si));
}

/* B103h: find a function by class code (base, sub class, prog-if). */
static void b103_find_class(struct bregs *r)
{
    found(r, find_function(PCI_REVISION, 8, r->ecx & 0xFFFFFF, r->si));
}

/* B108h-B10Dh: the register in DI must be in config space and aligned to
 * the access size. */
static bool reg_ok(struct bregs *r, u8 size)
{
    if (r->di > 0xFF || (r->di & (size - 1))) {
        ret_err(r, PCIBIOS_BAD_REGISTER);
        return false;
    }
    return true;
}

static void b1_config(struct bregs *r)
{
    static const u8 sizes[] = { 1, 2, 4, 1, 2, 4 };
    u8 fn = r->al - PCIBIOS_READ_BYTE;
    if (!reg_ok(r, sizes[fn]))
        return;
    u16 bdf = r->bx;
    u8 reg = r->di;
    switch (r->al) {
    case PCIBIOS_READ_BYTE:   r->cl = pci_read8(bdf, reg); break;
    case PCIBIOS_READ_WORD:   r->cx = pci_read16(bdf, reg); break;
    case PCIBIOS_READ_DWORD:  r->ecx = pci_read32(bdf, reg); break;
    case PCIBIOS_WRITE_BYTE:  pci_write8(bdf, reg, r->cl); break;
    case PCIBIOS_WRITE_WORD:  pci_write16(bdf, reg, r->cx); break;
    case PCIBIOS_WRITE_DWORD: pci_write32(bdf, reg, r->ecx); break;
    }
    ret_ok(r);
}

/* B10Eh: the $PIR slot entries, into the buffer the request at ES:DI
 * names. Its size word always comes back as the bytes needed. */
static void b10e_routing(struct bregs *r)
{
    const struct pir_header *pir = pir_table();
    if (!pir) {
        ret_err(r, PCIBIOS_FUNC_NOT_SUPPORTED);
        return;
    }
    u16 need = pir->size - sizeof(*pir);
    u16 room = peek16(r->es, r->di);
    poke16(r->es, r->di, need);
    if (room < need) {
        ret_err(r, PCIBIOS_BUFFER_TOO_SMALL);
        return;
    }
    u16 off = peek16(r->es, (u16)(r->di + 2));
    u16 seg = peek16(r->es, (u16)(r->di + 4));
    far_write(seg, off, pir->slots, need);
    r->bx = pir->exclusive_irqs;
    ret_ok(r);
}

/* B10Fh: route pin CL (0Ah = INTA#) of device BX to IRQ CH. Programs the
 * PIIX link the $PIR names for that pin, if the IRQ is one the table
 * allows there, and makes the IRQ level-triggered in the ELCR. Updating
 * the interrupt line registers of the devices on that link is the
 * caller's job, as the specification says. */
static void b10f_set_irq(struct bregs *r)
{
    const struct pir_header *pir = pir_table();
    if (!pir) {
        ret_err(r, PCIBIOS_FUNC_NOT_SUPPORTED);
        return;
    }
    u8 pin = r->cl - PCIBIOS_PIN_INTA, irq = r->ch;
    int n = (pir->size - sizeof(*pir)) / sizeof(struct pir_slot);
    const struct pir_slot *s = pir->slots;
    while (n && !(s->bus == r->bh && s->devfn == (r->bl & 0xF8))) {
        s++;
        n--;
    }
    if (!n || pin > 3 || irq > 15) {
        ret_err(r, PCIBIOS_SET_FAILED);
        return;
    }
    u8 link = s->pin[pin].link;
    if (link < PIIX_PIRQ_FIRST || link > PIIX_PIRQ_LAST || !(s->pin[pin].irq_bitmap & (1 << irq))) {
        ret_err(r, PCIBIOS_SET_FAILED);
        return;
    }
    pci_write8(PCI_BDF(pir->router_bus, 0, 0) | pir->router_devfn, link, irq);
    u16 port = PORT_ELCR + (irq >> 3);
    outb(inb(port) | (1 << (irq & 7)), port);
    ret_ok(r);
}

void handle_1ab1(struct bregs *r)
{
    switch (r->al) {
    case PCIBIOS_PRESENT:      b101_present(r); break;
    case PCIBIOS_FIND_DEVICE:  b102_find_device(r); break;
    case PCIBIOS_FIND_CLASS:   b103_find_class(r); break;
    case PCIBIOS_READ_BYTE ... PCIBIOS_WRITE_DWORD: b1_config(r); break;
    case PCIBIOS_GET_ROUTING:  b10e_routing(r); break;
    case PCIBIOS_SET_IRQ:      b10f_set_irq(r); break;
    default:                   ret_err(r, PCIBIOS_FUNC_NOT_SUPPORTED); break;
    }
}
