/* El Torito boot record and boot catalog parsing (see fw/eltorito.h).
 * Multi-byte fields are little-endian and read byte by byte, so nothing
 * depends on alignment or on the host. No library calls: the module links
 * alone in every build. */
#include "eltorito.h"

static u16 le16(const u8 *p)
{
    return p[0] | (u16)p[1] << 8;
}

static u32 le32(const u8 *p)
{
    return le16(p) | (u32)le16(p + 2) << 16;
}

static bool bytes_equal(const u8 *p, const char *s, u32 n)
{
    for (u32 i = 0; i < n; i++)
        if (p[i] != (u8)s[i])
            return false;
    return true;
}

int eltorito_parse_brvd(const u8 *sec, u32 len, u32 *catalog_lba)
{
    static const char id[] = "EL TORITO SPECIFICATION";
    /* 00h type 0 (boot record), 01h "CD001", 06h version 1, 07h the boot
     * system identifier (zero padded to 20h bytes), 47h catalog block. */
    if (len < 0x4B)
        return ELTORITO_ERR_SHORT;
    if (sec[0] != 0 || !bytes_equal(sec + 1, "CD001", 5) || sec[6] != 1
        || !bytes_equal(sec + 7, id, sizeof(id) - 1) || sec[7 + sizeof(id) - 1] != 0)
        return ELTORITO_ERR_NOT_BOOT_RECORD;
    u32 lba = le32(sec + 0x47);
    if (!lba)
        return ELTORITO_ERR_CATALOG_LBA;
    *catalog_lba = lba;
    return ELTORITO_OK;
}

/* A bootable entry (initial/default or section entry) becomes the result. */
static int take_entry(const u8 *e, u8 section, struct eltorito_image *out)
{
    u8 media = e[1] & 0x0F;
    if (media > ELTORITO_HARD_DISK)
        return ELTORITO_ERR_MEDIA;
    u16 seg = le16(e + 2);
    out->media = media;
    out->load_seg = seg ? seg : ELTORITO_DEFAULT_LOAD_SEG;
    out->sys_type = e[4];
    out->count = le16(e + 6);
    out->lba = le32(e + 8);
    out->from_section = section;
    return ELTORITO_OK;
}

int eltorito_parse_catalog(const u8 *cat, u32 len, struct eltorito_image *out)
{
    const u32 es = ELTORITO_ENTRY_SIZE;
    if (len < 2 * es)
        return ELTORITO_ERR_SHORT;
    /* Validation entry: header 01h, platform, ID string, a checksum word
     * making the 16 words sum to 0, key bytes 55h AAh. */
    if (cat[0] != 0x01)
        return ELTORITO_ERR_HEADER;
    if (cat[0x1E] != 0x55 || cat[0x1F] != 0xAA)
        return ELTORITO_ERR_KEY;
    u16 sum = 0;
    for (u32 i = 0; i < es; i += 2)
        sum += le16(cat + i);
    if (sum)
        return ELTORITO_ERR_CHECKSUM;

    /* The initial/default entry belongs to the validation entry's platform. */
    const u8 *def = cat + es;
    if (cat[1] == 0x00 && def[0] == 0x88)
        return take_entry(def, 0, out);

    /* Sections: a header (90h, or 91h for the last) naming its platform and
     * entry count, then that many entries, each possibly followed by
     * extension entries (44h) while bit 5 of byte 01h says more follow.
     * Every step moves forward by one entry and stops at len, so neither a
     * huge count nor a catalog that never ends can keep the walk going. */
    u32 off = 2 * es;
    u8 section = 0;
    while (off + es <= len) {
        const u8 *h = cat + off;
        if (h[0] != 0x90 && h[0] != 0x91)
            break;                      /* end of the catalog */
        u8 platform = h[1];
        u32 n = le16(h + 2);
        off += es;
        if (section < 0xFF)
            section++;
        for (u32 i = 0; i < n && off + es <= len; i++) {
            const u8 *e = cat + off;
            if (e[0] != 0x88 && e[0] != 0x00)
                return ELTORITO_ERR_NO_X86;     /* malformed: stop here */
            off += es;
            bool more = e[1] & 0x20;
            while (more && off + es <= len && cat[off] == 0x44) {
                more = cat[off + 1] & 0x20;
                off += es;
            }
            if (e[0] == 0x88 && platform == 0x00)
                return take_entry(e, section, out);
        }
        if (h[0] == 0x91)
            break;
    }
    return ELTORITO_ERR_NO_X86;
}
