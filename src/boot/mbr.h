/* The partition table of a hard disk's boot sector (the MBR): the checks
 * INT 19h makes before it starts the sector. A pure function of the bytes,
 * so the host unit tests and fuzzers call it directly. */
#ifndef KELP_MBR_H
#define KELP_MBR_H
#include "../lib/types.h"

#define MBR_TABLE       0x1BE   /* four 16-byte entries */
#define MBR_ENTRIES     4
#define MBR_ENTRY_SIZE  16
/* Entry fields: 00h boot indicator (00h or 80h), 01h-03h CHS start,
 * 04h type (00h unused), 05h-07h CHS end, 08h start LBA, 0Ch sectors. */
#define MBR_E_FLAG      0x00
#define MBR_E_TYPE      0x04
#define MBR_E_START     0x08
#define MBR_E_SIZE      0x0C
#define MBR_TYPE_GPT    0xEE    /* protective entry of a GPT disk */

/* Why a table was refused (0 = usable). */
enum {
    MBR_OK = 0,
    MBR_BAD_FLAG,       /* a boot indicator other than 00h or 80h */
    MBR_OUTSIDE,        /* a partition ends past the end of the disk */
    MBR_OVERLAP,        /* two partitions overlap without one holding the other */
};

/* Check the 512-byte boot sector sec of a disk of the given size in
 * sectors (0: unknown, the size check is left out). A sector with a BIOS
 * parameter block (FAT, NTFS, exFAT: a disk without partitions) has no
 * table and passes. On a refusal *entry is the 1-based entry at fault. */
int mbr_check(const u8 *sec, u64 sectors, int *entry);

#endif
