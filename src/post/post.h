/* Interfaces between the POST steps (32-bit flat code). */
#ifndef KELP_POST_H
#define KELP_POST_H
#include "lib/types.h"
#include "rt/bregs.h"

/* Log a POST phase with a timestamp. */
void post_phase(const char *name);

/* Call real-mode code: far call to seg:off, or an INT through the IVT. */
void call16(u16 seg, u16 off, struct bregs *r);
void call16_int(u8 vec, struct bregs *r);
/* call16() that gives up after ms milliseconds (0: never) if the code
 * keeps running with interrupts on; false when it was abandoned, and then
 * r holds nothing useful. */
bool call16_limited(u16 seg, u16 off, struct bregs *r, u32 ms);
bool call16_int_limited(u8 vec, struct bregs *r, u32 ms);

void shadow_unlock(void);
void shadow_lock(void);
/* S3: clear CMOS 0Fh early. At the end of POST, record what S3 resume,
 * reset and power-off need from the ACPI tables (src/post/acpipm.c). */
void resume_clear(void);
void acpi_pm_setup(void);
void memmap_init(void);
void memmap_finalize(void);
void memmap_reserve(u64 base, u64 length);
void memmap_publish(void);
void pci_setup(void);
void pci_scan(void);
void ivt_init(void);
void bda_init(void);
void hw_init(void);
void kbd_init(void);
/* The serial console (post/console.c): set up, and put in front of the
 * VGA BIOS's INT 10h once that runs. */
void console_init(void);
void console_vga_ready(void);
void disks_init(void);
void floppy_init(void);
struct disk;
/* Register a hard disk found by a driver: INT 13h drive 80h + index, a log
 * line naming it ("who": controller and position). Returns the drive
 * number, or 0 when the table is full. */
u8 disk_add(struct disk *d, const char *who, const char *model);
/* Register an ATAPI drive (IDENTIFY PACKET word 0 in config): a CD-ROM
 * gets drive E0h + n and a boot entry. */
void cd_add(struct disk *d, const char *who, u16 config, const char *model);
/* The ATA string of IDENTIFY words first..first+words-1, blanks trimmed. */
void ident_string(const u16 *id, int first, int words, char *out);
/* AHCI controllers (post/ahci.c). */
void ahci_init(void);
void platform_init(void);
void NORETURN boot_start(void);
/* Boot priority of a device class from the CMOS boot order (lower first). */
#define BOOT_CMOS_FLOPPY 1
#define BOOT_CMOS_HD 2
#define BOOT_CMOS_CD 3
#define BOOT_CMOS_NET 4
u8 boot_prio(int cmos_type);

/* The boot list (post/bootlist.c). Entries have a readable name and the
 * OpenFirmware path of their device ("" none), which QEMU's bootorder
 * lines are matched against; CMOS priorities order the rest. */
void bootlist_add(u8 type, u16 seg, u16 off, u8 cmos_prio, const char *path, const char *name);
/* A CD drive (INT 13h drive E0h + n) a driver found. */
void bootlist_add_cd(u8 drive, const struct disk *d, const char *who, const char *model);
/* Describe hard disk drive (80h + n) for its boot entry, made later by
 * bootlist_add_hd(): from a driver's struct disk, or as an option ROM's. */
void bootlist_describe_disk(u8 drive, const struct disk *d, const char *who, const char *model);
void bootlist_name_disk(u8 drive, const char *path, const char *name);
void bootlist_add_hd(void);
/* Order the list (bootorder, HALT, CMOS), log it, read the boot options. */
void bootlist_finish(void);
/* QEMU's bootorder file ("" when there is none). */
const char *bootorder_text(void);
/* Paths of a PCI function ("/pci@i0cf8/dev@S[,F]...", through its
 * bridges) and of a registered drive; length, or -1 when unknown. */
int pci_dev_path(char *buf, int size, u16 bdf);
int disk_dev_path(char *buf, int size, const struct disk *d);
void pic_open_irqs(void);

extern u32 ram_below_4g;    /* bytes of RAM from 0 up to the PCI hole */
extern u64 ram_above_4g;
#endif
