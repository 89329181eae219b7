/* PCI BIOS Specification 2.1: the INT 1Ah AH=B1h functions, their status
 * codes, and the BIOS32 Service Directory through which protected-mode
 * callers find the 32-bit interface. The constants are usable from
 * assembler too. */
#ifndef KELP_STD_PCIBIOS_H
#define KELP_STD_PCIBIOS_H

/* AH = B1h, AL = function. Bus/device/function always in BH/BL. */
#define PCIBIOS_CALL            0xB1
#define PCIBIOS_PRESENT         0x01
#define PCIBIOS_FIND_DEVICE     0x02    /* CX device, DX vendor, SI index -> BX */
#define PCIBIOS_FIND_CLASS      0x03    /* ECX[23:0] class code, SI index -> BX */
#define PCIBIOS_SPECIAL_CYCLE   0x06
#define PCIBIOS_READ_BYTE       0x08    /* DI register -> CL */
#define PCIBIOS_READ_WORD       0x09    /* -> CX */
#define PCIBIOS_READ_DWORD      0x0A    /* -> ECX */
#define PCIBIOS_WRITE_BYTE      0x0B    /* DI register, CL value */
#define PCIBIOS_WRITE_WORD      0x0C    /* CX */
#define PCIBIOS_WRITE_DWORD     0x0D    /* ECX */
#define PCIBIOS_GET_ROUTING     0x0E    /* ES:(E)DI request -> BX exclusive IRQs */
#define PCIBIOS_SET_IRQ         0x0F    /* CL pin (0Ah = INTA#), CH IRQ */

/* Status in AH; CF is set with anything but success. */
#define PCIBIOS_SUCCESSFUL      0x00
#define PCIBIOS_FUNC_NOT_SUPPORTED 0x81
#define PCIBIOS_BAD_VENDOR_ID   0x83
#define PCIBIOS_DEVICE_NOT_FOUND 0x86
#define PCIBIOS_BAD_REGISTER    0x87    /* above FFh, or not aligned to the access */
#define PCIBIOS_SET_FAILED      0x88
#define PCIBIOS_BUFFER_TOO_SMALL 0x89

/* Installation check (B101h) answers. */
#define PCIBIOS_SIGNATURE       0x20494350      /* EDX: "PCI " */
#define PCIBIOS_HW_CONFIG1      0x01            /* AL bit 0: configuration mechanism #1 */
#define PCIBIOS_VERSION         0x0210          /* BH.BL: interface 2.10, BCD */
#define PCIBIOS_PIN_INTA        0x0A            /* B10Fh: CL for INTA# .. 0Dh for INTD# */

/* BIOS32 Service Directory. Its entry is far-called in 32-bit protected
 * mode with EAX = service name and EBX = 0 (function: find the entry);
 * it answers AL = 00h with EBX = physical base of the service, ECX = its
 * length and EDX = the entry's offset from the base, or AL = 80h for a
 * service it does not know, 81h for a function other than 0 in BL. */
#define BIOS32_SIGNATURE        0x5F32335F      /* "_32_" */
#define BIOS32_SERVICE_PCI      0x49435024      /* "$PCI" */
#define BIOS32_FOUND            0x00
#define BIOS32_UNKNOWN_SERVICE  0x80
#define BIOS32_BAD_FUNCTION     0x81

#ifndef __ASSEMBLER__
#include "lib/types.h"

/* B10Eh request buffer at ES:DI, from 16-bit callers. */
struct pci_routing_req16 {
    u16 size;               /* 00h: bytes available; set to the bytes needed/returned */
    u16 offset;             /* 02h: data buffer, offset ... */
    u16 segment;            /* 04h: ... and segment */
} PACKED;

/* B10Eh request buffer at ES:EDI, from callers of the 32-bit interface. */
struct pci_routing_req32 {
    u16 size;               /* 00h */
    u32 offset;             /* 02h: data buffer, offset ... */
    u16 selector;           /* 06h: ... in this data segment */
} PACKED;

/* "_32_" header: 16-byte aligned in E0000h-FFFFFh. */
struct bios32_header {
    u32 signature;          /* 00h: "_32_" */
    u32 entry;              /* 04h: physical address of the directory entry, below 1 MiB */
    u8 revision;            /* 08h: 00h */
    u8 length;              /* 09h: in paragraphs: 01h */
    u8 checksum;            /* 0Ah: makes the length * 16 bytes sum to 0 */
    u8 reserved[5];         /* 0Bh */
} PACKED;

STATIC_ASSERT(sizeof(struct pci_routing_req16) == 6, "16-bit B10Eh request");
STATIC_ASSERT(sizeof(struct pci_routing_req32) == 8, "32-bit B10Eh request");
STATIC_ASSERT(sizeof(struct bios32_header) == 16, "_32_ is one paragraph");
#endif

#endif
