/* Output hooks for the runtime. */
#include "lib/output.h"
#include "lib/io.h"
#include "hw/serial.h"
#include "rtdata.h"

void debug_putc(char c)
{
    outb(c, rtdata.debug_port);
}

void console_putc(char c)
{
    if (rtdata.sercon_port)
        uart_putc(rtdata.sercon_port, c);
}
