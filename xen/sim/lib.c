/* xen-sim: strcpy, formatted output to port 0xE9, allocators. */
#include <stdarg.h>
#include "xsim.h"

/* memset, memcpy, memmove, memcmp, strlen, strncmp and strcmp come from
 * Kelp's src/lib/string.c, linked in by build.mk. */

char *strcpy(char *d, const char *s)
{
    return memcpy(d, s, strlen(s) + 1);
}

u8 checksum8(const void *p, size_t n)
{
    const u8 *b = p;
    u8 sum = 0;
    while (n--)
        sum += *b++;
    return sum;
}

/* Shift-and-subtract division: no libgcc in a freestanding 32-bit build. */
static u64 udivmod64(u64 n, u32 d, u32 *rem)
{
    u64 q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    if (rem)
        *rem = (u32)r;
    return q;
}

u64 udiv64(u64 n, u32 d)
{
    return udivmod64(n, d, NULL);
}

/* ---- formatting ---- */

struct sink {
    char *buf;
    size_t size, len;
};

static void put(struct sink *s, char c)
{
    if (s->buf) {
        if (s->len + 1 < s->size)
            s->buf[s->len] = c;
    } else {
        outb(0xE9, c);
    }
    s->len++;
}

static void put_num(struct sink *s, u64 v, unsigned base, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        u32 digit;
        v = udivmod64(v, base, &digit);
        tmp[n++] = digit < 10 ? '0' + digit : 'a' + digit - 10;
    } while (v);
    while (width-- > n)
        put(s, pad);
    while (n)
        put(s, tmp[--n]);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(s, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        u64 v;
        switch (*fmt) {
        case 'd': {
            long long sv = longs >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
            if (sv < 0) {
                put(s, '-');
                sv = -sv;
            }
            put_num(s, (u64)sv, 10, width, pad);
            break;
        }
        case 'u':
        case 'x':
            v = longs >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);
            put_num(s, v, *fmt == 'u' ? 10 : 16, width, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            int len = (int)strlen(str);
            while (width-- > len)
                put(s, ' ');
            while (*str)
                put(s, *str++);
            break;
        }
        case 'c':
            put(s, (char)va_arg(ap, int));
            break;
        case '%':
            put(s, '%');
            break;
        default:
            put(s, '?');
            break;
        }
    }
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct sink s = { buf, size, 0 };
    va_list ap;
    va_start(ap, fmt);
    format(&s, fmt, ap);
    va_end(ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = 0;
    return (int)s.len;
}

/* One log line per call, prefixed so a reader can tell it from the log of
 * the BIOS that follows on the same port. */
void log(const char *fmt, ...)
{
    struct sink s = { NULL, 0, 0 };
    const char *p;
    for (p = "xen-sim: "; *p; p++)
        outb(0xE9, *p);
    va_list ap;
    va_start(ap, fmt);
    format(&s, fmt, ap);
    va_end(ap);
}

void fail(const char *fmt, ...)
{
    struct sink s = { NULL, 0, 0 };
    const char *p;
    for (p = "xen-sim: FATAL: "; *p; p++)
        outb(0xE9, *p);
    va_list ap;
    va_start(ap, fmt);
    format(&s, fmt, ap);
    va_end(ap);
    outb(EXIT_PORT, EXIT_FAIL);
    for (;;)
        asm volatile("cli; hlt");
}

/* ---- allocators ---- */

static u32 scratch_next = SCRATCH_BASE;
u32 area_base;                  /* set by main once RAM is known */
static u32 area_next;           /* misc part: SMBIOS structures, MP table */
u32 acpi_top;                   /* ACPI part: first free byte */

static void *bump(u32 *next, u32 limit, u32 size, u32 align, const char *what)
{
    if (align < 16)
        align = 16;
    u32 at = ALIGN_UP(*next, align);
    if (at + size > limit || at + size < at)
        fail("%s allocation of %u bytes does not fit\n", what, size);
    *next = at + size;
    memset((void *)at, 0, size);
    return (void *)at;
}

void *scratch_alloc(u32 size, u32 align)
{
    return bump(&scratch_next, SCRATCH_END, size, align, "scratch");
}

void *area_alloc(u32 size, u32 align)
{
    if (!area_next)
        area_next = area_base + AREA_MISC_OFF;
    return bump(&area_next, area_base + AREA_SIZE, size, align, "table area");
}

void *acpi_alloc(u32 size, u32 align)
{
    if (!acpi_top)
        acpi_top = area_base + AREA_ACPI_OFF;
    return bump(&acpi_top, area_base + AREA_MISC_OFF, size, align, "ACPI area");
}
