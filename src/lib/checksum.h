/* 8-bit additive checksums, as used by ACPI, SMBIOS, MP, PIR, EDD, option
 * ROMs and friends: a structure is valid when all its bytes sum to 0 mod 256.
 * To seal one: set its checksum byte to 0, then store checksum_fix() of the
 * whole structure there; the value is (256 - sum) mod 256. */
#ifndef KELP_CHECKSUM_H
#define KELP_CHECKSUM_H

#include "types.h"

/* Sum of the len bytes at p, modulo 256 (0 for len 0). */
u8 checksum8(const void *p, u32 len);

/* Byte that, stored where the region now holds a 0, makes it sum to 0. */
u8 checksum_fix(const void *p, u32 len);

#endif
