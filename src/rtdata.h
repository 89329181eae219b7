/* State shared by POST (which fills it) and the runtime (which serves
 * from it). It lives at RTSEG:RT_DATA_OFF in the RW zone; both links place
 * the symbol rtdata there (see the linker scripts in src/entry). */
#ifndef KELP_RTDATA_H
#define KELP_RTDATA_H
#include "lib/types.h"
#include "lib/chs.h"
#include "lib/keys.h"
#include "layout.h"
#include "fw/e820map.h"
#include "fw/eltorito.h"

#define PLATFORM_QEMU 1
#define PLATFORM_XEN  2

#define MAX_E820 32
#define MAX_DISKS 16
#define MAX_CDS 4               /* ATAPI CD drives: INT 13h drive E0h + index */
#define CD_DRIVE_FIRST 0xE0

#define DISK_ATA   1           /* legacy IDE, PIO (hw/ata.c) */
#define DISK_ATAPI 2
#define DISK_AHCI  3            /* hw/ahci.c */
#define DISK_VIRTIO_BLK  4      /* hw/virtio-blk.c */
#define DISK_VIRTIO_SCSI 5      /* hw/virtio-scsi.c */
#define DISK_NVME  6            /* hw/nvme.c */

/* One drive the runtime serves through INT 13h. */
struct disk {
    u8 type;                    /* DISK_ATA, DISK_ATAPI */
    u8 channel;                 /* IDE channel 0/1 */
    u8 slave;                   /* 0 master, 1 slave */
    u8 lba48;                   /* drive supports 48-bit LBA */
    u8 translation;             /* CHS_* scheme of the logical geometry */
    u8 pci_bus, pci_devfn;      /* controller, for EDD device paths */
    u8 max_multi;               /* sectors per transfer limit (0: 256) */
    u16 iobase, ctlbase;
    u16 blksize;
    u64 sectors;
    struct chs phys;            /* geometry the drive reports */
    struct chs lchs;            /* geometry INT 13h reports */
    /* Drivers other than ATA: their controller and drive state (physical
     * addresses, reached through lib/flat.h), and the drive's address. */
    u32 ctrl;                   /* register base or controller state */
    u32 priv;                   /* per-drive state */
    u32 lun;                    /* SCSI LUN, NVMe namespace ID */
    u16 target;                 /* AHCI port, SCSI target */
    u8 atapi;                   /* packet device (CD) behind a non-ATA driver */
};

/* One thing INT 19h can boot. */
#define BOOT_HD  1              /* a hard disk (INT 13h drive) */
#define BOOT_BEV 2              /* an option ROM's bootstrap entry vector */
#define BOOT_CD  3              /* a CD drive (El Torito); off = drive */
#define BOOT_FLOPPY 4           /* a diskette drive; off = drive */
#define MAX_BOOT 128
struct boot_entry {
    u8 type;
    u8 prio;                    /* lower boots first */
    u16 seg, off;               /* BEV: far entry; hard disk: off = drive */
    u16 desc_seg, desc_off;     /* ASCIIZ name, F000:xxxx (0:0 none) */
} PACKED;

/* The El Torito boot image POST found on a CD drive. */
struct cd_boot {
    u8 read_status;             /* INT 13h status of reading the disc (0 ok) */
    u8 error;                   /* ELTORITO_ERR_* when read_status is 0 */
    u32 catalog_lba;
    struct eltorito_image image;
} PACKED;

/* The CD boot in effect (INT 13h 4Bh): the specification packet handed
 * out, and the emulated drive's geometry when the image is a floppy or a
 * hard disk (spec.drive 00h / 80h; the real drives of that kind shift up
 * by one). */
struct cd_emu {
    u8 active;                  /* a CD was booted */
    u8 emulating;               /* spec.drive is an emulated floppy/disk */
    u8 cd;                      /* index in rtdata.cds */
    u32 catalog_lba;
    u32 sectors;                /* 512-byte sectors of an emulated drive */
    struct chs geom;
    struct eltorito_spec spec;
} PACKED;

/* A block handed out by the POST Memory Manager. */
#define MAX_PMM_BLOCKS 32
struct pmm_block {
    u32 handle;
    u32 addr;
    u32 size;                   /* bytes; 0 = freed */
} PACKED;

/* PMM pools: temporary ones are bump allocators (conventional upwards,
 * extended downwards); permanent ones are reserved for good. */
struct pmm_pools {
    u32 conv_next, conv_end;            /* temporary, below 640 KiB */
    u32 ext_next, ext_floor;            /* temporary, above 1 MiB (top-down) */
    u32 low_next, low_floor;            /* permanent, in the RW chunk of the E-segment (top-down) */
    u32 high_next, high_floor;          /* permanent, in the reserved high zone (top-down) */
} PACKED;

/* rtdata.resume_magic once POST has prepared an S3 resume (the reset code
 * checks it at RTSEG:RT_DATA_OFF before trusting the rest). */
#define RESUME_MAGIC 0x4D52504B         /* "KPRM" */

struct rtdata {
    u32 resume_magic;           /* first: the reset code reads it by offset */
    u32 facs;                   /* ACPI FACS (S3 waking vector), 0 = none */
    u8 pam[7];                  /* i440FX PAM0-6 as POST left them (QEMU) */
    u16 pm1a_cnt;               /* ACPI PM1a control port (power-off), 0 = none */
    u8 s5_type;                 /* SLP_TYP of S5 for pm1a_cnt */
    u8 acpi_reset_value;
    u16 acpi_reset_port;        /* FADT reset register (I/O), 0 = none */
    u8 platform;
    u8 disk_count;              /* hard disks: drive 80h + index */
    u8 e820_count;
    u8 vga_rom;                 /* a VGA option ROM owns INT 10h */
    u16 debug_port;
    u16 pmtimer_port;           /* ACPI PM timer, 0 = none */
    u16 sercon_port;            /* serial console, 0 = off */
    u8 sercon_col;              /* where the terminal's cursor is (0xFF: not known) */
    u8 sercon_row;
    u8 sercon_attr;             /* the colours the terminal is set to */
    struct term_keys sercon_keys;       /* serial console input decoder */
    u32 sercon_vga;             /* the VGA BIOS's INT 10h, which the console chains to */
    u16 boot_fail_count;        /* boot list entries tried so far */
    u8 boot_limit;              /* entries the default order boots (bootorder HALT) */
    u8 boot_swap;               /* Kelp disk swapped with 80h for the boot (0: none) */
    u8 boot_menu;               /* offer the boot menu before booting */
    u16 boot_menu_ms;           /* how long its prompt waits for ESC or F12 */
    u32 boot_retry_ms;          /* reset this long after nothing booted; ~0: never */
    u16 int13_calls;            /* INT 13h calls that reached Kelp's handler */
    u16 kbd_id;                 /* keyboard ID bytes (INT 16h 0Ah) */
    u32 ebda_kb;
    struct e820_entry e820[MAX_E820];
    struct disk disks[MAX_DISKS];
    u8 boot_count;
    u8 pmm_active;              /* PMM answers (POST only) */
    u8 pmm_count;
    u16 pnp_offset;             /* F000:offset of the $PnP installation structure */
    u32 rom_end;                /* end of the option ROMs placed so far */
    struct boot_entry boot[MAX_BOOT];
    struct pmm_pools pmm;
    struct pmm_block pmm_blocks[MAX_PMM_BLOCKS];
    u8 cd_count;
    u8 cd_locks[MAX_CDS];       /* INT 13h 45h lock counts */
    struct disk cds[MAX_CDS];
    struct cd_boot cd_boot[MAX_CDS];
    struct cd_emu cdemu;
} PACKED;

extern struct rtdata rtdata;

#endif
