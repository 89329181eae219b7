/* Output and memory helpers of the probe: no libc, nothing but port 402h. */
#include "probe.h"

void *memset(void *d, int c, unsigned n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, unsigned n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, unsigned n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

static void putch(char c)
{
    outb(DEBUG_PORT, (u8)c);
}

static void put_str(const char *s)
{
    while (*s)
        putch(*s++);
}

static void put_num(u32 v, unsigned base, int width)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n < width && n < (int)sizeof(buf))
        buf[n++] = '0';
    while (n)
        putch(buf[--n]);
}

/* Bytes as two hex digits each, no separators. */
static void put_hexbuf(const u8 *p, u32 n)
{
    while (n--)
        put_num(*p++, 16, 2);
}

/* A fixed-size text field: trailing blanks/NULs dropped, inner blanks
 * shown as '_', anything unprintable as '.', so a value never has spaces. */
static void put_field(const u8 *p, u32 n)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == 0))
        n--;
    if (!n) {
        put_str("<empty>");
        return;
    }
    for (u32 i = 0; i < n; i++) {
        u8 c = p[i];
        putch(c == ' ' ? '_' : (c > ' ' && c < 0x7f) ? (char)c : '.');
    }
}

/* Conversions: %s %c %u %x (optional zero-padded width, e.g. %04x),
 * %H = hex bytes (pointer, count), %S = text field (pointer, count). */
static void vput(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putch(*fmt);
            continue;
        }
        fmt++;
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        switch (*fmt) {
        case 's':
            put_str(va_arg(ap, const char *));
            break;
        case 'c':
            putch((char)va_arg(ap, int));
            break;
        case 'u':
            put_num(va_arg(ap, u32), 10, width);
            break;
        case 'x':
            put_num(va_arg(ap, u32), 16, width);
            break;
        case 'H': {
            const u8 *p = va_arg(ap, const u8 *);
            put_hexbuf(p, va_arg(ap, u32));
            break;
        }
        case 'S': {
            const u8 *p = va_arg(ap, const u8 *);
            put_field(p, va_arg(ap, u32));
            break;
        }
        case '%':
            putch('%');
            break;
        default:
            return;
        }
    }
}

void P(const char *fmt, ...)
{
    va_list ap;
    put_str("PROBE ");
    va_start(ap, fmt);
    vput(fmt, ap);
    va_end(ap);
    putch('\n');
}
