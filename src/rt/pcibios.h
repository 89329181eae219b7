/* The PCI BIOS: INT 1Ah AH=B1h for real-mode callers (src/rt/pcibios.c),
 * the BIOS32 Service Directory and the 32-bit interface for protected-mode
 * callers (src/entry/pcibios16.S).
 *
 * Both interfaces serve from one record that POST fills (src/post/pcibios.c).
 * It sits in the F-segment next to the 32-bit code, since the F-segment is
 * all a 32-bit caller is guaranteed to reach (and only relative to where
 * it runs the code). The runtime reads it as a near variable; POST writes
 * it through fx_pcibios_info, its F000 offset. Usable from assembler. */
#ifndef KELP_RT_PCIBIOS_H
#define KELP_RT_PCIBIOS_H

#define PCIBIOS_INFO_PIR      0   /* dword: linear address of $PIR, 0 = none */
#define PCIBIOS_INFO_LAST_BUS 4   /* byte: highest bus number in use */
#define PCIBIOS_INFO_SIZE     8

#ifndef __ASSEMBLER__
#include "rt/bregs.h"

struct pcibios_info {
    u32 pir;
    u8 last_bus;
    u8 reserved[3];
} PACKED;

STATIC_ASSERT(sizeof(struct pcibios_info) == PCIBIOS_INFO_SIZE, "layout used by pcibios16.S");
STATIC_ASSERT(__builtin_offsetof(struct pcibios_info, last_bus) == PCIBIOS_INFO_LAST_BUS,
              "layout used by pcibios16.S");

/* Entry points in src/entry/pcibios16.S. The runtime sees RTSEG offsets;
 * POST sees the fx_ names at their linear addresses. */
extern struct pcibios_info pcibios_info;
extern char pci32_entry[];
extern struct pcibios_info fx_pcibios_info;
extern char fx_bios32_entry[];
extern char fx_pci32_entry[];

void handle_1ab1(struct bregs *r);
#endif

#endif
