/* Numbers in fw_cfg files. QEMU writes its own as little-endian binary
 * of 1, 2, 4 or 8 bytes (etc/boot-menu-wait: 2, etc/boot-fail-wait: 4);
 * a user's -fw_cfg name=...,string=... gives text: decimal, "0x" hex, or
 * "-1". Text wins when every byte could be text, so "1016" is 1016, not a
 * 4-byte binary value. */
#ifndef KELP_FWCFG_INT_H
#define KELP_FWCFG_INT_H
#include "../lib/types.h"
/* The value of the file's len bytes, or false when they are neither. A
 * trailing newline or NUL of text is ignored; "-N" gives the two's
 * complement of N. */
bool fwcfg_parse_int(const u8 *buf, u32 len, u64 *value);
#endif
