#include "hw/scsi.h"
#include "hw/ata.h"

void scsi_sense_parse(struct scsi_result *r, const u8 *sense, u32 len)
{
    r->key = r->asc = r->ascq = 0;
    if (len < 1)
        return;
    u8 code = sense[0] & 0x7F;
    if ((code == 0x70 || code == 0x71) && len >= 3) {
        r->key = sense[2] & 0x0F;
        /* ASC/ASCQ are there when the additional length (byte 7) says so. */
        if (len >= 14 && sense[7] >= 6) {
            r->asc = sense[12];
            r->ascq = sense[13];
        }
    } else if ((code == 0x72 || code == 0x73) && len >= 4) {
        r->key = sense[1] & 0x0F;
        r->asc = sense[2];
        r->ascq = sense[3];
    }
}

int scsi_cdb_rw(u8 *cdb, int op, u64 lba, u32 count)
{
    static const u8 op10[] = { [ATA_OP_READ] = SCSI_READ10, [ATA_OP_WRITE] = SCSI_WRITE10,
                               [ATA_OP_VERIFY] = SCSI_VERIFY10 };
    static const u8 op16[] = { [ATA_OP_READ] = SCSI_READ16, [ATA_OP_WRITE] = SCSI_WRITE16,
                               [ATA_OP_VERIFY] = SCSI_VERIFY16 };
    for (int i = 0; i < 16; i++)
        cdb[i] = 0;
    cdb[1] = op == ATA_OP_WRITE ? SCSI_CDB_FUA : 0;
    if (lba + count <= 0x100000000ull && count <= 0xFFFF) {
        cdb[0] = op10[op];
        scsi_put_be32(cdb + 2, lba);
        cdb[7] = count >> 8;
        cdb[8] = count;
        return 10;
    }
    cdb[0] = op16[op];
    scsi_put_be32(cdb + 2, lba >> 32);
    scsi_put_be32(cdb + 6, lba);
    scsi_put_be32(cdb + 10, count);
    return 16;
}

u8 scsi_disk_status(const struct scsi_result *r, bool write)
{
    if (r->status == SCSI_GOOD)
        return r->resid ? DISK_RET_CTRL_FAIL : DISK_RET_OK;
    if (r->status != SCSI_CHECK_CONDITION)
        return r->status == SCSI_BUSY ? DISK_RET_NOT_READY : DISK_RET_CTRL_FAIL;
    switch (r->key) {
    case SCSI_KEY_RECOVERED:            /* done, the device fixed it up */
        return r->resid ? DISK_RET_CTRL_FAIL : DISK_RET_OK;
    case SCSI_KEY_NOT_READY:
        return r->asc == 0x3A ? DISK_RET_NO_MEDIA : DISK_RET_NOT_READY;
    case SCSI_KEY_MEDIUM_ERROR:
        return write ? DISK_RET_WRITE_FAULT : DISK_RET_ECC;
    case SCSI_KEY_ILLEGAL_REQUEST:
        /* LOGICAL BLOCK ADDRESS OUT OF RANGE; else the command itself. */
        return r->asc == 0x21 ? DISK_RET_NOT_FOUND : DISK_RET_PARAM;
    case SCSI_KEY_UNIT_ATTENTION:
        return DISK_RET_CHANGED;
    case SCSI_KEY_DATA_PROTECT:
        return DISK_RET_WRITE_PROTECT;
    default:                            /* hardware error, aborted, ... */
        return write ? DISK_RET_WRITE_FAULT : DISK_RET_CTRL_FAIL;
    }
}

int scsi_parse_report_luns(const u8 *buf, u32 len, u32 *luns, int max)
{
    if (len < 8)
        return -1;
    u32 list = scsi_be32(buf);
    if (list % 8)
        return -1;
    /* The list may be longer than what was asked for; take what came. */
    u32 end = list + 8 < len ? list + 8 : len;
    int n = 0;
    for (u32 p = 8; p + 8 <= end; p += 8) {
        const u8 *e = buf + p;
        u32 lun;
        if (e[2] | e[3] | e[4] | e[5] | e[6] | e[7])
            continue;                   /* a second level: not one of ours */
        if ((e[0] >> 6) == 0 && e[0] == 0)
            lun = e[1];                 /* peripheral device addressing, bus 0 */
        else if ((e[0] >> 6) == 1)
            lun = (e[0] & 0x3F) << 8 | e[1];   /* flat space addressing */
        else
            continue;
        /* Insert in order, dropping duplicates and what does not fit. */
        int i = n;
        while (i > 0 && luns[i - 1] > lun)
            i--;
        if (i > 0 && luns[i - 1] == lun)
            continue;
        if (i >= max)
            continue;
        if (n == max)
            n--;
        for (int j = n; j > i; j--)
            luns[j] = luns[j - 1];
        luns[i] = lun;
        n++;
    }
    return n;
}
