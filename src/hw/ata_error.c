/* What a failed ATA command means to an INT 13h caller. A pure function of
 * the two registers, so the host unit tests can go through every bit.
 *
 * The codes follow the IBM AT fixed disk BIOS, which turned each error
 * register bit into one status (AMNF 02h, TK0NF 40h, IDNF 04h, UNC 10h,
 * BBK 0Ah), with two changes:
 *  - ABRT. The AT BIOS said 01h (bad command), but Kelp only sends commands
 *    the drive announced, within the capacity it reported: an abort is the
 *    drive failing the request (QEMU reports every host I/O error this
 *    way), so reads say 20h (controller failure) and writes CCh (write
 *    fault). 01h would also make some loaders give up on the EDD functions
 *    and fall back to CHS.
 *  - Bit 6 on a write is WP (ATA-4 and later, removable media): 03h. */
#include "hw/ata.h"

u8 ata_error_status(u8 status, u8 error, int op)
{
    bool write = op == ATA_OP_WRITE;
    if (status & ATA_ST_DF)
        return DISK_RET_WRITE_FAULT;
    if (!(status & ATA_ST_ERR))
        return DISK_RET_UNDEFINED;
    if (error & ATA_ER_IDNF)
        return DISK_RET_NOT_FOUND;
    if (error & ATA_ER_UNC)
        return write ? DISK_RET_WRITE_PROTECT : DISK_RET_ECC;
    if (error & ATA_ER_BBK)
        return DISK_RET_BAD_SECTOR;
    if (error & ATA_ER_AMNF)
        return DISK_RET_ADDR_MARK;
    if (error & ATA_ER_TK0NF)
        return DISK_RET_SEEK_FAIL;
    if (error & (ATA_ER_MC | ATA_ER_MCR))
        return DISK_RET_CHANGED;
    if (error & ATA_ER_ABRT)
        return write ? DISK_RET_WRITE_FAULT : DISK_RET_CTRL_FAIL;
    return DISK_RET_UNDEFINED;
}
