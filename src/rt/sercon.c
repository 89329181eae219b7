/* The serial console: text written through INT 10h is mirrored to a
 * serial terminal with ANSI (VT100) sequences, and what is typed there
 * reaches INT 16h as key words.
 *
 * Output: the terminal's cursor is tracked (sercon_row/col, 0xFF when not
 * known). Before a character is written the terminal is moved to where
 * the BIOS puts it: with nothing when it is there already, with CR, CR LF
 * or BS when that does it, otherwise "ESC [ row ; col H". So plain text
 * reads as plain lines in a log of the serial line. Colours follow the
 * attributes of 09h, 13h and the scroll functions ("ESC [ 0 ; 1 ; 3f ; 4b m").
 *
 * Input: the UART is polled from the timer tick and from INT 16h; the
 * bytes become key words as lib/keys.c decodes them (escape sequences of
 * the cursor and function keys included; an ESC that nothing follows for
 * two ticks is the ESC key). */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/serial.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/keys.h"

#define COLS 80
#define ROWS 25
#define UNKNOWN 0xFF
#define ESC 0x1B

static void out(u8 c)
{
    uart_putc(rtdata.sercon_port, c);
}

static void out_num(u8 v)
{
    if (v >= 100)
        out('0' + v / 100);
    if (v >= 10)
        out('0' + v / 10 % 10);
    out('0' + v % 10);
}

static void csi(void)
{
    out(ESC);
    out('[');
}

static void forget_cursor(void)
{
    rtdata.sercon_row = rtdata.sercon_col = UNKNOWN;
}

static void term_goto(u8 row, u8 col)
{
    u8 trow = rtdata.sercon_row, tcol = rtdata.sercon_col;
    if (trow == row && tcol == col)
        return;
    if (trow == row && col == 0) {
        out('\r');
    } else if (trow == row && col < tcol && tcol - col <= 3) {
        while (tcol-- > col)
            out('\b');
    } else if (trow != UNKNOWN && trow + 1 == row && col == 0) {
        out('\r');
        out('\n');
    } else {
        csi();
        out_num(row + 1);
        out(';');
        out_num(col + 1);
        out('H');
    }
    rtdata.sercon_row = row;
    rtdata.sercon_col = col;
}

static void term_attr(u8 attr)
{
    static const char ansi[8] = "04261537";     /* VGA colour -> ANSI colour */
    if (attr == rtdata.sercon_attr)
        return;
    csi();
    out('0');
    if (attr & 0x08) {
        out(';');
        out('1');
    }
    out(';');
    out('3');
    out(ansi[attr & 7]);
    out(';');
    out('4');
    out(ansi[(attr >> 4) & 7]);
    out('m');
    rtdata.sercon_attr = attr;
}

/* What a terminal can show of a code page 437 character. */
static u8 glyph(u8 c)
{
    if (c >= 0x20 && c < 0x7F)
        return c;
    if (c == 0xB3 || c == 0xBA)
        return '|';
    if (c == 0xC4 || c == 0xCD)
        return '-';
    if (c >= 0xB4 && c <= 0xDA)
        return '+';                             /* corners and crossings */
    if (c >= 0xB0 && c <= 0xDF)
        return '#';                             /* shades and blocks */
    return c ? '.' : ' ';
}

/* One visible character at row/col. */
static void term_put(u8 row, u8 col, u8 c)
{
    term_goto(row, col);
    out(glyph(c));
    if (++rtdata.sercon_col >= COLS)
        forget_cursor();        /* terminals differ at the right margin */
}

u16 tty_next(u16 pos, u8 c)
{
    u8 row = pos >> 8, col = pos;
    switch (c) {
    case 0x07:
        break;
    case 0x08:
        if (col)
            col--;
        break;
    case '\r':
        col = 0;
        break;
    case '\n':
        if (row < ROWS - 1)
            row++;
        break;
    default:
        if (++col >= COLS) {
            col = 0;
            if (row < ROWS - 1)
                row++;
        }
    }
    return (row << 8) | col;
}

/* Teletype output of c with the BIOS cursor at pos; returns where the
 * cursor goes. At the bottom a line feed scrolls the terminal as it
 * scrolls the screen. */
static u16 tty(u16 pos, u8 c)
{
    u16 next = tty_next(pos, c);
    u8 row = pos >> 8, col = pos;
    if (c == 0x07) {
        out(c);
    } else if (c == '\n') {
        term_goto(row, col);
        out('\n');
        rtdata.sercon_row = next >> 8;
    } else if (c != 0x08 && c != '\r') {
        term_put(row, col, c);
        if (col == COLS - 1) {
            out('\r');
            out('\n');
            rtdata.sercon_row = next >> 8;
            rtdata.sercon_col = 0;
        }
    }
    return next;                /* BS and CR: the next output moves there */
}

/* 06h/07h: scroll a window up/down, or clear it. */
static void scroll(struct bregs *r)
{
    u8 top = r->ch, left = r->cl, bottom = MIN(r->dh, ROWS - 1), right = MIN(r->dl, COLS - 1);
    if (top > bottom || left > right)
        return;
    bool full_width = left == 0 && right == COLS - 1;
    term_attr(r->bh);
    if (!r->al || r->al > bottom - top) {
        if (full_width && top == 0 && bottom == ROWS - 1) {
            csi();
            out('2');
            out('J');
            return;
        }
        for (u8 row = top; row <= bottom; row++) {
            if (full_width) {
                term_goto(row, 0);
                csi();
                out('2');
                out('K');
            } else {
                for (u8 col = left; col <= right; col++)
                    term_put(row, col, ' ');
            }
        }
        return;
    }
    if (!full_width)
        return;                 /* a part of the width cannot be scrolled */
    csi();
    out_num(top + 1);
    out(';');
    out_num(bottom + 1);
    out('r');
    csi();
    out_num(r->al);
    out(r->ah == 0x06 ? 'S' : 'T');
    csi();
    out('r');
    forget_cursor();
}

void sercon_10(struct bregs *r)
{
    u8 page = bda8(BDA_VIDEO_PAGE);
    u16 pos = bda16(BDA_CURSOR_POS + 2 * page);
    switch (r->ah) {
    case 0x00:
        if (r->al & 0x80)
            break;              /* keep the screen */
        csi();
        out('0');
        out('m');
        csi();
        out('2');
        out('J');
        rtdata.sercon_attr = 0x07;
        forget_cursor();
        break;
    case 0x06:
    case 0x07:
        scroll(r);
        break;
    case 0x09:
    case 0x0A:
        if (r->bh != page)
            break;
        if (r->ah == 0x09)
            term_attr(r->bl);
        for (u16 n = r->cx, col = pos & 0xFF; n && col < COLS; n--, col++)
            term_put(pos >> 8, col, r->al);
        break;
    case 0x0E:
        tty(pos, r->al);
        break;
    case 0x13:
        if (r->bh != page)
            break;
        pos = r->dx;
        for (u16 i = 0, off = r->bp; i < r->cx; i++) {
            u8 c = peek8(r->es, off++);
            term_attr(r->al & 2 ? peek8(r->es, off++) : r->bl);
            pos = tty(pos, c);
        }
        break;
    default:
        break;
    }
}

/* ---- input ---- */

static void store(const u16 *keys, int n)
{
    for (int i = 0; i < n; i++)
        kbd_store(keys[i]);
}

void sercon_poll(void)
{
    u16 port = rtdata.sercon_port, keys[TERM_KEYS_MAX];
    if (!port)
        return;
    for (int i = 0; i < 16 && (inb(port + UART_LSR) & UART_LSR_DR); i++)
        store(keys, term_keys_byte(&rtdata.sercon_keys, inb(port + UART_DATA), keys));
}

void sercon_tick(void)
{
    u16 keys[TERM_KEYS_MAX];
    if (!rtdata.sercon_port)
        return;
    sercon_poll();
    store(keys, term_keys_tick(&rtdata.sercon_keys, keys));
}
