/* El Torito 1.0 (bootable CD-ROM format): the boot record volume
 * descriptor, the boot catalog and the specification packet of INT 13h
 * 4Bxxh. The parsers are pure functions of the bytes they are given, so the
 * host unit tests and fuzzers can call them directly; every offset is
 * checked against the length before it is read. */
#ifndef KELP_ELTORITO_H
#define KELP_ELTORITO_H
#include "../lib/types.h"

#define CD_BLOCK_SIZE        2048
#define ELTORITO_BRVD_LBA    17         /* boot record volume descriptor */
#define ELTORITO_ENTRY_SIZE  32

/* Boot media types (catalog entry byte 01h, bits 3-0). */
#define ELTORITO_NO_EMULATION 0
#define ELTORITO_FLOPPY_1_2   1
#define ELTORITO_FLOPPY_1_44  2
#define ELTORITO_FLOPPY_2_88  3
#define ELTORITO_HARD_DISK    4

#define ELTORITO_DEFAULT_LOAD_SEG 0x07C0

/* Why a volume descriptor or catalog was refused (0 = usable). */
enum {
    ELTORITO_OK = 0,
    ELTORITO_ERR_SHORT,         /* fewer bytes than the structure needs */
    ELTORITO_ERR_NOT_BOOT_RECORD, /* sector 17 is not an El Torito boot record */
    ELTORITO_ERR_CATALOG_LBA,   /* the boot record names no catalog */
    ELTORITO_ERR_HEADER,        /* validation entry does not start with 01h */
    ELTORITO_ERR_KEY,           /* validation entry lacks 55h AAh */
    ELTORITO_ERR_CHECKSUM,      /* validation entry words do not sum to 0 */
    ELTORITO_ERR_NO_X86,        /* no bootable entry for platform 0 (x86) */
    ELTORITO_ERR_MEDIA,         /* unknown media type */
};

/* The image a catalog asks the BIOS to boot. */
struct eltorito_image {
    u32 lba;            /* CD block of the image */
    u16 load_seg;       /* where to load it (0 in the catalog -> 07C0h) */
    u16 count;          /* 512-byte virtual sectors to load, as in the catalog */
    u8 media;           /* ELTORITO_NO_EMULATION ... ELTORITO_HARD_DISK */
    u8 sys_type;        /* partition type byte of a hard-disk image */
    u8 from_section;    /* 0: default entry; else 1-based section number */
};

/* Check a boot record volume descriptor (CD block 17, len bytes); on success
 * store the catalog's block number. */
int eltorito_parse_brvd(const u8 *sec, u32 len, u32 *catalog_lba);

/* Choose the x86 boot image of a catalog of len bytes: the default entry
 * when the validation entry is for x86 and the entry is bootable,
 * otherwise the first bootable entry of an x86 section. */
int eltorito_parse_catalog(const u8 *cat, u32 len, struct eltorito_image *out);

/* CD blocks holding count virtual sectors (count 0 still loads one). */
static inline u32 eltorito_load_blocks(u16 count)
{
    return count ? (count + 3u) / 4 : 1;
}

/* INT 13h 4B00h/4B01h specification packet. */
struct eltorito_spec {
    u8 size;            /* 00h: 13h */
    u8 media;           /* 01h: bits 3-0 media type */
    u8 drive;           /* 02h: 00h floppy image, 80h disk image, else the CD's number */
    u8 controller;      /* 03h: controller index (IDE channel) */
    u32 image_lba;      /* 04h */
    u16 device_spec;    /* 08h: IDE: bit 0 set for the slave */
    u16 buffer_seg;     /* 0Ah: 3 KiB cache buffer segment (0: none) */
    u16 load_seg;       /* 0Ch */
    u16 count;          /* 0Eh: virtual sectors loaded */
    u8 cyl_low;         /* 10h: as INT 13h 08h CH */
    u8 spt_cyl_high;    /* 11h: as INT 13h 08h CL */
    u8 heads;           /* 12h: as INT 13h 08h DH */
} PACKED;
STATIC_ASSERT(sizeof(struct eltorito_spec) == 0x13, "El Torito specification packet");

#endif
