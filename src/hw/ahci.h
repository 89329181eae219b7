/* AHCI (SATA) drives: one command at a time through slot 0 of a port,
 * polled, data by DMA. Compiled for both modes; every register and
 * structure is reached through lib/flat.h (the runtime calls flat_enter()
 * first).
 *
 * A drive's struct disk holds: ctrl = the HBA's ABAR, target = the port,
 * priv = the port's memory (below), channel = the controller's index (for
 * log lines), atapi = a packet device (CD). */
#ifndef KELP_AHCI_H
#define KELP_AHCI_H
#include "rtdata.h"

/* The memory POST gives each port with a drive, from the high zone (the
 * high zone is small: QEMU keeps -initrd out of only its top 160 KiB).
 * The command list must be 1 KiB aligned and spans 1 KiB, but only slot
 * 0 is ever issued and an HBA reads no other header, so the FIS area and
 * the command table live in the unused slots. */
#define AHCI_MEM_CLB     0x000      /* command list: slot 0's header */
#define AHCI_MEM_BOUNCE_AT 0x020    /* u32: the controller's bounce buffer */
#define AHCI_MEM_FIS     0x100      /* received FIS area, 256 B aligned */
#define AHCI_MEM_CT      0x200      /* slot 0's command table, 128 B aligned */
#define AHCI_MEM_PRDS    8          /* PRDT entries in it */
#define AHCI_MEM_SIZE    0x300
#define AHCI_MEM_ALIGN   0x400
/* One per controller (its ports take turns): data for buffers at odd
 * addresses, which DMA cannot reach, and the bytes a packet command
 * delivers around what the caller asked for. */
#define AHCI_BOUNCE_SIZE 0x800

#define AHCI_CMD_MS      5000       /* longest wait for a command */

/* Poll the register until (value & mask) == val; false when ms ran out. */
bool ahci_wait(u32 reg, u32 mask, u32 val, u32 ms);
/* Stop the port's command list and FIS receive engines (PxCMD ST and
 * FRE off, bounded waits); 0 once both stopped. */
int ahci_port_stop(u32 port_regs);
/* Build slot 0's command: the register FIS, and PRDT entry i for len
 * bytes (even, at most 4 MiB) at physical address addr (even). */
void ahci_fis(struct disk *d, u8 command, u8 features, u64 lba, u16 count);
void ahci_prd(struct disk *d, int i, u32 addr, u32 len);
/* Issue slot 0 with nprd PRDT entries (cdb: the ATAPI packet, or NULL),
 * wait at most ms; on failure log it, bring the port back to a state that
 * takes the next command and return the INT 13h status. */
int ahci_exec(struct disk *d, const u8 *cdb, bool write, int nprd, u32 ms);

/* INT 13h transfer: DMA READ/WRITE (EXT), READ VERIFY; a write counts
 * once the drive has flushed it. */
int ahci_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done);
/* An ATAPI packet command (12-byte cdb) with a data-in phase: bytes
 * skip..skip+len-1 of the data go to seg:off (skip and len even), as
 * atapi_read() in hw/ata.h describes; *got counts the bytes stored.
 * Enters flat mode itself. */
int ahci_packet(struct disk *d, const u8 *cdb, u16 seg, u32 off, u32 skip, u32 len,
                u32 *got);
#endif
