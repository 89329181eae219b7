/* Fuzz target: the partition table check of INT 19h (src/boot/mbr.c).
 *
 * Input: disk size in sectors (u64; flag bit 0 keeps only its low 32 bits,
 * bit 1 makes it unknown, 0), flags (u8), then the boot sector (512 bytes,
 * zero padded).
 *
 * Checked against the rules in mbr.h, recomputed here: the answer is one of
 * the MBR_ codes, with entry 0 for a usable table and the entry at fault
 * (1-4) otherwise; a refused table really has that fault at that entry
 * (an indicator other than 00h/80h, a used entry past the end of a disk of
 * known size, a partial overlap with an earlier used entry); an accepted
 * table without a BPB has none of them anywhere; a size of 0 never gives
 * MBR_OUTSIDE; nothing outside the 512 bytes is read (AddressSanitizer,
 * exact-size heap copy). */
#include "fuzz_input.h"
#include "boot/mbr.h"

static u32 le32(const u8 *p)
{
    return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static const u8 *ent(const u8 *s, int i)
{
    return s + MBR_TABLE + i * MBR_ENTRY_SIZE;
}

/* Start and end of a used entry; false for an unused or empty one. */
static bool range(const u8 *e, u64 *start, u64 *end)
{
    *start = le32(e + MBR_E_START);
    *end = *start + le32(e + MBR_E_SIZE);
    return e[MBR_E_TYPE] && *end > *start;
}

static bool bad_flag(const u8 *e)
{
    return e[MBR_E_FLAG] != 0 && e[MBR_E_FLAG] != 0x80;
}

static bool outside(const u8 *e, u64 sectors)
{
    u64 s, end;
    if (!range(e, &s, &end) || !sectors)
        return false;
    if (e[MBR_E_TYPE] == MBR_TYPE_GPT && le32(e + MBR_E_SIZE) == 0xFFFFFFFF)
        return false;
    return end > sectors;
}

static bool partial(const u8 *a, const u8 *b)
{
    u64 s1, e1, s2, e2;
    if (!range(a, &s1, &e1) || !range(b, &s2, &e2))
        return false;
    bool overlap = s1 < e2 && s2 < e1;
    bool nested = (s1 <= s2 && e2 <= e1) || (s2 <= s1 && e1 <= e2);
    return overlap && !nested;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u64 sectors = fin_u64(&f);
    u8 flags = fin_u8(&f);
    if (flags & 1)
        sectors &= 0xFFFFFFFFull;
    if (flags & 2)
        sectors = 0;
    u8 buf[512];
    size_t got;
    const u8 *p = fin_bytes(&f, sizeof(buf), &got);
    memset(buf, 0, sizeof(buf));
    memcpy(buf, p, got);
    u8 *sec = fin_dup(buf, sizeof(buf));

    int at = -1;
    int r = mbr_check(sec, sectors, &at);
    FUZZ_ASSERT(r >= MBR_OK && r <= MBR_OVERLAP);
    FUZZ_ASSERT(r == MBR_OK ? at == 0 : at >= 1 && at <= MBR_ENTRIES);
    if (!sectors)
        FUZZ_ASSERT(r != MBR_OUTSIDE);
    if (r == MBR_BAD_FLAG)
        FUZZ_ASSERT(bad_flag(ent(sec, at - 1)));
    if (r == MBR_OUTSIDE)
        FUZZ_ASSERT(outside(ent(sec, at - 1), sectors));
    if (r == MBR_OVERLAP) {
        bool found = false;
        for (int i = 0; i < at - 1; i++)
            found |= partial(ent(sec, i), ent(sec, at - 1));
        FUZZ_ASSERT(found);
    }
    if (r == MBR_OK) {
        /* Either a volume boot record (a jump first) or a clean table. */
        bool clean = true;
        for (int i = 0; i < MBR_ENTRIES; i++) {
            clean &= !bad_flag(ent(sec, i)) && !outside(ent(sec, i), sectors);
            for (int j = i + 1; j < MBR_ENTRIES; j++)
                clean &= !partial(ent(sec, i), ent(sec, j));
        }
        FUZZ_ASSERT(clean || sec[0] == 0xEB || sec[0] == 0xE9);
    }
    free(sec);
    return 0;
}
