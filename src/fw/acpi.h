/* ACPI tables on QEMU: run the fw_cfg "etc/table-loader" script, which
 * loads QEMU's ready-made tables, links them and seals their checksums.
 *
 * The script runner is a pure function of the command bytes: every fw_cfg
 * access and every allocation goes through struct loader_io, so host tests
 * can hand it synthetic files and check the result byte by byte. */
#ifndef KELP_FW_ACPI_H
#define KELP_FW_ACPI_H
#include "lib/types.h"
#include "std/acpi.h"

#define LOADER_MAX_FILES 32

/* What the runner needs from its surroundings. A handle names a fw_cfg
 * file; 0 means "no such file". */
struct loader_io {
    void *ctx;
    /* Handle and size of the named file (name is NUL-terminated). */
    u32 (*find)(void *ctx, const char *name, u32 *size);
    /* Read the first len bytes of the file; false on failure. */
    bool (*read)(void *ctx, u32 handle, void *buf, u32 len);
    /* Write len bytes into the file at offset; false on failure. */
    bool (*write)(void *ctx, u32 handle, u32 offset, const void *buf, u32 len);
    /* size bytes aligned to align (a power of 2) in LOADER_ZONE_HIGH or
     * LOADER_ZONE_FSEG; returns where the runner may write them and sets
     * *addr to their guest-physical address. NULL when nothing is left. */
    void *(*alloc)(void *ctx, u8 zone, u32 size, u32 align, u64 *addr);
    /* Optional: the block alloc() just returned may shrink to new_size
     * bytes (its first new_size bytes kept); returns where they are now
     * and sets *addr, or NULL to leave the block as it is. */
    void *(*shrink)(void *ctx, u8 zone, void *block, u32 size, u32 new_size, u32 align,
                    u64 *addr);
};

/* A file the script loaded. */
struct loader_file {
    char name[LOADER_NAME_SIZE];
    u8 *data;
    u64 addr;
    u32 size;
    u8 zone;
};

struct loader_state {
    struct loader_file files[LOADER_MAX_FILES];
    int nfiles;
    int done;                   /* commands carried out */
    int skipped;                /* commands refused (bad or unknown) */
};

/* Run the len bytes of a table-loader script. A command that is unknown,
 * malformed, or names a file or range that does not exist is logged and
 * skipped; the others still run. Fills *st (cleared first). */
void acpi_loader_run(const u8 *script, u32 len, const struct loader_io *io,
                     struct loader_state *st);

/* How much of a just-loaded high-zone file the script needs (QEMU pads
 * etc/acpi/tables to 128 KiB): the tables that pointers reach, the fields
 * and checksum ranges commands touch. Returns size when that cannot be known (a pointer into the file
 * from a file not loaded yet, an address of it sent back to QEMU). */
u32 acpi_loader_extent(const u8 *script, u32 len, const struct loader_state *st,
                       const char *name, const u8 *data, u32 size);

/* The loaded file with that name, or NULL. */
struct loader_file *acpi_loader_file(struct loader_state *st, const char *name);

#ifndef KELP_HOST
/* Build QEMU's ACPI tables through fw_cfg. Needs PCI resources and the
 * PIIX4 PM base programmed first: QEMU generates the tables from them
 * when the loader script is first read. */
void acpi_setup(void);
#endif
#endif
