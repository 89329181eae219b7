/* Fuzz target: El Torito boot record and boot catalog (src/fw/eltorito.c).
 *
 * Input: flags (u8), then the bytes of a CD block. Flag bit 0 seals the
 * validation entry's checksum word (so the walk over the sections gets
 * exercised); bit 1 parses the bytes as the boot record volume descriptor
 * as well.
 *
 * Checked: nothing is read past the given length (AddressSanitizer,
 * exact-size heap copy); a boot record is accepted only with its fixed
 * fields and a nonzero catalog block, which is then the one stored; an
 * accepted catalog has a valid validation entry and yields a bootable
 * (88h) entry that lies inside the catalog, on a 32-byte boundary, whose
 * fields are the ones returned; cutting the catalog just after that entry
 * gives the same answer; a refused catalog leaves the result untouched;
 * the block count to load covers the virtual sectors asked for. */
#include "fuzz_input.h"
#include "fw/eltorito.h"

static u16 le16(const u8 *p)
{
    return p[0] | (p[1] << 8);
}

static u32 le32(const u8 *p)
{
    return le16(p) | ((u32)le16(p + 2) << 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    u8 flags = fin_u8(&f);
    u32 len = (u32)f.n;
    u8 *cat = fin_dup(f.p, len);
    const u32 es = ELTORITO_ENTRY_SIZE;

    if ((flags & 1) && len >= es) {
        cat[0x1C] = cat[0x1D] = 0;
        u16 sum = 0;
        for (u32 i = 0; i < es; i += 2)
            sum += le16(cat + i);
        sum = -sum;
        cat[0x1C] = sum;
        cat[0x1D] = sum >> 8;
    }

    if (flags & 2) {
        u32 lba = 0xDEADBEEF;
        int r = eltorito_parse_brvd(cat, len, &lba);
        bool ok = len >= 0x4B && cat[0] == 0 && !memcmp(cat + 1, "CD001", 5) && cat[6] == 1
                  && !memcmp(cat + 7, "EL TORITO SPECIFICATION", 24) && le32(cat + 0x47);
        FUZZ_ASSERT((r == ELTORITO_OK) == ok);
        FUZZ_ASSERT(ok ? lba == le32(cat + 0x47) : lba == 0xDEADBEEF);
    }

    struct eltorito_image im;
    memset(&im, 0xA5, sizeof(im));
    int r = eltorito_parse_catalog(cat, len, &im);
    FUZZ_ASSERT(r >= ELTORITO_OK && r <= ELTORITO_ERR_MEDIA);
    if (r == ELTORITO_OK) {
        FUZZ_ASSERT(len >= 2 * es && cat[0] == 1 && cat[0x1E] == 0x55 && cat[0x1F] == 0xAA);
        FUZZ_ASSERT(im.media <= ELTORITO_HARD_DISK && im.load_seg != 0);
        /* The entry it came from (the last one that fits, should several
         * entries carry the same fields). */
        u32 at = 0;
        for (u32 o = es; o + es <= len; o += es) {
            const u8 *e = cat + o;
            u16 seg = le16(e + 2);
            if (e[0] == 0x88 && (e[1] & 0x0F) == im.media && e[4] == im.sys_type
                && le16(e + 6) == im.count && le32(e + 8) == im.lba
                && (seg ? seg : ELTORITO_DEFAULT_LOAD_SEG) == im.load_seg)
                at = o;
        }
        FUZZ_ASSERT(at != 0);
        if (im.from_section == 0)
            FUZZ_ASSERT(cat[1] == 0 && cat[es] == 0x88);
        /* Nothing after the chosen entry matters. */
        struct eltorito_image again;
        memset(&again, 0xA5, sizeof(again));    /* same padding bytes as im */
        u32 cut = im.from_section ? at + es : 2 * es;
        u8 *shorter = fin_dup(cat, cut);
        FUZZ_ASSERT(eltorito_parse_catalog(shorter, cut, &again) == ELTORITO_OK);
        FUZZ_ASSERT(!memcmp(&again, &im, sizeof(im)));
        free(shorter);
    } else {
        /* A refusal writes nothing. */
        u8 untouched[sizeof(im)];
        memset(untouched, 0xA5, sizeof(untouched));
        FUZZ_ASSERT(!memcmp(&im, untouched, sizeof(im)));
    }

    u16 count = len >= 2 ? le16(cat + len - 2) : 0;
    u32 blocks = eltorito_load_blocks(count);
    FUZZ_ASSERT(blocks >= 1 && blocks * 4 >= count && (blocks - 1) * 4 < (count ? count : 1));
    free(cat);
    return 0;
}
