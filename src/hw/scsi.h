/* SCSI block commands (SBC/SPC) as any SCSI transport sends them: command
 * blocks for the few commands a BIOS needs, sense data decoding, and the
 * INT 13h status a failed command turns into. Pure functions of bytes, so
 * the host unit tests call them directly. */
#ifndef KELP_SCSI_H
#define KELP_SCSI_H
#include "lib/types.h"

#define SCSI_TEST_UNIT_READY 0x00
#define SCSI_INQUIRY         0x12
#define SCSI_READ_CAPACITY10 0x25
#define SCSI_READ10          0x28
#define SCSI_WRITE10         0x2A
#define SCSI_VERIFY10        0x2F
#define SCSI_READ16          0x88
#define SCSI_WRITE16         0x8A
#define SCSI_VERIFY16        0x8F
#define SCSI_SERVICE_IN16    0x9E       /* action 10h: READ CAPACITY (16) */
#define SCSI_READ_CAPACITY16_ACTION 0x10
#define SCSI_REPORT_LUNS     0xA0
#define SCSI_CDB_FUA         0x08       /* byte 1 of READ/WRITE: force unit access */

/* Status byte. */
#define SCSI_GOOD            0x00
#define SCSI_CHECK_CONDITION 0x02
#define SCSI_BUSY            0x08

/* Sense keys. */
#define SCSI_KEY_NO_SENSE       0x0
#define SCSI_KEY_RECOVERED      0x1
#define SCSI_KEY_NOT_READY      0x2
#define SCSI_KEY_MEDIUM_ERROR   0x3
#define SCSI_KEY_HARDWARE_ERROR 0x4
#define SCSI_KEY_ILLEGAL_REQUEST 0x5
#define SCSI_KEY_UNIT_ATTENTION 0x6
#define SCSI_KEY_DATA_PROTECT   0x7
#define SCSI_KEY_ABORTED        0xB

/* INQUIRY byte 0: peripheral qualifier (bits 7-5) and device type. */
#define SCSI_TYPE_DISK  0x00
#define SCSI_TYPE_CDROM 0x05

/* The outcome of one command that reached the logical unit. */
struct scsi_result {
    u8 status;                  /* SCSI_GOOD, SCSI_CHECK_CONDITION, ... */
    u8 key, asc, ascq;          /* sense (0 unless CHECK CONDITION came with sense) */
    u32 resid;                  /* data bytes not transferred */
};

/* Fill key/asc/ascq from sense data in fixed (70h/71h) or descriptor
 * (72h/73h) format; len is how much the device returned. */
void scsi_sense_parse(struct scsi_result *r, const u8 *sense, u32 len);

/* READ, WRITE (with FUA: the write is on the medium when it completes) or
 * VERIFY of count blocks at lba: the 10-byte form while every block
 * number fits 32 bits and count fits 16, else the 16-byte form. op is an
 * ATA_OP_*. Returns the CDB length (cdb has room for 16). */
int scsi_cdb_rw(u8 *cdb, int op, u64 lba, u32 count);

/* INT 13h status (DISK_RET_*) for a command's result; write tells write
 * errors from read errors. */
u8 scsi_disk_status(const struct scsi_result *r, bool write);

/* LUNs in a REPORT LUNS answer of len bytes: up to max of them are stored
 * in luns (single-level peripheral or flat addressing, < 16384; others are
 * skipped), in ascending order. Returns the number stored, or -1 when the
 * answer is malformed. */
int scsi_parse_report_luns(const u8 *buf, u32 len, u32 *luns, int max);

static inline u32 scsi_be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}
static inline void scsi_put_be32(u8 *p, u32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}
#endif
