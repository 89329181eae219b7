/* Physical memory anywhere below 4 GiB (MMIO BARs, driver rings in the
 * reserved high zone, a caller's buffer given as seg:off) from code of
 * either mode, through a GS segment with base 0 and a 4 GiB limit.
 *
 * In the 32-bit POST GS is flat already. The 16-bit runtime must call
 * flat_enter() first: it loads GS with such a segment through a short trip
 * to protected mode and comes back to real mode with the limit kept ("big
 * real" GS); rt_exit restores the caller's GS value. It fails (nonzero) when
 * the caller runs in virtual-8086 mode, where the switch is not allowed. */
#ifndef KELP_FLAT_H
#define KELP_FLAT_H
#include "lib/types.h"
#include "layout.h"

#define FLAT(type, addr) (*(volatile type __seg_gs *)(u32)(addr))

static inline u8 flat_rd8(u32 a) { return FLAT(u8, a); }
static inline u16 flat_rd16(u32 a) { return FLAT(u16, a); }
static inline u32 flat_rd32(u32 a) { return FLAT(u32, a); }
static inline void flat_wr8(u32 a, u8 v) { FLAT(u8, a) = v; }
static inline void flat_wr16(u32 a, u16 v) { FLAT(u16, a) = v; }
static inline void flat_wr32(u32 a, u32 v) { FLAT(u32, a) = v; }
static inline u64 flat_rd64(u32 a) { return flat_rd32(a) | (u64)flat_rd32(a + 4) << 32; }
static inline void flat_wr64(u32 a, u64 v) { flat_wr32(a, v); flat_wr32(a + 4, v >> 32); }

static inline void flat_zero(u32 a, u32 len)
{
    for (u32 i = 0; i < len; i++)
        FLAT(u8, a + i) = 0;
}
static inline void flat_copy_in(void *dst, u32 src, u32 len)
{
    for (u32 i = 0; i < len; i++)
        ((u8 *)dst)[i] = FLAT(u8, src + i);
}
static inline void flat_copy_out(u32 dst, const void *src, u32 len)
{
    for (u32 i = 0; i < len; i++)
        FLAT(u8, dst + i) = ((const u8 *)src)[i];
}

/* Order memory accesses around a device doorbell. */
static inline void flat_barrier(void) { asm volatile("" ::: "memory"); }

/* Physical address of seg:off, and of a variable of this code's own data
 * (RTSEG-relative in the runtime, flat in POST). */
static inline u32 seg_phys(u16 seg, u16 off) { return (u32)seg * 16 + off; }
#ifdef MODE16
static inline u32 near_phys(const void *p) { return (u32)RTSEG * 16 + (u32)p; }
int flat_enter(void);
#else
static inline u32 near_phys(const void *p) { return (u32)p; }
static inline int flat_enter(void) { return 0; }
#endif

#endif
