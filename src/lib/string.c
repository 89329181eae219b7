#include "lib/string.h"

/* String instructions move four bytes a step (the POST copies and clears
 * hundreds of KiB); in the 16-bit runtime they work on DS/ES = RTSEG like
 * any near pointer. DF is clear in both modes. */
void *memset(void *d, int c, size_t n)
{
    u32 v = (u8)c * 0x01010101u;
    void *p = d;
    size_t words = n / 4;
    asm volatile("rep stosl" : "+D"(p), "+c"(words) : "a"(v) : "memory");
    n &= 3;
    asm volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(v) : "memory");
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *dp = d;
    const void *sp = s;
    size_t words = n / 4;
    asm volatile("rep movsl" : "+D"(dp), "+S"(sp), "+c"(words) : : "memory");
    n &= 3;
    asm volatile("rep movsb" : "+D"(dp), "+S"(sp), "+c"(n) : : "memory");
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    if (dp <= sp || dp >= sp + n)
        return memcpy(d, s, n);
    while (n--)
        dp[n] = sp[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (u8)*a - (u8)*b;
        if (!*a)
            break;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}
