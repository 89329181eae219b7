/* SMBIOS structures (DMTF DSP0134): the 2.1 (32-bit) and 3.0 (64-bit)
 * entry points and the structure header. All integers are little-endian. */
#ifndef KELP_STD_SMBIOS_H
#define KELP_STD_SMBIOS_H
#include "lib/types.h"

/* 2.1 entry point: 16-byte aligned in F0000-FFFFF. */
#define SMBIOS21_ANCHOR "_SM_"
#define SMBIOS21_DMI_ANCHOR "_DMI_"
#define SMBIOS21_LENGTH 0x1F
struct smbios21_entry {
    char anchor[4];             /* 00h "_SM_" */
    u8 checksum;                /* 04h all `length` bytes sum to 0 */
    u8 length;                  /* 05h 1Fh */
    u8 major, minor;            /* 06h SMBIOS version */
    u16 max_structure_size;     /* 08h largest structure, strings included */
    u8 revision;                /* 0Ah entry point revision */
    u8 formatted[5];            /* 0Bh */
    char dmi_anchor[5];         /* 10h "_DMI_" */
    u8 dmi_checksum;            /* 15h bytes 10h-1Eh sum to 0 */
    u16 table_length;           /* 16h bytes of structures */
    u32 table_address;          /* 18h */
    u16 structure_count;        /* 1Ch */
    u8 bcd_revision;            /* 1Eh */
} PACKED;
STATIC_ASSERT(sizeof(struct smbios21_entry) == 0x1F, "SMBIOS 2.1 entry point is 31 bytes");

/* 3.0 entry point: 16-byte aligned in F0000-FFFFF (or via EFI). */
#define SMBIOS30_ANCHOR "_SM3_"
#define SMBIOS30_LENGTH 0x18
struct smbios30_entry {
    char anchor[5];             /* 00h "_SM3_" */
    u8 checksum;                /* 05h all `length` bytes sum to 0 */
    u8 length;                  /* 06h 18h */
    u8 major, minor;            /* 07h SMBIOS version */
    u8 docrev;                  /* 09h */
    u8 revision;                /* 0Ah entry point revision, 01h */
    u8 reserved;                /* 0Bh */
    u32 table_max_size;         /* 0Ch upper bound of the structure bytes */
    u64 table_address;          /* 10h */
} PACKED;
STATIC_ASSERT(sizeof(struct smbios30_entry) == 0x18, "SMBIOS 3.0 entry point is 24 bytes");

/* Every structure: this header and the rest of its formatted area
 * (`length` bytes in all), then its strings, each NUL-terminated, the set
 * ended by one more NUL (two NULs when there are no strings). */
struct smbios_header {
    u8 type;                    /* 00h */
    u8 length;                  /* 01h formatted area, header included */
    u16 handle;                 /* 02h */
} PACKED;

#define SMBIOS_TYPE_BIOS        0
#define SMBIOS_TYPE_SYSTEM      1
#define SMBIOS_TYPE_END         127

/* Type 0, BIOS information, as laid out since SMBIOS 2.4. */
struct smbios_type0 {
    struct smbios_header h;     /* 00h type 0, length 18h */
    u8 vendor;                  /* 04h string number */
    u8 version;                 /* 05h string number */
    u16 start_segment;          /* 06h segment the BIOS starts at */
    u8 release_date;            /* 08h string number, mm/dd/yyyy */
    u8 rom_size;                /* 09h (n + 1) * 64 KiB */
    u64 characteristics;        /* 0Ah bits below */
    u8 characteristics_ext1;    /* 12h */
    u8 characteristics_ext2;    /* 13h */
    u8 release_major;           /* 14h system BIOS release, FFh = none */
    u8 release_minor;           /* 15h */
    u8 ec_major;                /* 16h embedded controller firmware, FFh = none */
    u8 ec_minor;                /* 17h */
} PACKED;
STATIC_ASSERT(sizeof(struct smbios_type0) == 0x18, "SMBIOS type 0 (2.4) is 18h bytes");

/* Type 0 characteristics (offset 0Ah). */
#define SMBIOS_BIOS_ISA         (1u << 4)
#define SMBIOS_BIOS_PCI         (1u << 7)
#define SMBIOS_BIOS_SHADOWING   (1u << 12)
#define SMBIOS_BIOS_EDD         (1u << 19)
#define SMBIOS_BIOS_INT9_KBD    (1u << 27)
#define SMBIOS_BIOS_INT14_SERIAL (1u << 28)
#define SMBIOS_BIOS_INT17_PRINTER (1u << 29)
/* Extension byte 1 (offset 12h) and 2 (offset 13h). */
#define SMBIOS_BIOS_EXT1_ACPI   (1u << 0)
#define SMBIOS_BIOS_EXT2_VM     (1u << 4)
#endif
