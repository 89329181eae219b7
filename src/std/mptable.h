/* Intel MultiProcessor Specification 1.4 tables. All integers are
 * little-endian; every structure is packed. */
#ifndef KELP_STD_MPTABLE_H
#define KELP_STD_MPTABLE_H
#include "lib/types.h"

/* Floating pointer: 16-byte aligned in the first KiB of the EBDA, the last
 * KiB of base memory, or F0000-FFFFF. */
#define MPFP_SIGNATURE "_MP_"
struct mp_floating {
    char signature[4];          /* 00h "_MP_" */
    u32 config_address;         /* 04h configuration table, 0 = default config */
    u8 length;                  /* 08h in 16-byte units: 1 */
    u8 spec_rev;                /* 09h 4 = version 1.4 */
    u8 checksum;                /* 0Ah all 16 bytes sum to 0 */
    u8 feature1;                /* 0Bh 0 = configuration table present */
    u8 feature2;                /* 0Ch bit 7: IMCR present (PIC mode) */
    u8 feature3[3];             /* 0Dh reserved */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_floating) == 16, "MP floating pointer is 16 bytes");

#define MPC_SIGNATURE "PCMP"
struct mp_config {
    char signature[4];          /* 00h "PCMP" */
    u16 length;                 /* 04h base table, header included */
    u8 spec_rev;                /* 06h 4 */
    u8 checksum;                /* 07h base table sums to 0 */
    char oem_id[8];             /* 08h space padded */
    char product_id[12];        /* 10h space padded */
    u32 oem_table;              /* 1Ch 0 = none */
    u16 oem_table_size;         /* 20h */
    u16 entry_count;            /* 22h */
    u32 lapic_address;          /* 24h FEE00000h */
    u16 ext_length;             /* 28h extended table bytes */
    u8 ext_checksum;            /* 2Ah */
    u8 reserved;                /* 2Bh */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_config) == 44, "MP configuration header is 44 bytes");

/* Entry types, in the order they must appear. */
#define MP_ENTRY_CPU            0
#define MP_ENTRY_BUS            1
#define MP_ENTRY_IOAPIC         2
#define MP_ENTRY_IOINT          3
#define MP_ENTRY_LOCALINT       4

struct mp_cpu {
    u8 type;                    /* 00h 0 */
    u8 apic_id;                 /* 01h */
    u8 apic_version;            /* 02h */
    u8 flags;                   /* 03h MP_CPU_* */
    u32 signature;              /* 04h CPUID 1 EAX (stepping, model, family) */
    u32 features;               /* 08h CPUID 1 EDX */
    u32 reserved[2];            /* 0Ch */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_cpu) == 20, "MP processor entry is 20 bytes");
#define MP_CPU_ENABLED          0x01
#define MP_CPU_BSP              0x02

struct mp_bus {
    u8 type;                    /* 00h 1 */
    u8 bus_id;                  /* 01h */
    char bus_type[6];           /* 02h "PCI   ", "ISA   " */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_bus) == 8, "MP bus entry is 8 bytes");

struct mp_ioapic {
    u8 type;                    /* 00h 2 */
    u8 apic_id;                 /* 01h */
    u8 apic_version;            /* 02h */
    u8 flags;                   /* 03h bit 0: enabled */
    u32 address;                /* 04h */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_ioapic) == 8, "MP I/O APIC entry is 8 bytes");

/* I/O interrupt (type 3) and local interrupt (type 4) assignments. */
struct mp_intsrc {
    u8 type;                    /* 00h 3 or 4 */
    u8 irq_type;                /* 01h MP_INT_* */
    u16 flags;                  /* 02h polarity bits 1-0, trigger bits 3-2 */
    u8 src_bus;                 /* 04h bus id */
    u8 src_irq;                 /* 05h ISA: IRQ; PCI: device << 2 | pin (0 = INTA#) */
    u8 dst_apic;                /* 06h I/O APIC id (type 3), local APIC id or FFh (type 4) */
    u8 dst_pin;                 /* 07h I/O APIC pin (type 3), LINTIN# (type 4) */
} PACKED;
STATIC_ASSERT(sizeof(struct mp_intsrc) == 8, "MP interrupt entry is 8 bytes");
#define MP_INT_INT              0
#define MP_INT_NMI              1
#define MP_INT_SMI              2
#define MP_INT_EXTINT           3
/* flags: 0 means "conforms to the bus". */
#define MP_IRQ_ACTIVE_HIGH      0x1
#define MP_IRQ_ACTIVE_LOW       0x3
#define MP_IRQ_EDGE             (0x1 << 2)
#define MP_IRQ_LEVEL            (0x3 << 2)

#define MP_LAPIC_ADDRESS        0xFEE00000u
#define MP_IOAPIC_ADDRESS       0xFEC00000u
#endif
