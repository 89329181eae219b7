/* Option ROM structures: the legacy header, the PCI data structure
 * ("PCIR", PCI Firmware 3.0) and the PnP expansion header ("$PnP",
 * PnP BIOS 1.0A / BIOS Boot Specification 1.01). */
#ifndef KELP_STD_OPTIONROM_H
#define KELP_STD_OPTIONROM_H
#include "lib/types.h"

struct rom_header {
    u16 signature;          /* 00h: AA55h */
    u8 size;                /* 02h: 512-byte units */
    u8 entry[4];            /* 03h: init entry (far-called at seg:0003) */
    u8 reserved[17];        /* 07h */
    u16 pcir_offset;        /* 18h */
    u16 pnp_offset;         /* 1Ah */
} PACKED;
#define ROM_SIGNATURE 0xAA55

struct pcir {
    u32 signature;          /* 00h: "PCIR" */
    u16 vendor;             /* 04h */
    u16 device;             /* 06h */
    u16 device_list;        /* 08h: rev 3: offset from the PCIR to IDs ending in 0 */
    u16 length;             /* 0Ah */
    u8 revision;            /* 0Ch */
    u8 class_code[3];       /* 0Dh: prog-if, sub class, base class */
    u16 image_length;       /* 10h: 512-byte units */
    u16 code_revision;      /* 12h */
    u8 code_type;           /* 14h: 0 = x86 PC-AT */
    u8 indicator;           /* 15h: bit 7 = last image */
    u16 max_runtime;        /* 16h: rev 3 */
    u16 config_utility;     /* 18h: rev 3 */
    u16 clp_entry;          /* 1Ah: rev 3 */
} PACKED;
#define PCIR_SIGNATURE 0x52494350
#define PCIR_LAST_IMAGE 0x80
#define PCIR_CODE_X86 0x00

struct pnp_header {
    u32 signature;          /* 00h: "$PnP" */
    u8 revision;            /* 04h */
    u8 length;              /* 05h: 16-byte units */
    u16 next;               /* 06h: offset of the next header, 0 = last */
    u8 reserved;            /* 08h */
    u8 checksum;            /* 09h */
    u32 device_id;          /* 0Ah */
    u16 manufacturer;       /* 0Eh: ASCIIZ offset */
    u16 product;            /* 10h: ASCIIZ offset */
    u8 device_type[3];      /* 12h */
    u8 indicators;          /* 15h */
    u16 bcv;                /* 16h: boot connection vector */
    u16 dv;                 /* 18h: disconnect vector */
    u16 bev;                /* 1Ah: bootstrap entry vector */
    u16 reserved2;          /* 1Ch */
    u16 static_info;        /* 1Eh */
} PACKED;
#define PNP_SIGNATURE 0x506E5024

/* The BIOS's own "$PnP" installation structure (PnP BIOS 1.0A). */
struct pnp_install {
    u32 signature;          /* 00h: "$PnP" */
    u8 version;             /* 04h: 10h */
    u8 length;              /* 05h: 21h */
    u16 control;            /* 06h */
    u8 checksum;            /* 08h */
    u32 event_flag;         /* 09h */
    u16 rm_offset;          /* 0Dh */
    u16 rm_segment;         /* 0Fh */
    u16 pm_offset;          /* 11h */
    u32 pm_base;            /* 13h */
    u32 oem_id;             /* 17h */
    u16 rm_data_segment;    /* 1Bh */
    u32 pm_data_base;       /* 1Dh */
} PACKED;

/* POST Memory Manager structure (PMM 1.01). */
struct pmm_header {
    u32 signature;          /* 00h: "$PMM" */
    u8 revision;            /* 04h: 01h */
    u8 length;              /* 05h: 10h */
    u8 checksum;            /* 06h */
    u16 entry_offset;       /* 07h */
    u16 entry_segment;      /* 09h */
    u8 reserved[5];         /* 0Bh */
} PACKED;
#define PMM_SIGNATURE 0x4D4D5024

#define PMM_FLAG_CONV      0x0001
#define PMM_FLAG_EXT       0x0002
#define PMM_FLAG_ALIGN     0x0004
#define PMM_FLAG_PERMANENT 0x0008
#endif
