/* SMBIOS tables from QEMU's fw_cfg files, with a type 0 of our own. */
#include "fw/smbios.h"
#include "lib/string.h"
#include "lib/output.h"
#include "lib/checksum.h"

/* The lowest handle below FF00h (the reserved ones) that no structure of
 * a well-formed table of len bytes uses, looked for 4096 handles at a
 * time. A 256 KiB table holds fewer structures than there are handles, so
 * one is always found there. */
static u16 lowest_free_handle(const u8 *t, u32 len)
{
    for (u32 base = 0; base < 0xFF00; base += 4096) {
        u8 used[4096 / 8];
        memset(used, 0, sizeof(used));
        for (u32 off = 0, p; off < len; off = p + 2) {
            u32 h = t[off + 2] | (t[off + 3] << 8);
            if (h - base < 4096)
                used[(h - base) / 8] |= 1 << (h % 8);
            for (p = off + t[off + 1]; t[p] || t[p + 1]; p++)
                ;
        }
        for (u32 i = 0; i < 4096 && base + i < 0xFF00; i++)
            if (!(used[i / 8] & (1 << (i % 8))))
                return base + i;
    }
    return 0xFEFF;
}

u32 smbios_scan_table(const u8 *t, u32 len, struct smbios_scan *info)
{
    bool handle0_used = false;
    u16 max_handle = 0;
    u32 off = 0;

    memset(info, 0, sizeof(*info));
    if (!t)
        len = 0;
    while (off < len) {
        u32 left = len - off;
        if (left < sizeof(struct smbios_header) + 2 || t[off + 1] < sizeof(struct smbios_header)
            || t[off + 1] > left - 2) {
            info->truncated = true;
            break;
        }
        /* The strings end at the first pair of NULs after the formatted
         * area (strings are never empty, so no earlier pair exists). */
        u32 p = off + t[off + 1];
        while (p + 1 < len && (t[p] || t[p + 1]))
            p++;
        if (p + 1 >= len) {
            info->truncated = true;
            break;
        }
        u32 size = p + 2 - off;
        u8 type = t[off];
        u16 handle = t[off + 2] | (t[off + 3] << 8);
        info->count++;
        info->max_size = MAX(info->max_size, size);
        if (type == SMBIOS_TYPE_BIOS)
            info->has_type0 = true;
        if (handle == 0)
            handle0_used = true;
        max_handle = MAX(max_handle, handle);
        off += size;
        if (type == SMBIOS_TYPE_END) {
            info->ended = true;
            break;
        }
    }
    info->length = off;
    /* Handle 0 or one past the highest when they are free; when handles
     * reach FEFFh (FF00h and up are reserved), a free one is searched. */
    info->free_handle = !handle0_used ? 0 : max_handle < 0xFEFF ? max_handle + 1
                        : lowest_free_handle(t, off);
    return off;
}

/* Append a string to the string set; returns its number (0 for none). */
static u8 add_string(u8 *buf, u32 cap, u32 *at, u8 *count, const char *s, bool *fits)
{
    if (!s || !s[0])
        return 0;
    u32 n = strlen(s) + 1;
    if (*at + n > cap) {
        *fits = false;
        return 0;
    }
    memcpy(buf + *at, s, n);
    *at += n;
    return ++*count;
}

u32 smbios_build_type0(u8 *buf, u32 cap, u16 handle, const struct smbios_bios_info *bi)
{
    struct smbios_type0 t;
    bool fits = cap >= sizeof(t) + 2;
    u32 at = sizeof(t);
    u8 nstrings = 0;

    if (!fits)
        return 0;
    memset(&t, 0, sizeof(t));
    t.h.type = SMBIOS_TYPE_BIOS;
    t.h.length = sizeof(t);
    t.h.handle = handle;
    t.vendor = add_string(buf, cap - 1, &at, &nstrings, bi->vendor, &fits);
    t.version = add_string(buf, cap - 1, &at, &nstrings, bi->version, &fits);
    t.release_date = add_string(buf, cap - 1, &at, &nstrings, bi->date, &fits);
    if (!fits)
        return 0;
    t.start_segment = bi->start_segment;
    t.rom_size = bi->rom_size;
    t.characteristics = bi->characteristics;
    t.characteristics_ext1 = bi->ext1;
    t.characteristics_ext2 = bi->ext2;
    t.release_major = bi->release_major;
    t.release_minor = bi->release_minor;
    t.ec_major = t.ec_minor = 0xFF;
    memcpy(buf, &t, sizeof(t));
    /* The string set ends with an extra NUL; with no strings at all the
     * formatted area is followed by two. */
    if (!nstrings)
        buf[at++] = 0;
    buf[at++] = 0;
    return at;
}

static bool entry21(const u8 *anchor, u32 alen, u64 addr, const struct smbios_layout *l, u8 *ep)
{
    struct smbios21_entry e;
    if (alen < sizeof(e))
        return false;
    memcpy(&e, anchor, sizeof(e));
    if (memcmp(e.dmi_anchor, SMBIOS21_DMI_ANCHOR, 5)) {
        dprintf(LOG_WARN, "SMBIOS: 2.1 entry point without _DMI_\n");
        return false;
    }
    if (l->table_length > 0xFFFF || l->count > 0xFFFF || l->max_size > 0xFFFF
        || addr + l->table_offset + l->table_length > 0x100000000ull) {
        dprintf(LOG_WARN, "SMBIOS: table too big for a 2.1 entry point\n");
        return false;
    }
    e.length = sizeof(e);
    e.max_structure_size = l->max_size;
    e.table_length = l->table_length;
    e.table_address = (u32)(addr + l->table_offset);
    e.structure_count = l->count;
    e.dmi_checksum = 0;
    e.dmi_checksum = checksum_fix(e.dmi_anchor, sizeof(e) - 0x10);
    e.checksum = 0;
    e.checksum = checksum_fix(&e, sizeof(e));
    memcpy(ep, &e, sizeof(e));
    return true;
}

static bool entry30(const u8 *anchor, u32 alen, u64 addr, const struct smbios_layout *l, u8 *ep)
{
    struct smbios30_entry e;
    if (alen < sizeof(e))
        return false;
    memcpy(&e, anchor, sizeof(e));
    e.length = sizeof(e);
    e.table_max_size = l->table_length;
    e.table_address = addr + l->table_offset;
    e.checksum = 0;
    e.checksum = checksum_fix(&e, sizeof(e));
    memcpy(ep, &e, sizeof(e));
    return true;
}

bool smbios_assemble(const u8 *anchor, u32 alen, u8 *buf, u32 tlen, u64 addr,
                     const struct smbios_bios_info *bi, u8 *ep, struct smbios_layout *out)
{
    struct smbios_scan scan;
    bool v3;

    memset(out, 0, sizeof(*out));
    if (!anchor || !buf)
        return false;
    if (alen >= sizeof(struct smbios21_entry) && !memcmp(anchor, SMBIOS21_ANCHOR, 4))
        v3 = false;
    else if (alen >= sizeof(struct smbios30_entry) && !memcmp(anchor, SMBIOS30_ANCHOR, 5))
        v3 = true;
    else {
        dprintf(LOG_WARN, "SMBIOS: unknown entry point format\n");
        return false;
    }

    u8 *table = buf + SMBIOS_TYPE0_ROOM;
    smbios_scan_table(table, tlen, &scan);
    if (scan.truncated)
        dprintf(LOG_WARN, "SMBIOS: malformed structure at offset %u, table cut there\n",
                scan.length);
    out->table_offset = SMBIOS_TYPE0_ROOM;
    out->table_length = scan.length;
    out->count = scan.count;
    out->max_size = scan.max_size;
    if (!scan.has_type0 && bi) {
        u8 t0[SMBIOS_TYPE0_ROOM];
        u32 n = smbios_build_type0(t0, sizeof(t0), scan.free_handle, bi);
        if (n) {
            memcpy(table - n, t0, n);
            out->table_offset -= n;
            out->table_length += n;
            out->count++;
            out->max_size = MAX(out->max_size, n);
            out->added_type0 = true;
        }
    }
    bool ok = v3 ? entry30(anchor, alen, addr, out, ep) : entry21(anchor, alen, addr, out, ep);
    if (!ok)
        return false;
    out->ep_length = v3 ? sizeof(struct smbios30_entry) : sizeof(struct smbios21_entry);
    return true;
}

#ifndef KELP_HOST
/* ---- the firmware side ---- */
#include "fw/fwcfg.h"
#include "post/alloc.h"
#include "layout.h"

#define KELP_BIOS_VERSION "0.1"
#define KELP_RELEASE_MAJOR 0
#define KELP_RELEASE_MINOR 1
#define TABLES_MAX (256 * 1024)

/* BIOS_DATE is mm/dd/yy (the IBM date at F000:FFF5); SMBIOS 2.3 and later
 * want a four-digit year. */
STATIC_ASSERT(sizeof(BIOS_DATE) == 9, "BIOS_DATE is mm/dd/yy");
static void release_date(char out[11])
{
    const char *d = BIOS_DATE;
    memcpy(out, d, 6);
    out[6] = '2';
    out[7] = '0';
    out[8] = d[6];
    out[9] = d[7];
    out[10] = 0;
}

void smbios_setup(void)
{
    u8 anchor[SMBIOS_EP_MAX];
    u32 tlen;
    int alen = fwcfg_read_file("etc/smbios/smbios-anchor", anchor, sizeof(anchor));
    u16 key = fwcfg_find("etc/smbios/smbios-tables", &tlen);
    if (alen <= 0 || !key) {
        dprintf(LOG_WARN, "SMBIOS: QEMU provides no smbios-anchor/smbios-tables\n");
        return;
    }
    if (tlen > TABLES_MAX) {
        dprintf(LOG_ERR, "SMBIOS: structure table of %u bytes is too big\n", tlen);
        return;
    }
    u8 *buf = high_alloc(SMBIOS_TYPE0_ROOM + tlen, 16);
    if (!buf)
        return;
    fwcfg_read(key, buf + SMBIOS_TYPE0_ROOM, tlen);

    char date[11];
    release_date(date);
    const struct smbios_bios_info bi = {
        .vendor = "Kelp",
        .version = KELP_BIOS_VERSION,
        .date = date,
        .start_segment = 0xF000,
        .rom_size = (IMAGE_SIZE >> 16) - 1,
        .characteristics = SMBIOS_BIOS_ISA | SMBIOS_BIOS_PCI | SMBIOS_BIOS_SHADOWING
                           | SMBIOS_BIOS_EDD | SMBIOS_BIOS_INT9_KBD
                           | SMBIOS_BIOS_INT14_SERIAL | SMBIOS_BIOS_INT17_PRINTER,
        .ext1 = SMBIOS_BIOS_EXT1_ACPI,
        .ext2 = SMBIOS_BIOS_EXT2_VM,
        .release_major = KELP_RELEASE_MAJOR,
        .release_minor = KELP_RELEASE_MINOR,
    };
    u8 ep[SMBIOS_EP_MAX];
    struct smbios_layout l;
    if (!smbios_assemble(anchor, MIN((u32)alen, sizeof(anchor)), buf, tlen, (u32)buf, &bi,
                         ep, &l)) {
        dprintf(LOG_ERR, "SMBIOS: QEMU's entry point is unusable, no SMBIOS tables\n");
        return;
    }
    u8 *fseg = fseg_alloc(l.ep_length, 16);
    if (!fseg)
        return;
    memcpy(fseg, ep, l.ep_length);
    dprintf(LOG_INFO, "SMBIOS: %s entry point at %x, %u structures (%u bytes) at %x%s\n",
            l.ep_length == sizeof(struct smbios30_entry) ? "3.0" : "2.1", (u32)fseg, l.count,
            l.table_length, (u32)buf + l.table_offset, l.added_type0 ? ", type 0 added" : "");
}
#endif
