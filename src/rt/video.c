/* INT 10h as Kelp serves it. With a serial console, everything goes to
 * the terminal first (rt/sercon.c reads the cursor before it moves); then
 * the VGA BIOS, when there is one, does the real work. Without one, the
 * text functions boot loaders use keep the BDA's video state (mode,
 * cursor) as a text screen would; everything else returns with the
 * caller's registers untouched, which is how a machine without a video
 * BIOS answers. Without a serial console nor a VGA BIOS, nothing is done. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "lib/far.h"

#define COLS 80
#define ROWS 25

static u16 cursor(u8 page) { return bda16(BDA_CURSOR_POS + 2 * (page & 7)); }
static void set_cursor(u8 page, u16 pos)
{
    bda_set16(BDA_CURSOR_POS + 2 * (page & 7), pos);
}

/* The BDA side of the text functions, for a screen that only the serial
 * console shows. */
static void text_10(struct bregs *r)
{
    u8 active = bda8(BDA_VIDEO_PAGE);
    switch (r->ah) {
    case 0x00:
        bda_set8(BDA_VIDEO_MODE, r->al & 0x7F);
        bda_set16(BDA_VIDEO_COLS, COLS);
        bda_set8(BDA_VIDEO_ROWS, ROWS - 1);
        bda_set8(BDA_VIDEO_PAGE, 0);
        for (int p = 0; p < 8; p++)
            set_cursor(p, 0);
        break;
    case 0x01:
        bda_set16(BDA_CURSOR_SHAPE, r->cx);
        break;
    case 0x02:
        set_cursor(r->bh, r->dx);
        break;
    case 0x03:
        r->dx = cursor(r->bh);
        r->cx = bda16(BDA_CURSOR_SHAPE);
        break;
    case 0x05:
        bda_set8(BDA_VIDEO_PAGE, r->al & 7);
        break;
    case 0x08:
        r->ax = 0x0720;
        break;
    case 0x0E:
        set_cursor(active, tty_next(cursor(active), r->al));
        break;
    case 0x0F:
        r->al = bda8(BDA_VIDEO_MODE);
        r->ah = COLS;
        r->bh = active;
        break;
    case 0x13:
        if (r->al & 1) {
            u16 pos = r->dx;
            for (u16 i = 0, off = r->bp; i < r->cx; i++, off += r->al & 2 ? 2 : 1)
                pos = tty_next(pos, peek8(r->es, off));
            set_cursor(r->bh, pos);
        }
        break;
    default:
        break;
    }
}

void handle_10(struct bregs *r)
{
    if (!rtdata.sercon_port)
        return;
    sercon_10(r);
    if (rtdata.sercon_vga)
        rt_call_vec(rtdata.sercon_vga, r);
    else
        text_10(r);
}
