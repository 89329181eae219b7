/* Reaching memory outside the current segment, with the segment visible at
 * the call site. In 16-bit code FS carries the segment; in 32-bit flat code
 * seg:off is just seg * 16 + off. */
#ifndef KELP_FAR_H
#define KELP_FAR_H
#include "lib/types.h"

#ifdef MODE16
#define FAR_RD(sz, type)                                                    \
static inline type peek##sz(u16 seg, u32 off)                              \
{ type v; asm volatile("movw %w1, %%fs\n\tmov %%fs:(%2), %0"                \
                       : "=r"(v) : "rm"(seg), "r"(off) : "memory"); return v; }
#define FAR_WR(sz, type)                                                    \
static inline void poke##sz(u16 seg, u32 off, type v)                      \
{ asm volatile("movw %w0, %%fs\n\tmov %2, %%fs:(%1)"                        \
               : : "rm"(seg), "r"(off), "r"(v) : "memory"); }
FAR_RD(16, u16) FAR_RD(32, u32) FAR_WR(16, u16) FAR_WR(32, u32)
static inline u8 peek8(u16 seg, u32 off)
{ u8 v; asm volatile("movw %w1, %%fs\n\tmovb %%fs:(%2), %0" : "=q"(v) : "rm"(seg), "r"(off) : "memory"); return v; }
static inline void poke8(u16 seg, u32 off, u8 v)
{ asm volatile("movw %w0, %%fs\n\tmovb %2, %%fs:(%1)" : : "rm"(seg), "r"(off), "q"(v) : "memory"); }
/* Copy between a far buffer and a near one (in RTSEG). */
void far_read(void *dst, u16 seg, u16 off, u16 len);
void far_write(u16 seg, u16 off, const void *src, u16 len);
#else
#define FLAT(seg, off) ((u32)(seg) * 16 + (u32)(off))
static inline u8 peek8(u16 seg, u32 off) { return *(volatile u8 *)FLAT(seg, off); }
static inline u16 peek16(u16 seg, u32 off) { return *(volatile u16 *)FLAT(seg, off); }
static inline u32 peek32(u16 seg, u32 off) { return *(volatile u32 *)FLAT(seg, off); }
static inline void poke8(u16 seg, u32 off, u8 v) { *(volatile u8 *)FLAT(seg, off) = v; }
static inline void poke16(u16 seg, u32 off, u16 v) { *(volatile u16 *)FLAT(seg, off) = v; }
static inline void poke32(u16 seg, u32 off, u32 v) { *(volatile u32 *)FLAT(seg, off) = v; }
#endif

/* One past the last byte real mode can address, FFFF:FFFF (A20 on). */
#define REAL_MODE_END 0x10FFF0u

/* The seg:off of a linear address below REAL_MODE_END with the smallest
 * offset: below 1 MiB the offset is under 16, so a piece of up to 64 KiB -
 * 16 from there never wraps its segment; above, the segment is FFFFh and a
 * piece ending at or below REAL_MODE_END fits too. */
static inline void lin_to_far(u32 lin, u16 *seg, u16 *off)
{
    if (lin < 0x100000) {
        *seg = lin >> 4;
        *off = lin & 0xF;
    } else {
        *seg = 0xFFFF;
        *off = lin - 0xFFFF0;
    }
}

/* BIOS data area, segment 40h. */
#define BDA_SEG 0x40
static inline u8 bda8(u16 off) { return peek8(BDA_SEG, off); }
static inline u16 bda16(u16 off) { return peek16(BDA_SEG, off); }
static inline u32 bda32(u16 off) { return peek32(BDA_SEG, off); }
static inline void bda_set8(u16 off, u8 v) { poke8(BDA_SEG, off, v); }
static inline void bda_set16(u16 off, u16 v) { poke16(BDA_SEG, off, v); }
static inline void bda_set32(u16 off, u32 v) { poke32(BDA_SEG, off, v); }
static inline u16 ebda_seg(void) { return bda16(0x0E); }
#endif
