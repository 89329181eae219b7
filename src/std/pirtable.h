/* PCI IRQ routing table, "$PIR" (Microsoft PCI IRQ Routing Table
 * Specification 1.0). A 32-byte header followed by one 16-byte entry per
 * device slot, 16-byte aligned somewhere in F0000h-FFFFFh; the bytes of
 * the whole table sum to zero. Operating systems without ACPI look for it
 * there; its slot array is also what PCI BIOS function B10Eh (get IRQ
 * routing options) hands out. The offsets are usable from assembler. */
#ifndef KELP_STD_PIRTABLE_H
#define KELP_STD_PIRTABLE_H

#define PIR_SIGNATURE 0x52495024    /* "$PIR" */
#define PIR_VERSION 0x0100          /* 1.0, the only version OSes accept */

/* Header offsets. */
#define PIR_SIZE        0x06        /* word: 32 + 16 * slots */
#define PIR_ROUTER_BUS  0x08
#define PIR_ROUTER_DEVFN 0x09
#define PIR_EXCLUSIVE   0x0A        /* word: IRQs for PCI only */
#define PIR_SLOTS       0x20
/* Slot entry offsets. */
#define PIR_SLOT_SIZE   0x10
#define PIR_SLOT_BUS    0x00
#define PIR_SLOT_DEVFN  0x01
#define PIR_SLOT_PINS   0x02        /* 3 bytes per pin: link, IRQ bitmap */

/* Intel PIIX/PIIX3/PIIX4: the link value is the router's PIRQ route
 * control register in function 0's configuration space (60h = PIRQA#
 * .. 63h = PIRQD#). Bits 3-0 of that register hold the ISA IRQ, bit 7
 * set disables the route. The ELCR (ports 4D0h/4D1h, one bit per IRQ)
 * makes an IRQ level-triggered, as PCI interrupts are. */
#define PIIX_PIRQ_FIRST 0x60
#define PIIX_PIRQ_LAST  0x63
#define PIIX_PIRQ_DISABLE 0x80
#define PORT_ELCR       0x4D0

#ifndef __ASSEMBLER__
#include "lib/types.h"

/* One interrupt pin of a slot. */
struct pir_pin {
    u8 link;                /* +0: router-specific link value, 0 = not wired */
    u16 irq_bitmap;         /* +1: bit n set = ISA IRQ n may be routed here */
} PACKED;

struct pir_slot {
    u8 bus;                 /* 00h */
    u8 devfn;               /* 01h: device number << 3, function bits 0 */
    struct pir_pin pin[4];  /* 02h: INTA#, 05h: INTB#, 08h: INTC#, 0Bh: INTD# */
    u8 slot;                /* 0Eh: physical slot number, 0 = embedded */
    u8 reserved;            /* 0Fh */
} PACKED;

struct pir_header {
    u32 signature;          /* 00h: "$PIR" */
    u16 version;            /* 04h: 0100h */
    u16 size;               /* 06h: 32 + 16 * slots, a multiple of 16 */
    u8 router_bus;          /* 08h: the interrupt router's PCI address */
    u8 router_devfn;        /* 09h */
    u16 exclusive_irqs;     /* 0Ah: bitmap of IRQs reserved for PCI */
    u16 compat_vendor;      /* 0Ch: a router this one is compatible with */
    u16 compat_device;      /* 0Eh */
    u32 miniport;           /* 10h: miniport data, 0 = none */
    u8 reserved[11];        /* 14h */
    u8 checksum;            /* 1Fh: makes the whole table sum to 0 */
    struct pir_slot slots[];/* 20h */
} PACKED;

STATIC_ASSERT(sizeof(struct pir_slot) == PIR_SLOT_SIZE, "$PIR slot entry is 16 bytes");
STATIC_ASSERT(sizeof(struct pir_header) == PIR_SLOTS, "$PIR header is 32 bytes");
STATIC_ASSERT(__builtin_offsetof(struct pir_header, size) == PIR_SIZE, "$PIR size");
STATIC_ASSERT(__builtin_offsetof(struct pir_header, router_bus) == PIR_ROUTER_BUS, "$PIR router");
STATIC_ASSERT(__builtin_offsetof(struct pir_header, router_devfn) == PIR_ROUTER_DEVFN, "$PIR router");
STATIC_ASSERT(__builtin_offsetof(struct pir_header, exclusive_irqs) == PIR_EXCLUSIVE, "$PIR IRQs");
STATIC_ASSERT(__builtin_offsetof(struct pir_slot, pin) == PIR_SLOT_PINS, "$PIR pins");
#endif

#endif
