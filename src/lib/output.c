#include "lib/output.h"
#include "lib/div64.h"

static void put_str(putc_fn out, void *ctx, const char *s, int width, bool left)
{
    int len = 0;
    while (s[len])
        len++;
    if (!left)
        for (; width > len; width--)
            out(ctx, ' ');
    while (*s)
        out(ctx, *s++);
    for (; width > len; width--)
        out(ctx, ' ');
}

static void put_num(putc_fn out, void *ctx, u64 v, unsigned base, bool neg,
                    int width, char pad, bool upper)
{
    char buf[24];
    int i = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        u32 rem;
        if (base == 16) {
            rem = v & 15;
            v >>= 4;
        } else {
            rem = div64_32(&v, base);
        }
        buf[i++] = digits[rem];
    } while (v);
    if (neg)
        width--;
    if (neg && pad == '0')
        out(ctx, '-');
    for (; width > i; width--)
        out(ctx, pad);
    if (neg && pad != '0')
        out(ctx, '-');
    while (i)
        out(ctx, buf[--i]);
}

void vxprintf(putc_fn out, void *ctx, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(ctx, *fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        int width = 0, longs = 0;
        if (*fmt == '-') {
            left = true;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        u64 v;
        switch (*fmt) {
        case 'c':
            out(ctx, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            put_str(out, ctx, s ? s : "(null)", width, left);
            break;
        }
        case 'd': {
            s64 sv = longs >= 2 ? va_arg(ap, s64) : va_arg(ap, s32);
            put_num(out, ctx, sv < 0 ? -(u64)sv : (u64)sv, 10, sv < 0, width, pad, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            v = longs >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);
            put_num(out, ctx, v, *fmt == 'u' ? 10 : 16, false, width, pad, *fmt == 'X');
            break;
        case 'p':
            put_num(out, ctx, (u32)va_arg(ap, void *), 16, false, 8, '0', false);
            break;
        case '%':
            out(ctx, '%');
            break;
        case 0:
            return;
        default:
            out(ctx, '%');
            out(ctx, *fmt);
        }
    }
}

struct sbuf {
    char *p;
    size_t left;
};

static void sbuf_putc(void *ctx, char c)
{
    struct sbuf *b = ctx;
    if (b->left > 1) {
        *b->p++ = c;
        b->left--;
    }
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct sbuf b = { buf, size };
    va_list ap;
    va_start(ap, fmt);
    vxprintf(sbuf_putc, &b, fmt, ap);
    va_end(ap);
    if (size)
        *b.p = 0;
    return size - b.left;
}

static void debug_out(void *ctx, char c)
{
    debug_putc(c);
}

void dprintf(int level, const char *fmt, ...)
{
    if (level > CONFIG_DEBUG_LEVEL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vxprintf(debug_out, NULL, fmt, ap);
    va_end(ap);
}

static void console_out(void *ctx, char c)
{
    if (c == '\n')
        console_putc('\r');
    console_putc(c);
    if (LOG_INFO <= CONFIG_DEBUG_LEVEL)
        debug_out(ctx, c);
}

void printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vxprintf(console_out, NULL, fmt, ap);
    va_end(ap);
}
