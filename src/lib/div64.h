/* 64-by-32-bit division built from 32-bit operations only.
 *
 * A plain `u64 / u32` in C makes gcc call libgcc's __udivdi3/__umoddi3,
 * which real-mode code cannot link. Use div64_32() instead in firmware
 * code; it works unchanged in the 32-bit, 16-bit and host builds. */
#ifndef KELP_DIV64_H
#define KELP_DIV64_H

#include "types.h"

/* Divide *n by d in place and return the remainder; d must be nonzero. */
static inline u32 div64_32(u64 *n, u32 d)
{
    u32 hi = (u32)(*n >> 32);
    u32 lo = (u32)*n;
    u32 qhi = hi / d;
    u32 rem = hi % d;           /* always < d from here on */
    u32 qlo = 0;
    int i;

    if (d <= 0xFFFF) {
        /* rem < 2^16, so each 16-bit step fits a 32-bit dividend. */
        u32 part = (rem << 16) | (lo >> 16);
        qlo = (part / d) << 16;
        part = ((part % d) << 16) | (lo & 0xFFFF);
        qlo |= part / d;
        rem = part % d;
    } else {
        /* Shift-and-subtract, one quotient bit per step. The bit shifted
         * out of rem means the true value is >= 2^32 > d, so subtract;
         * the wrapped 32-bit result is then still exact. */
        for (i = 31; i >= 0; i--) {
            u32 carry = rem >> 31;
            rem = (rem << 1) | ((lo >> i) & 1);
            qlo <<= 1;
            if (carry || rem >= d) {
                rem -= d;
                qlo |= 1;
            }
        }
    }
    *n = ((u64)qhi << 32) | qlo;
    return rem;
}

#endif
