/* Fuzz target: what a SCSI device answers (src/hw/scsi.c): REPORT LUNS
 * data and sense data.
 *
 * Input: max (u8, LUN slots 1-16 the caller offers), the SCSI status byte
 * (u8), then the device's bytes, parsed both as a REPORT LUNS answer and
 * as sense data.
 *
 * Checked: nothing is read past the given length (AddressSanitizer,
 * exact-size heap copy) nor written past max slots; the answer is -1 or
 * 0..max LUNs, strictly ascending, each below 16384 and present in the
 * list as a single-level entry; the sense key is 0-15; a command that did not end GOOD never maps to
 * success, except for a RECOVERED ERROR with every byte transferred. */
#include "fuzz_input.h"
#include "hw/scsi.h"
#include "hw/ata.h"

static bool listed(const u8 *buf, u32 len, u32 lun)
{
    u32 list = scsi_be32(buf);
    u32 end = list + 8 < len ? list + 8 : len;
    for (u32 p = 8; p + 8 <= end; p += 8) {
        const u8 *e = buf + p;
        if (e[2] | e[3] | e[4] | e[5] | e[6] | e[7])
            continue;
        if ((e[0] == 0 && e[1] == lun) || ((e[0] >> 6) == 1 && ((e[0] & 0x3Fu) << 8 | e[1]) == lun))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    int max = fin_u8(&f) % 16 + 1;
    u8 status = fin_u8(&f);
    u32 len = f.n;
    u8 *buf = malloc(len ? len : 1);
    memcpy(buf, f.p, len);

    u32 *luns = malloc(max * sizeof(*luns));
    int n = scsi_parse_report_luns(buf, len, luns, max);
    FUZZ_ASSERT(n >= -1 && n <= max);
    if (len < 8 || scsi_be32(buf) % 8)
        FUZZ_ASSERT(n == -1);
    for (int i = 0; i < n; i++) {
        FUZZ_ASSERT(luns[i] < 16384);
        FUZZ_ASSERT(i == 0 || luns[i] > luns[i - 1]);
        FUZZ_ASSERT(listed(buf, len, luns[i]));
    }
    free(luns);

    struct scsi_result r = { .status = status, .resid = len & 1 };
    scsi_sense_parse(&r, buf, len);
    FUZZ_ASSERT(r.key <= 15);
    u8 ret = scsi_disk_status(&r, status & 1);
    if (ret == DISK_RET_OK)
        FUZZ_ASSERT(!r.resid && (status == SCSI_GOOD || (status == SCSI_CHECK_CONDITION
                                                         && r.key == SCSI_KEY_RECOVERED)));
    free(buf);
    return 0;
}
