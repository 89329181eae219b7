/* QEMU's fw_cfg "bootorder": one OpenFirmware device path per line, in
 * boot priority order (QEMU's bootindex=), e.g.
 *   /pci@i0cf8/ide@1,1/drive@0/disk@0
 *   /pci@i0cf8/pci-bridge@2/ethernet@3/ethernet-phy@0
 *   /rom@genroms/linuxboot_dma.bin
 * and a last line "HALT" when only the listed devices may boot.
 *
 * Kelp describes each boot device with a path in the same spelling
 * ("/pci@i0cf8/dev@1,1/drive@0/disk@0"). A line names the device when its
 * components match the path's one by one: node names are ignored, unit
 * addresses ("a[,b]", hex, up to 8 digits each, a missing b is 0) compared
 * as numbers; the line may go on below the device ("/ethernet-phy@0").
 * "/rom@..." paths and lines are compared as whole strings. */
#ifndef KELP_BOOTORDER_H
#define KELP_BOOTORDER_H
#include "lib/types.h"
/* Does the line (ends at NUL or newline) name the device at path? */
bool bootorder_line_names(const char *line, const char *path);
/* Number (from 0) of the first line of the NUL-terminated text naming the
 * device at path; -1 when none does. */
int bootorder_find(const char *text, const char *path);
/* Does the text hold a "HALT" line? */
bool bootorder_halt(const char *text);
/* Does a line of the text name the PCI device reached through devfns[0]
 * on bus 0, then devfns[1] behind that bridge, ..., devfns[depth-1] (or
 * something below it)? */
bool bootorder_has_pci(const char *text, const u8 *devfns, int depth);
/* Same for one line (ends at NUL or newline). */
bool bootorder_line_names_pci(const char *line, const u8 *devfns, int depth);
/* Write the path of that PCI device ("/pci@i0cf8/dev@S[,F]..."); returns its
 * length, or -1 when it does not fit in size bytes with its NUL. */
int bootorder_pci_path(char *buf, int size, const u8 *devfns, int depth);
#endif
