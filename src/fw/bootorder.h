/* QEMU's fw_cfg "bootorder": one OpenFirmware device path per line, in
 * boot priority order, e.g. /pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0. */
#ifndef KELP_BOOTORDER_H
#define KELP_BOOTORDER_H
#include "lib/types.h"
/* Does a line of the (NUL-terminated) text name the PCI device reached
 * through devfns[0] on bus 0, then devfns[1] behind that bridge, ...,
 * devfns[depth-1] (or something below it)? Node names are ignored, unit
 * addresses ("slot[,function]", hex) compared. */
bool bootorder_has_pci(const char *text, const u8 *devfns, int depth);
/* Same for one line (ends at NUL or newline). */
bool bootorder_line_names_pci(const char *line, const u8 *devfns, int depth);
#endif
