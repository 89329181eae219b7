#include "hw/serial.h"
#include "lib/io.h"

bool uart_present(u16 base)
{
    /* The scratch register keeps what is written; the IIR's top bits
     * read back as a 16550's FIFO flags or zero, never all ones. */
    outb(0x5A, base + UART_SCR);
    if (inb(base + UART_SCR) != 0x5A)
        return false;
    outb(0xA5, base + UART_SCR);
    return inb(base + UART_SCR) == 0xA5;
}

void uart_init(u16 base, u32 baud)
{
    u16 div = baud ? 115200 / baud : 1;
    outb(0x00, base + UART_IER);
    outb(0x80, base + UART_LCR);
    outb(div, base + UART_DATA);
    outb(div >> 8, base + UART_IER);
    outb(0x03, base + UART_LCR);
    /* FIFOs on and cleared; the receive trigger level at 14 bytes only
     * matters for interrupts, but QEMU hands a polled UART no more bytes
     * at a time than it. */
    outb(0xC7, base + UART_FCR);
    outb(0x03, base + UART_MCR);
}

bool uart_putc(u16 base, u8 c)
{
    for (u32 i = 0; i < 100000; i++) {
        if (inb(base + UART_LSR) & UART_LSR_THRE) {
            outb(c, base + UART_DATA);
            return true;
        }
    }
    return false;
}
