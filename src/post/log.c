/* Output hooks for POST: debug log to the debug port (and COM1 when
 * configured), console output through INT 10h. */
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
    if (post_debug_port)
        outb(c, post_debug_port);
    if (CONFIG_DEBUG_SERIAL && post_console_ready && rtdata.sercon_port)
        uart_putc(rtdata.sercon_port, c);
}

/* Through INT 10h teletype, which shows it on the VGA screen and the
 * serial console alike. (With DEBUG_SERIAL the debug log copy already
 * carries console text to COM1.) */
void console_putc(char c)
{
    if (rtdata.vga_rom || (post_console_ready && rtdata.sercon_port && !CONFIG_DEBUG_SERIAL)) {
        struct bregs r;
        memset(&r, 0, sizeof(r));
        r.ax = 0x0E00 | (u8)c;
        r.bx = 0x0007;
        call16_int(0x10, &r);
    }
}
