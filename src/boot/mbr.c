/* Partition table checks (see boot/mbr.h).
 *
 * What counts as corrupt is what no partition-aware loader could use, and
 * no layout in real use produces:
 *  - a boot indicator other than 00h or 80h (the classic MBR code stops
 *    with "Invalid partition table" there too);
 *  - a used entry (type not 00h) that ends past the end of the disk, but
 *    for a GPT protective entry of FFFFFFFFh sectors, which UEFI allows
 *    for disks too large to describe;
 *  - two used entries that overlap without one lying inside the other.
 *    Nesting stays allowed: hybrid ISO images put an EFI image partition
 *    inside the one that covers the whole ISO.
 * Entries of type 00h are not looked at beyond their boot indicator:
 * hybrid ISOs use an active type 00h entry starting at LBA 0. Several
 * active entries are tolerated, as GRUB's and syslinux's MBR code do. */
#include "mbr.h"

static u32 le32(const u8 *p)
{
    return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* A volume boot record with a BIOS parameter block: a jump, then either
 * the exFAT name or a plausible sector size and cluster size. */
static bool has_bpb(const u8 *s)
{
    static const char exfat[] = "EXFAT   ";
    if (!(s[0] == 0xEB && s[2] == 0x90) && s[0] != 0xE9)
        return false;
    bool is_exfat = true;
    for (int i = 0; i < 8; i++)
        if (s[3 + i] != (u8)exfat[i])
            is_exfat = false;
    u32 bps = s[0x0B] | (u32)s[0x0C] << 8;
    u8 spc = s[0x0D];
    return is_exfat || ((bps == 512 || bps == 1024 || bps == 2048 || bps == 4096)
                        && spc && !(spc & (spc - 1)));
}

int mbr_check(const u8 *sec, u64 sectors, int *entry)
{
    u64 start[MBR_ENTRIES], end[MBR_ENTRIES];
    *entry = 0;
    if (has_bpb(sec))
        return MBR_OK;
    for (int i = 0; i < MBR_ENTRIES; i++) {
        const u8 *e = sec + MBR_TABLE + i * MBR_ENTRY_SIZE;
        u32 size = le32(e + MBR_E_SIZE);
        start[i] = le32(e + MBR_E_START);
        end[i] = start[i] + size;
        if (e[MBR_E_FLAG] != 0x00 && e[MBR_E_FLAG] != 0x80) {
            *entry = i + 1;
            return MBR_BAD_FLAG;
        }
        if (!e[MBR_E_TYPE] || !size) {
            end[i] = start[i];          /* takes no room */
            continue;
        }
        if (e[MBR_E_TYPE] == MBR_TYPE_GPT && size == 0xFFFFFFFF)
            continue;
        if (sectors && end[i] > sectors) {
            *entry = i + 1;
            return MBR_OUTSIDE;
        }
    }
    for (int i = 0; i < MBR_ENTRIES; i++) {
        for (int j = i + 1; j < MBR_ENTRIES; j++) {
            bool overlap = start[i] < end[j] && start[j] < end[i];
            bool nested = (start[i] <= start[j] && end[j] <= end[i])
                          || (start[j] <= start[i] && end[i] <= end[j]);
            if (overlap && !nested) {
                *entry = j + 1;
                return MBR_OVERLAP;
            }
        }
    }
    return MBR_OK;
}
