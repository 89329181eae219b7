/* SMBIOS on QEMU: QEMU supplies an entry point ("etc/smbios/smbios-anchor",
 * 2.1 "_SM_" or 3.0 "_SM3_") and the structures ("etc/smbios/smbios-tables");
 * the firmware places the structures, adds its own type 0 (BIOS
 * information) when QEMU has none, and publishes the entry point in the
 * F-segment with the table's address, size and count filled in.
 *
 * The functions below only look at the bytes they are given (no fw_cfg, no
 * allocation), so host tests can feed them anything. */
#ifndef KELP_FW_SMBIOS_H
#define KELP_FW_SMBIOS_H
#include "lib/types.h"
#include "std/smbios.h"

/* Bytes left free in front of QEMU's structures for a type 0. */
#define SMBIOS_TYPE0_ROOM 128
/* Largest entry point written. */
#define SMBIOS_EP_MAX 32

/* What goes into the type 0 structure. Empty or NULL strings are left out
 * (string number 0). */
struct smbios_bios_info {
    const char *vendor;
    const char *version;
    const char *date;           /* mm/dd/yyyy */
    u16 start_segment;
    u8 rom_size;                /* (n + 1) * 64 KiB */
    u64 characteristics;
    u8 ext1, ext2;
    u8 release_major, release_minor;
};

/* What a walk over a structure table found. */
struct smbios_scan {
    u32 length;                 /* bytes of well-formed structures */
    u32 count;                  /* structures, end-of-table included */
    u32 max_size;               /* largest structure, strings included */
    bool has_type0;
    bool ended;                 /* a type 127 closed the table */
    bool truncated;             /* malformed bytes were cut off */
    u16 free_handle;            /* a handle no structure uses */
};

/* Walk len bytes of structures, stopping after the end-of-table structure
 * or before the first malformed one. Returns info->length. */
u32 smbios_scan_table(const u8 *table, u32 len, struct smbios_scan *info);

/* Write a type 0 structure with the given handle; returns its size, or 0
 * when it does not fit in cap bytes. */
u32 smbios_build_type0(u8 *buf, u32 cap, u16 handle, const struct smbios_bios_info *bi);

/* The finished table and entry point. */
struct smbios_layout {
    u32 table_offset;           /* where the table starts in buf */
    u32 table_length;
    u32 count;
    u32 max_size;
    u32 ep_length;              /* bytes written to ep */
    bool added_type0;
};

/* buf holds SMBIOS_TYPE0_ROOM free bytes followed by tlen bytes of QEMU's
 * structures, and sits at guest address addr. Puts the final table in buf
 * (with a type 0 in front when QEMU gave none), and writes the entry point
 * for it, built from QEMU's anchor, to ep (SMBIOS_EP_MAX bytes). Returns
 * false, writing nothing to ep, when the anchor is unusable or the table
 * cannot be described by it. */
bool smbios_assemble(const u8 *anchor, u32 alen, u8 *buf, u32 tlen, u64 addr,
                     const struct smbios_bios_info *bi, u8 *ep, struct smbios_layout *out);

#ifndef KELP_HOST
/* Read QEMU's SMBIOS data through fw_cfg and publish the tables. */
void smbios_setup(void);
#endif
#endif
