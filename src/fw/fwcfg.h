/* QEMU fw_cfg: the selector/data ports and the DMA interface. */
#ifndef KELP_FWCFG_H
#define KELP_FWCFG_H
#include "lib/types.h"
#define FWCFG_SIGNATURE 0x0000
#define FWCFG_ID        0x0001
#define FWCFG_RAM_SIZE  0x0003
#define FWCFG_NB_CPUS   0x0005
#define FWCFG_BOOT_MENU 0x000E
#define FWCFG_FILE_DIR  0x0019

/* True when fw_cfg answers with its "QEMU" signature. */
bool fwcfg_detect(void);
/* Read len bytes of item key from its start. */
void fwcfg_read(u16 key, void *buf, u32 len);
/* Write len bytes into item key at offset, through the DMA interface
 * (QEMU accepts writes only there, and only to items meant to be written,
 * such as the files a WRITE_POINTER command names). False on failure. */
bool fwcfg_write(u16 key, u32 offset, const void *buf, u32 len);
/* Find a named file; returns its key (0 when absent) and size. */
u16 fwcfg_find(const char *name, u32 *size);
/* Read a whole named file into buf (at most max bytes); returns the file's
 * size, or -1 when absent. */
int fwcfg_read_file(const char *name, void *buf, u32 max);
/* A number file (fw/fwcfg_int.h: QEMU's binary or a user's text); false,
 * logged, when it is neither, false when absent. */
bool fwcfg_read_int(const char *name, u64 *value);
/* Names of the files whose names start with prefix, in directory order;
 * returns how many were stored (at most max). */
int fwcfg_list(const char *prefix, char (*names)[56], int max);
#endif
