/* Xen HVM: what hvmloader hands over (its "XenHVMSeaBIOS" info block at
 * 0x1000: the e820 map and the entry points of the tables it built). */
#ifndef KELP_XEN_H
#define KELP_XEN_H
#include "lib/types.h"
#include "fw/e820map.h"

#define XEN_INFO_ADDR 0x1000
struct xen_info {
    char signature[14];         /* 00h: "XenHVMSeaBIOS\0" */
    u8 length;                  /* 0Eh: at least 32 */
    u8 checksum;                /* 0Fh: bytes 0..length-1 sum to 0 */
    u32 tables;                 /* 10h: address of u32[tables_nr] */
    u32 tables_nr;              /* 14h */
    u32 e820;                   /* 18h: address of 20-byte entries */
    u32 e820_nr;                /* 1Ch */
} PACKED;

#define XEN_MAX_TABLES 8
#define XEN_MAX_E820 32

/* A parsed copy of the hand-over, taken before low memory is reused. */
struct xen_handoff {
    u32 tables[XEN_MAX_TABLES];
    int ntables;
    struct e820_entry e820[XEN_MAX_E820];
    int ne820;
};

/* Check an info block (pure: bytes in, verdict out). */
bool xen_info_check(const void *p, u32 avail);
/* Parse it: addresses are read through the given memory view so tests
 * can pass a buffer (base = address of buf[0]). */
int xen_info_parse(const u8 *mem, u32 base, u32 size, u32 info_addr, struct xen_handoff *out);

bool xen_info_valid(void);
void xen_info_save(void);
const struct xen_handoff *xen_handoff(void);
/* Copy hvmloader's table entry points (RSDP, SMBIOS, MP) to the F-segment. */
void xen_tables_setup(void);
#endif
