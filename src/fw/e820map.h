/* E820 memory map editor working on a caller-provided array.
 *
 * The map is kept sorted by base, without overlaps, without zero-length
 * entries, and with touching entries of the same type merged. Ranges are
 * [base, base + length); a range running past the top of the 64-bit address
 * space is clipped to end at 2^64 - 1. Start from count = 0 (or a map built
 * by these functions): they rely on the invariants above. Edits that return
 * -1 (the array would overflow) leave the map exactly as it was.
 *
 * e820_parse_qemu() applies the 20-byte little-endian records {u64 base,
 * u64 length, u32 type} of fw_cfg "etc/e820" in order through e820_add(),
 * so later records override earlier ones. Zero-length records and a trailing
 * partial record are ignored; types are taken as they are. It returns the
 * number of records applied, or -1 if data is NULL with a nonzero size or a
 * record did not fit (the records before it stay applied). */
#ifndef KELP_E820MAP_H
#define KELP_E820MAP_H

#include "../lib/types.h"

#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3       /* ACPI tables, reclaimable */
#define E820_NVS        4       /* ACPI NVS */
#define E820_UNUSABLE   5
#define E820_DISABLED   6
#define E820_PMEM       7       /* persistent memory */

/* One descriptor, laid out exactly as INT 15h E820h returns it. */
struct e820_entry {
    u64 base;
    u64 length;
    u32 type;
} PACKED;

STATIC_ASSERT(sizeof(struct e820_entry) == 20, "e820 entry is 20 bytes");

struct e820_map {
    struct e820_entry *e;       /* storage for up to max entries */
    int count;                  /* entries in use */
    int max;
};

/* Give [base, base+length) type `type`, overriding what was there: 0 or -1. */
int e820_add(struct e820_map *m, u64 base, u64 length, u32 type);

/* Remove [base, base+length) from the map: 0, or -1 if a split overflows. */
int e820_remove(struct e820_map *m, u64 base, u64 length);

/* Bytes of E820_RAM inside [start, end). */
u64 e820_ram_total(const struct e820_map *m, u64 start, u64 end);

/* End of the highest RAM below limit, clipped to limit; 0 if there is none. */
u64 e820_find_ram_top(const struct e820_map *m, u64 limit);

/* Load QEMU's "etc/e820" file: records applied, or -1 (see above). */
int e820_parse_qemu(struct e820_map *m, const void *data, u32 size);

#endif
