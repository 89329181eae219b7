/* Output hooks for the runtime. */
#include "lib/output.h"
#include "lib/io.h"
#include "rtdata.h"
#include "rt/rt.h"
#include "lib/string.h"

void debug_putc(char c)
{
    if (rtdata.debug_port)
        outb(c, rtdata.debug_port);
}

/* Through INT 10h teletype: the VGA screen and the serial console alike. */
void console_putc(char c)
{
    if (rtdata.vga_rom || rtdata.sercon_port) {
        struct bregs r;
        memset(&r, 0, sizeof(r));
        r.ax = 0x0E00 | (u8)c;
        r.bx = 0x0007;
        rt_call_int(0x10, &r);
    }
}
