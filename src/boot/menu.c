/* The boot menu (QEMU -boot menu=on): a prompt that waits a moment (the
 * splash time) for ESC or F12, then the boot list, one entry a line (the
 * first twenty, as many as the screen holds), the first nine with a
 * digit. A digit, or the arrow keys and Enter, picks the entry to boot
 * first; the others follow in their order. ESC, or no key for a
 * minute, keeps the default order. Drawn through INT 10h, so it shows on
 * the VGA screen and on the serial console alike; keys come through
 * INT 16h (the keyboard, or the serial console's input). Every wait is
 * counted in timer ticks. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "boot/boot.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"

#define MENU_TIMEOUT_MS 60000
#define FIRST_ROW 2             /* title, blank line, then the entries */
#define MAX_SHOWN 20            /* what fits the 25-row screen */

#define KEY_ESC 0x1B
#define SCAN_F12 0x86
#define SCAN_UP 0x48
#define SCAN_DOWN 0x50

static bool key_ready(struct bregs *r)
{
    memset(r, 0, sizeof(*r));
    r->ah = 0x11;
    rt_call_int(0x16, r);
    if (r->flags & F_ZF)
        return false;
    r->ah = 0x10;
    rt_call_int(0x16, r);
    return true;
}

/* The next key typed within ticks timer ticks, or 0. */
static u16 key_wait(u32 ticks)
{
    struct bregs r;
    u32 last = bda32(BDA_TICKS);
    for (;;) {
        if (key_ready(&r))
            return r.ax ? r.ax : 0xFFFF;
        u32 now = bda32(BDA_TICKS);
        if (now != last) {
            last = now;
            if (!ticks--)
                return 0;
        }
        wait_irq();
    }
}

static void video(u16 ax, u16 bx, u16 cx, u16 dx)
{
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.ax = ax;
    r.bx = bx;
    r.cx = cx;
    r.dx = dx;
    rt_call_int(0x10, &r);
}

static void put_at(u8 row, u8 col, char c)
{
    video(0x0200, 0, 0, (row << 8) | col);
    video(0x0E00 | (u8)c, 0x0007, 0, 0);
}

/* Move entry i to the front; an entry the default order would not boot
 * (bootorder HALT) becomes bootable. */
static void pick(int i)
{
    struct boot_entry e = rtdata.boot[i];
    char name[64];
    boot_entry_name(&e, name, sizeof(name));
    dprintf(LOG_INFO, "boot menu: entry %d picked: %s\n", i + 1, name);
    memmove(&rtdata.boot[1], &rtdata.boot[0], i * sizeof(e));
    rtdata.boot[0] = e;
    if (i >= rtdata.boot_limit)
        rtdata.boot_limit++;
}

static void show_list(int shown)
{
    video(0x0600, 0x0700, 0x0000, 0x184F);      /* clear the screen */
    video(0x0200, 0, 0, 0);
    printf("Boot menu: pick with a digit, or the arrows and Enter; ESC keeps the order\n\n");
    for (int i = 0; i < shown; i++) {
        char name[64];
        boot_entry_name(&rtdata.boot[i], name, sizeof(name));
        printf("  %c. %s\n", i < 9 ? '1' + i : ' ', name);
    }
    if (shown < rtdata.boot_count)
        printf("  (%d more not shown)\n", rtdata.boot_count - shown);
}

void boot_menu(void)
{
    if (!rtdata.boot_menu || !rtdata.boot_count)
        return;
    rtdata.boot_menu = 0;       /* once per POST */
    struct bregs r;
    for (int i = 0; i < 64 && key_ready(&r); i++)
        ;                       /* keys typed before the question are no answer */
    printf("Press ESC or F12 for the boot menu\n");
    u16 k = key_wait(ms_to_ticks(rtdata.boot_menu_ms));
    if ((k & 0xFF) != KEY_ESC && (k >> 8) != SCAN_F12)
        return;

    int shown = MIN(rtdata.boot_count, MAX_SHOWN), sel = 0;
    show_list(shown);
    put_at(FIRST_ROW, 0, '>');
    for (;;) {
        k = key_wait(ms_to_ticks(MENU_TIMEOUT_MS));
        u8 ascii = k, scan = k >> 8;
        int choice = -1;
        if (!k || ascii == KEY_ESC) {
            dprintf(LOG_INFO, "boot menu: %s, default order kept\n", k ? "ESC" : "no choice");
            break;
        }
        if (ascii >= '1' && ascii <= '9' && ascii - '1' < shown)
            choice = ascii - '1';
        else if (ascii == '\r')
            choice = sel;
        if (choice >= 0) {
            pick(choice);
            break;
        }
        if ((ascii == 0 || ascii == 0xE0) && (scan == SCAN_UP || scan == SCAN_DOWN)) {
            int next = scan == SCAN_UP ? (sel ? sel - 1 : shown - 1) : (sel + 1) % shown;
            put_at(FIRST_ROW + sel, 0, ' ');
            put_at(FIRST_ROW + next, 0, '>');
            sel = next;
        }
    }
    video(0x0200, 0, 0, (FIRST_ROW + shown + 1) << 8);
}
