/* The serial console, POST side: which port (Kconfig SERIAL_CONSOLE, or
 * QEMU's fw_cfg etc/sercon-port, 0 = none), set up early in POST; and when
 * a VGA BIOS takes INT 10h, Kelp's INT 10h goes back in front of it so
 * that what is written to the screen also reaches the serial terminal
 * (rt/sercon.c), and then goes on to the VGA BIOS. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/serial.h"
#include "fw/fwcfg.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

extern u8 post_platform;
extern bool post_console_ready;

#define INT10_ENTRY 0xF000F065u         /* Kelp's INT 10h, F000:F065 */

static u16 console_port(void)
{
    u16 port = CONFIG_SERIAL_CONSOLE ? CONFIG_SERIAL_PORT : 0;
    u64 v;
    if (post_platform == PLATFORM_QEMU && fwcfg_read_int("etc/sercon-port", &v)) {
        if (v > 0xFFFF)
            dprintf(LOG_WARN, "console: etc/sercon-port %llx is no I/O port; ignored\n", v);
        else
            port = v;
    }
    return port;
}

void console_init(void)
{
    u16 port = console_port();
    if (!port) {
        dprintf(LOG_INFO, "console: no serial console\n");
        return;
    }
    if (!uart_present(port)) {
        dprintf(LOG_INFO, "console: no UART at %x, no serial console\n", port);
        return;
    }
    uart_init(port, CONFIG_SERIAL_BAUD);
    rtdata.sercon_port = port;
    rtdata.sercon_row = rtdata.sercon_col = 0xFF;
    post_console_ready = true;
    /* An 80x25 colour text screen, cleared on the terminal too. */
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.ax = 0x0003;
    call16_int(0x10, &r);
    bda_set16(BDA_CURSOR_SHAPE, 0x0607);
    dprintf(LOG_INFO, "console: serial console on port %x\n", port);
}

void console_vga_ready(void)
{
    u32 vga = *(volatile u32 *)(0x10 * 4);
    if (!rtdata.sercon_port || vga == INT10_ENTRY)
        return;
    rtdata.sercon_vga = vga;
    *(volatile u32 *)(0x10 * 4) = INT10_ENTRY;
    dprintf(LOG_INFO, "console: INT 10h goes to the serial console, then to the VGA BIOS at "
            "%04x:%04x\n", vga >> 16, vga & 0xFFFF);
}
