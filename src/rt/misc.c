/* Small services: equipment, memory size, printer, serial, NMI, print screen. */
#include "rt/bregs.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/serial.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/output.h"

/* INT 02h: NMI. Nothing to recover; note it. */
void handle_02(struct bregs *r)
{
    dprintf(LOG_WARN, "NMI (port 61h = %02x)\n", inb(0x61));
}

/* INT 05h: print screen. There is no printer to send the screen to. */
void handle_05(struct bregs *r)
{
    poke8(0, 0x500, 0);
}

/* INT 11h: equipment list. */
void handle_11(struct bregs *r)
{
    r->ax = bda16(BDA_EQUIPMENT);
}

/* INT 12h: conventional memory size in KiB. */
void handle_12(struct bregs *r)
{
    r->ax = bda16(BDA_MEM_KB);
}

/* ---- INT 17h: printer ---- */
static u8 lpt_status(u16 base)
{
    return inb(base + 1) ^ 0x48;
}

void handle_17(struct bregs *r)
{
    if (r->dx >= 3 || !bda16(BDA_LPT_BASE + 2 * r->dx)) {
        set_cf(r);              /* no such port */
        return;
    }
    clear_cf(r);
    u16 base = bda16(BDA_LPT_BASE + 2 * r->dx);
    switch (r->ah) {
    case 0x00: {
        u32 tries = (u32)bda8(BDA_LPT_TIMEOUT + r->dx) << 12;
        outb(r->al, base);
        while (!(inb(base + 1) & 0x80) && --tries)
            ;
        u8 ctl = inb(base + 2);
        outb(ctl | 0x01, base + 2);     /* strobe */
        outb(ctl & ~0x01, base + 2);
        r->ah = lpt_status(base) | (tries ? 0 : 0x01);
        break;
    }
    case 0x01: {
        u8 ctl = inb(base + 2);
        outb(ctl & ~0x04, base + 2);    /* INIT low */
        outb(ctl | 0x0C, base + 2);     /* INIT high, select */
        r->ah = lpt_status(base);
        break;
    }
    case 0x02:
        r->ah = lpt_status(base);
        break;
    default:
        break;
    }
}

/* ---- INT 14h: serial ---- */
void handle_14(struct bregs *r)
{
    u16 base = r->dx < 4 ? bda16(BDA_COM_BASE + 2 * r->dx) : 0;
    if (!base) {
        r->ah = 0x80;       /* timeout: no such port */
        set_cf(r);
        return;
    }
    clear_cf(r);
    u32 tries = (u32)bda8(BDA_COM_TIMEOUT + r->dx) << 12;
    switch (r->ah) {
    case 0x00: {
        static const u16 div[8] = { 0x417, 0x300, 0x180, 0xC0, 0x60, 0x30, 0x18, 0x0C };
        u8 lcr = r->al & 0x1F;
        outb(0x80, base + UART_LCR);
        outb(div[r->al >> 5], base + UART_DATA);
        outb(div[r->al >> 5] >> 8, base + UART_IER);
        outb(lcr, base + UART_LCR);
        r->ah = inb(base + UART_LSR);
        r->al = inb(base + UART_MSR);
        break;
    }
    case 0x01:
        while (!(inb(base + UART_LSR) & UART_LSR_THRE) && --tries)
            ;
        if (tries)
            outb(r->al, base + UART_DATA);
        r->ah = inb(base + UART_LSR) | (tries ? 0 : 0x80);
        break;
    case 0x02:
        while (!(inb(base + UART_LSR) & UART_LSR_DR) && --tries)
            ;
        r->al = tries ? inb(base + UART_DATA) : 0;
        r->ah = (inb(base + UART_LSR) & 0x1E) | (tries ? 0 : 0x80);
        break;
    case 0x03:
        r->ah = inb(base + UART_LSR);
        r->al = inb(base + UART_MSR);
        break;
    default:
        set_cf(r);
        break;
    }
}
