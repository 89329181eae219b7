/* ACPI structures the firmware touches (ACPI 6.x, section 5.2), and the
 * command records of QEMU's table loader (fw_cfg "etc/table-loader").
 * All integers are little-endian. */
#ifndef KELP_STD_ACPI_H
#define KELP_STD_ACPI_H
#include "lib/types.h"

/* Root System Description Pointer: 16-byte aligned in the first KiB of the
 * EBDA or in E0000-FFFFF. Revision 0 uses the first 20 bytes only. */
#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_V1_LENGTH 20
struct acpi_rsdp {
    char signature[8];          /* 00h "RSD PTR " */
    u8 checksum;                /* 08h bytes 00h-13h sum to 0 */
    char oem_id[6];             /* 09h */
    u8 revision;                /* 0Fh 0 = ACPI 1.0, 2 = ACPI 2.0+ */
    u32 rsdt_address;           /* 10h */
    u32 length;                 /* 14h whole structure (revision 2+) */
    u64 xsdt_address;           /* 18h */
    u8 extended_checksum;       /* 20h all `length` bytes sum to 0 */
    u8 reserved[3];             /* 21h */
} PACKED;
STATIC_ASSERT(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");

/* Header every system description table starts with. */
struct acpi_table_header {
    char signature[4];          /* 00h e.g. "RSDT", "FACP", "APIC" */
    u32 length;                 /* 04h whole table, header included */
    u8 revision;                /* 08h */
    u8 checksum;                /* 09h all `length` bytes sum to 0 */
    char oem_id[6];             /* 0Ah */
    char oem_table_id[8];       /* 10h */
    u32 oem_revision;           /* 18h */
    u32 creator_id;             /* 1Ch */
    u32 creator_revision;       /* 20h */
} PACKED;
STATIC_ASSERT(sizeof(struct acpi_table_header) == 36, "SDT header is 36 bytes");

/* ---- QEMU's linker/loader commands (hw/acpi/bios-linker-loader.c) ----
 * The file is an array of 128-byte records; a reader skips commands it
 * does not know. Names are NUL-terminated fw_cfg file names. */
#define LOADER_CMD_SIZE         128
#define LOADER_NAME_SIZE        56

#define LOADER_ALLOCATE         1   /* load a fw_cfg file into new memory */
#define LOADER_ADD_POINTER      2   /* add a file's address to a field */
#define LOADER_ADD_CHECKSUM     3   /* make a byte range sum to zero */
#define LOADER_WRITE_POINTER    4   /* tell QEMU where a file was loaded */

#define LOADER_ZONE_HIGH        1   /* anywhere in 32-bit memory */
#define LOADER_ZONE_FSEG        2   /* the F-segment (for the RSDP) */

struct loader_allocate {
    u32 command;                /* 00h LOADER_ALLOCATE */
    char file[56];              /* 04h */
    u32 align;                  /* 3Ch power of 2 */
    u8 zone;                    /* 40h LOADER_ZONE_* */
} PACKED;

struct loader_add_pointer {
    u32 command;                /* 00h LOADER_ADD_POINTER */
    char dest_file[56];         /* 04h file holding the field */
    char src_file[56];          /* 3Ch file whose address is added */
    u32 offset;                 /* 74h field offset in dest_file */
    u8 size;                    /* 78h field size: 1, 2, 4 or 8 */
} PACKED;

struct loader_add_checksum {
    u32 command;                /* 00h LOADER_ADD_CHECKSUM */
    char file[56];              /* 04h */
    u32 offset;                 /* 3Ch checksum byte */
    u32 start;                  /* 40h first byte summed */
    u32 length;                 /* 44h bytes summed */
} PACKED;

struct loader_write_pointer {
    u32 command;                /* 00h LOADER_WRITE_POINTER */
    char dest_file[56];         /* 04h fw_cfg file written (not loaded) */
    char src_file[56];          /* 3Ch loaded file whose address is sent */
    u32 dest_offset;            /* 74h where in dest_file */
    u32 src_offset;             /* 78h added to src_file's address */
    u8 size;                    /* 7Ch bytes written: 1, 2, 4 or 8 */
} PACKED;

STATIC_ASSERT(sizeof(struct loader_write_pointer) <= LOADER_CMD_SIZE, "loader command size");
#endif
