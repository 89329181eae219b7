/* INT 13h disk geometry: choosing the logical (BIOS) geometry of a disk,
 * converting CHS addresses to LBA and packing/unpacking the CHS registers
 * (int-services.md §3.1 and §3.3).
 *
 * chs_translate() rules: the result never exceeds 1024 cylinders, 255 heads
 * or 63 sectors, never covers more sectors than the disk has, and has no
 * zero field for a nonzero disk (an empty disk gets all zeros). A physical
 * geometry that is missing or unusable (a zero field, more than 255 heads or
 * 63 sectors), and an unknown scheme, select LBA-assist. CHS_NONE on a disk
 * that does not fit 1024 cylinders keeps heads/spt and clips the cylinders.
 * Disks smaller than one 16-head cylinder get one cylinder inside the disk.
 *
 * INT 13h 08h: many BIOSes report one cylinder fewer than the logical
 * geometry for hard disks (the old diagnostic cylinder); chs_pack_int13()
 * does so when diag_cyl is set, and always caps the max cylinder at 1023. */
#ifndef KELP_CHS_H
#define KELP_CHS_H

#include "types.h"

/* A geometry: cylinder, head and sectors-per-track counts (not maximums). */
struct chs {
    u16 cyl;
    u16 heads;
    u16 spt;
};

/* Translation schemes. Not QEMU's CMOS 39h/3Ah codes (0 none, 1 LBA,
 * 2 large, 3 r-echs): map those explicitly. */
enum {
    CHS_NONE = 0,       /* logical = physical */
    CHS_LARGE = 1,      /* bit-shift (ECHS): halve cylinders, double heads */
    CHS_RECHS = 2,      /* 16 heads become 15 first, then bit-shift */
    CHS_LBA = 3,        /* LBA-assist: 63 spt, 16-255 heads by size */
};

/* Most sectors a logical geometry can describe: 1024 x 255 x 63. */
#define CHS_INT13_MAX_SECTORS (1024UL * 255 * 63)

/* Logical geometry INT 13h reports for a disk (phys may be NULL); see above. */
void chs_translate(u64 sectors, const struct chs *phys, int scheme,
                   struct chs *logical);

/* LBA of 0-based cyl/head, 1-based sector in g: 0, or -1 if out of range. */
int chs_to_lba(const struct chs *g, u16 cyl, u16 head, u16 sector, u32 *lba);

/* INT 13h 08h outputs for g: CX = max cylinder and spt, DH = max head. */
void chs_pack_int13(const struct chs *g, bool diag_cyl, u16 *cx, u8 *dh);

/* Decode CX/DX of INT 13h 02h-04h into 0-based cyl/head, 1-based sector. */
void chs_unpack_int13(u16 cx, u16 dx, u16 *cyl, u16 *head, u16 *sector);

#endif
