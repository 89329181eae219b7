/* POST memory for tables and data that outlive POST:
 *  - the F-segment pool: what the runtime code leaves free in F0000-FDFFF,
 *    for small tables OSes look for there ($PIR, _32_, SMBIOS/MP entry
 *    points, RSDP); read-only after POST like the rest of the F-segment;
 *  - the high zone: the top of RAM below 4 GiB, for large tables (ACPI,
 *    SMBIOS structures); reserved in E820 when POST ends. */
#ifndef KELP_ALLOC_H
#define KELP_ALLOC_H
#include "lib/types.h"
void alloc_init(void);
/* Zeroed memory, or NULL (logged) when the pool is exhausted. */
void *fseg_alloc(u32 size, u32 align);
void *high_alloc(u32 size, u32 align);
/* Give back the start of the block high_alloc() returned last, keeping
 * its first new_size bytes (moved up); the new address, or NULL. */
void *high_shrink(void *block, u32 size, u32 new_size, u32 align);
/* Reserve the used part of the high zone in the E820 map. */
void alloc_finalize(void);
u32 fseg_free(void);
#endif
