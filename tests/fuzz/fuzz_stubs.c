/* What the firmware modules expect from the rest of Kelp, for the host:
 * the debug log (formatted and thrown away, so a bad %s argument still
 * shows up under AddressSanitizer) and the option ROM warning hook.
 * stdio.h stays out: it declares a dprintf() of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include "lib/types.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...);

void dprintf(int level, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    (void)level;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
}

void rom_log_bad_image(int n, u16 vendor, u16 device)
{
    (void)n;
    (void)vendor;
    (void)device;
}

void fuzz_fail(const char *what, const char *file, int line)
{
    char msg[512];
    int n = snprintf(msg, sizeof(msg), "%s:%d: invariant broken: %s\n", file, line, what);
    if (n > 0)
        (void)!write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    abort();
}
