/* INT 10h when no VGA option ROM owns it: the text functions boot loaders
 * use are served on the serial console (when there is one); everything
 * else returns with the caller's registers untouched, which is how a
 * machine without a video BIOS answers. */
#include "rt/bregs.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/serial.h"
#include "lib/far.h"

#define COLS 80
#define ROWS 25

static u16 cursor(u8 page) { return bda16(BDA_CURSOR_POS + 2 * (page & 7)); }
static void set_cursor(u8 page, u8 row, u8 col)
{
    bda_set16(BDA_CURSOR_POS + 2 * (page & 7), (row << 8) | col);
}

static void out(u8 c)
{
    uart_putc(rtdata.sercon_port, c);
}

/* Write one character the way teletype output moves the cursor. */
static void teletype(u8 page, u8 c)
{
    u16 pos = cursor(page);
    u8 row = pos >> 8, col = pos & 0xFF;
    switch (c) {
    case 0x07:
        out(c);
        return;
    case 0x08:
        if (col)
            col--;
        out(c);
        break;
    case '\r':
        col = 0;
        out(c);
        break;
    case '\n':
        if (row < ROWS - 1)
            row++;
        out(c);
        break;
    default:
        out(c);
        if (++col >= COLS) {
            col = 0;
            if (row < ROWS - 1)
                row++;
            out('\r');
            out('\n');
        }
    }
    set_cursor(page, row, col);
}

void handle_10(struct bregs *r)
{
    if (!rtdata.sercon_port || rtdata.vga_rom)
        return;
    switch (r->ah) {
    case 0x00:
        bda_set8(BDA_VIDEO_MODE, r->al & 0x7F);
        bda_set16(BDA_VIDEO_COLS, COLS);
        bda_set8(BDA_VIDEO_ROWS, ROWS - 1);
        for (int p = 0; p < 8; p++)
            set_cursor(p, 0, 0);
        break;
    case 0x01:
        bda_set16(BDA_CURSOR_SHAPE, r->cx);
        break;
    case 0x02: {
        u16 pos = cursor(r->bh);
        /* Moving to the start of a later line is a newline on a serial
         * line; other moves cannot be shown without escape sequences. */
        if (r->dh > (pos >> 8) && r->dl == 0) {
            out('\r');
            out('\n');
        }
        set_cursor(r->bh, r->dh, r->dl);
        break;
    }
    case 0x03:
        r->dx = cursor(r->bh);
        r->cx = bda16(BDA_CURSOR_SHAPE);
        break;
    case 0x05:
        bda_set8(BDA_VIDEO_PAGE, r->al & 7);
        break;
    case 0x06:
    case 0x07:
        break;
    case 0x08:
        r->ax = 0x0720;
        break;
    case 0x09:
    case 0x0A:
        /* Shown where the cursor is, which does not move: the terminal's
         * cursor goes back over what was written. */
        for (u16 n = r->cx; n; n--)
            out(r->al);
        for (u16 n = r->cx; n; n--)
            out('\b');
        break;
    case 0x0E:
        teletype(r->bh, r->al);
        break;
    case 0x0F:
        r->al = bda8(BDA_VIDEO_MODE);
        r->ah = COLS;
        r->bh = bda8(BDA_VIDEO_PAGE);
        break;
    case 0x13: {
        bool attrs = r->al & 2;
        u16 seg = r->es, off = r->bp;
        u16 save = cursor(r->bh);
        set_cursor(r->bh, r->dh, r->dl);
        for (u16 n = r->cx; n; n--) {
            teletype(r->bh, peek8(seg, off++));
            if (attrs)
                off++;
        }
        if (!(r->al & 1))
            set_cursor(r->bh, save >> 8, save & 0xFF);
        break;
    }
    default:
        break;
    }
}
