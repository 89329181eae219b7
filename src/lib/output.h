/* Formatted output. dprintf() writes to the debug log (the debug console
 * port, and COM1 when configured); printf() writes to the user console
 * (the screen through INT 10h when a VGA ROM runs, the serial console
 * otherwise) and to the debug log.
 * Formats: %c %s %d %u %x %X %p, width and 0-fill, l (32-bit, the default)
 * and ll (64-bit) for d/u/x. */
#ifndef KELP_OUTPUT_H
#define KELP_OUTPUT_H
#include "lib/types.h"
#include <stdarg.h>

typedef void (*putc_fn)(void *ctx, char c);
void vxprintf(putc_fn out, void *ctx, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void dprintf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#ifndef KELP_HOST               /* host test builds keep the C library's */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

/* Hooks each mode provides. */
void debug_putc(char c);       /* one byte to the debug log */
void console_putc(char c);     /* one byte to the user console */

#define LOG_ERR 1
#define LOG_WARN 2
#define LOG_INFO 3
#define LOG_DEBUG 6
#endif
