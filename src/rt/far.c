/* Copies between far memory and the runtime segment. */
#include "lib/far.h"

void far_read(void *dst, u16 seg, u16 off, u16 len)
{
    u8 *d = dst;
    while (len--)
        *d++ = peek8(seg, off++);
}

void far_write(u16 seg, u16 off, const void *src, u16 len)
{
    const u8 *s = src;
    while (len--)
        poke8(seg, off++, *s++);
}
