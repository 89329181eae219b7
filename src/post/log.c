/* Output hooks for POST: debug log to the debug port (and COM1 when
 * configured), console output to the serial console. */
#include "lib/output.h"
#include "lib/io.h"
#include "hw/serial.h"
#include "rtdata.h"
#include "post/post.h"
#include "lib/string.h"

extern u16 post_debug_port;
bool post_console_ready;

void debug_putc(char c)
{
    outb(c, post_debug_port);
    if (CONFIG_DEBUG_SERIAL && post_console_ready && rtdata.sercon_port)
        uart_putc(rtdata.sercon_port, c);
}

void console_putc(char c)
{
    if (post_console_ready && rtdata.sercon_port && !CONFIG_DEBUG_SERIAL)
        uart_putc(rtdata.sercon_port, c);
    if (rtdata.vga_rom) {
        struct bregs r;
        memset(&r, 0, sizeof(r));
        r.ax = 0x0E00 | (u8)c;
        r.bx = 0x0007;
        call16_int(0x10, &r);
    }
}
