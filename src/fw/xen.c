/* Xen HVM platform: take hvmloader's hand-over. hvmloader leaves its info
 * block at 0x1000 and the tables' entry points in low scratch memory that
 * the BIOS reuses, so everything is copied out first thing. */
#include "fw/xen.h"
#include "post/alloc.h"
#include "lib/string.h"
#include "lib/checksum.h"
#include "lib/output.h"

bool xen_info_check(const void *p, u32 avail)
{
    const struct xen_info *x = p;
    if (avail < sizeof(*x) || memcmp(x->signature, "XenHVMSeaBIOS", 14))
        return false;
    if (x->length < sizeof(*x) || x->length > avail)
        return false;
    return checksum8(x, x->length) == 0;
}

/* Read bytes [addr, addr+len) of the view, or NULL when outside it. */
static const u8 *view(const u8 *mem, u32 base, u32 size, u32 addr, u32 len)
{
    if (addr < base || len > size || addr - base > size - len)
        return NULL;
    return mem + (addr - base);
}

int xen_info_parse(const u8 *mem, u32 base, u32 size, u32 info_addr, struct xen_handoff *out)
{
    memset(out, 0, sizeof(*out));
    const u8 *ip = view(mem, base, size, info_addr, sizeof(struct xen_info));
    if (!ip || !xen_info_check(ip, size - (info_addr - base)))
        return -1;
    struct xen_info x;
    memcpy(&x, ip, sizeof(x));
    u32 nt = MIN(x.tables_nr, (u32)XEN_MAX_TABLES);
    const u8 *tp = nt ? view(mem, base, size, x.tables, nt * 4) : NULL;
    for (u32 i = 0; tp && i < nt; i++)
        memcpy(&out->tables[out->ntables++], tp + 4 * i, 4);
    u32 ne = MIN(x.e820_nr, (u32)XEN_MAX_E820);
    const u8 *ep = ne ? view(mem, base, size, x.e820, ne * 20) : NULL;
    if (!ep)
        return -1;
    struct e820_map m = { out->e820, 0, XEN_MAX_E820 };
    if (e820_parse_qemu(&m, ep, ne * 20) < 0)
        return -1;
    out->ne820 = m.count;
    return 0;
}

#ifndef KELP_HOST
static struct xen_handoff handoff;

bool xen_info_valid(void)
{
    return xen_info_check((void *)XEN_INFO_ADDR, 0x1000);
}

void xen_info_save(void)
{
    /* The view is the first 4 GiB; hvmloader's pointers are physical. */
    if (xen_info_parse((const u8 *)0, 0, 0xFFFFFFFF, XEN_INFO_ADDR, &handoff))
        dprintf(LOG_ERR, "Xen: hvmloader info block unusable\n");
    dprintf(LOG_INFO, "Xen HVM: hvmloader hand-over with %d tables, %d e820 entries\n",
            handoff.ntables, handoff.ne820);
}

const struct xen_handoff *xen_handoff(void)
{
    return &handoff;
}

static void copy_entry(const char *what, const void *src, u32 len, u32 align)
{
    void *dst = fseg_alloc(len, align);
    if (!dst)
        return;
    memcpy(dst, src, len);
    dprintf(LOG_INFO, "Xen: %s entry point %p copied to %p\n", what, src, dst);
}

void xen_tables_setup(void)
{
    for (int i = 0; i < handoff.ntables; i++) {
        const u8 *t = (const u8 *)handoff.tables[i];
        if (!t || (u32)t > 0xFFFFF000)
            continue;
        if (!memcmp(t, "RSD PTR ", 8)) {
            u32 len = t[15] >= 2 ? *(const u32 *)(t + 20) : 20;
            if (len < 20 || len > 64 || checksum8(t, 20))
                dprintf(LOG_WARN, "Xen: bad RSDP at %p\n", t);
            else
                copy_entry("ACPI", t, len, 16);
        } else if (!memcmp(t, "_SM_", 4)) {
            u8 len = t[5];
            if (len < 0x1F || checksum8(t, len))
                dprintf(LOG_WARN, "Xen: bad SMBIOS entry point at %p\n", t);
            else
                copy_entry("SMBIOS", t, len, 16);
        } else if (!memcmp(t, "_MP_", 4)) {
            if (checksum8(t, 16))
                dprintf(LOG_WARN, "Xen: bad MP floating pointer at %p\n", t);
            else
                copy_entry("MP", t, 16, 16);
        } else if (!memcmp(t, "$PIR", 4)) {
            /* Not copied: its links are one off Xen's real wiring; Kelp
             * builds its own $PIR from that wiring. */
            dprintf(LOG_INFO, "Xen: hvmloader's $PIR ignored\n");
        } else {
            dprintf(LOG_WARN, "Xen: unknown table at %p\n", t);
        }
    }
}
#endif
