/* ATA/ATAPI on the legacy IDE channels, PIO, polled (nIEN set). */
#ifndef KELP_ATA_H
#define KELP_ATA_H
#include "rtdata.h"

/* Register offsets from the command block base. */
#define ATA_DATA     0
#define ATA_ERROR    1
#define ATA_FEATURE  1
#define ATA_COUNT    2
#define ATA_LBA0     3
#define ATA_LBA1     4
#define ATA_LBA2     5
#define ATA_DEVICE   6
#define ATA_STATUS   7
#define ATA_COMMAND  7
/* Control block: alternate status (read) / device control (write). */
#define ATA_ALTSTATUS 0

#define ATA_ST_ERR  0x01
#define ATA_ST_DRQ  0x08
#define ATA_ST_DF   0x20
#define ATA_ST_DRDY 0x40
#define ATA_ST_BSY  0x80

/* Error register bits after a failed command (ATA-1 names; bit 6 means
 * UNC on reads and WP, medium write protected, on writes). */
#define ATA_ER_AMNF  0x01
#define ATA_ER_TK0NF 0x02
#define ATA_ER_ABRT  0x04
#define ATA_ER_MCR   0x08
#define ATA_ER_IDNF  0x10
#define ATA_ER_MC    0x20
#define ATA_ER_UNC   0x40
#define ATA_ER_WP    0x40
#define ATA_ER_BBK   0x80

#define ATA_CMD_READ       0x20
#define ATA_CMD_READ_EXT   0x24
#define ATA_CMD_WRITE      0x30
#define ATA_CMD_WRITE_EXT  0x34
#define ATA_CMD_READ_DMA      0xC8
#define ATA_CMD_READ_DMA_EXT  0x25
#define ATA_CMD_WRITE_DMA     0xCA
#define ATA_CMD_WRITE_DMA_EXT 0x35
#define ATA_CMD_VERIFY     0x40
#define ATA_CMD_VERIFY_EXT 0x42
#define ATA_CMD_FLUSH      0xE7
#define ATA_CMD_FLUSH_EXT  0xEA
#define ATA_CMD_IDENTIFY   0xEC
#define ATA_CMD_IDENTIFY_PACKET 0xA1
#define ATA_CMD_PACKET     0xA0

/* INT 13h-style results of a transfer. */
#define DISK_RET_OK        0x00
#define DISK_RET_PARAM     0x01
#define DISK_RET_ADDR_MARK 0x02
#define DISK_RET_WRITE_PROTECT 0x03
#define DISK_RET_CHANGED   0x06
#define DISK_RET_NO_MEDIA  0x31
#define DISK_RET_NOT_READY 0xAA
#define DISK_RET_NOT_FOUND 0x04
#define DISK_RET_WRITE_FAULT 0xCC
#define DISK_RET_TIMEOUT   0x80
#define DISK_RET_CTRL_FAIL 0x20
#define DISK_RET_ECC       0x10
#define DISK_RET_BAD_SECTOR 0x0A
#define DISK_RET_BOUNDARY  0x09     /* the buffer runs past what seg:off can reach */
#define DISK_RET_SEEK_FAIL 0x40
#define DISK_RET_UNDEFINED 0xBB

#define ATA_OP_READ   0
#define ATA_OP_WRITE  1
#define ATA_OP_VERIFY 2

/* The INT 13h status for a command that ended with ERR or DF in status
 * and error in the error register (hw/ata_error.c). */
u8 ata_error_status(u8 status, u8 error, int op);

/* Transfer count sectors at lba to/from seg:off. *done gets the sectors
 * that completed. Returns a DISK_RET_ status. */
int ata_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done);
/* Probe a drive position; fills d and the 256-word IDENTIFY data.
 * Returns 0 if a drive answered. */
int ata_probe(u16 iobase, u16 ctlbase, u8 slave, struct disk *d, u16 *ident);
/* Soft-reset a channel; 0 when it came out of reset. */
int ata_reset(u16 iobase, u16 ctlbase);

/* ATAPI (PACKET command, 2048-byte blocks): PIO data-in on an IDE channel,
 * DMA on an AHCI port (hw/ahci.c); the calls below go to the drive's
 * transport by d->type. Every call returns a DISK_RET_ status; a failed
 * command's sense key is mapped to the closest INT 13h status. */
#define ATAPI_BLOCK 2048
/* INT 13h status for the error register of a failed packet command. */
int atapi_error_status(u8 error);
/* Wait (bounded) until the drive reports ready, then store its block count
 * in d->sectors. DISK_RET_NO_MEDIA when it says it has no medium. */
int atapi_ready(struct disk *d);
/* Read the blocks from lba on that cover bytes skip..skip+len-1 of the
 * data; store exactly those len bytes at seg:off (skip and len even). *got
 * counts the bytes stored. */
int atapi_read(struct disk *d, u32 lba, u32 skip, u32 len, u16 seg, u32 off, u32 *got);
/* ata_transfer() for an ATAPI drive: reads of whole blocks, verify always
 * succeeds, writes fail as write protected. */
int atapi_transfer(struct disk *d, int op, u64 lba, u32 count, u16 seg, u16 off, u32 *done);
/* Open the tray (START STOP UNIT). */
int atapi_eject(struct disk *d);
#endif
