/* 8-bit additive checksums. */
#include "checksum.h"

u8 checksum8(const void *p, u32 len)
{
    const u8 *b = p;
    u8 sum = 0;

    while (len--)
        sum += *b++;
    return sum;
}

u8 checksum_fix(const void *p, u32 len)
{
    return (u8)(0 - checksum8(p, len));
}
