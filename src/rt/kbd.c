/* Keyboard: the IRQ1 handler (INT 09h) that turns scan codes (set 1, as
 * the i8042 translates them) into key words in the BDA ring, and INT 16h. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/pic.h"
#include "hw/ps2.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/keys.h"
#include "lib/output.h"

/* 40:17 */
#define KF_RSHIFT 0x01
#define KF_LSHIFT 0x02
#define KF_CTRL   0x04
#define KF_ALT    0x08
#define KF_SCROLL 0x10
#define KF_NUM    0x20
#define KF_CAPS   0x40
#define KF_INSERT 0x80
/* 40:96 */
#define K3_E1     0x01
#define K3_E0     0x02
#define K3_RCTRL  0x04
#define K3_RALT   0x08

/* Keypad 47h-53h: digits with NumLock, and the Ctrl codes. */
static const char pad_ascii[13] = "789-456+1230.";
static const u8 pad_ctrl[13] = { 0x77, 0x8D, 0x84, 0x8E, 0x73, 0x8F, 0x74, 0x90,
                                 0x75, 0x91, 0x76, 0x92, 0x93 };
/* Alt+digit row 02h-0Dh gives scan codes 78h-83h. */

bool kbd_store(u16 key)
{
    u16 start = bda16(BDA_KBD_START), end = bda16(BDA_KBD_END);
    u16 head = bda16(BDA_KBD_HEAD), tail = bda16(BDA_KBD_TAIL);
    u16 next = tail + 2;
    if (next >= end)
        next = start;
    if (next == head)
        return false;           /* full: the key is dropped */
    poke16(BDA_SEG, tail, key);
    bda_set16(BDA_KBD_TAIL, next);
    return true;
}

/* Key word for a make code, or 0 when the key gives none. */
static u16 translate(u8 sc, u8 flags, bool e0)
{
    bool shift = flags & (KF_LSHIFT | KF_RSHIFT);
    bool ctrl = flags & KF_CTRL, alt = flags & KF_ALT;
    u16 hi = (u16)sc << 8;
    if (sc >= 0x3B && sc <= 0x44) {             /* F1-F10 */
        if (alt)
            return (u16)(sc + 0x2D) << 8;
        if (ctrl)
            return (u16)(sc + 0x23) << 8;
        if (shift)
            return (u16)(sc + 0x19) << 8;
        return hi;
    }
    if (sc == 0x57 || sc == 0x58) {             /* F11, F12 */
        u8 base = sc == 0x57 ? 0x85 : 0x86;
        return (u16)(base + (alt ? 6 : ctrl ? 4 : shift ? 2 : 0)) << 8;
    }
    if (sc >= 0x47 && sc <= 0x53 && sc != 0x4A && sc != 0x4E) {
        int i = sc - 0x47;
        if (e0) {                               /* grey cursor keys */
            if (alt)
                return (u16)(sc + 0x50) << 8;
            if (ctrl)
                return ((u16)pad_ctrl[i] << 8) | 0xE0;
            return hi | 0xE0;
        }
        if (alt)
            return 0;
        if (ctrl)
            return (u16)pad_ctrl[i] << 8;
        if (!!(flags & KF_NUM) != shift)
            return hi | (u8)pad_ascii[i];
        return hi;
    }
    if (sc == 0x4A || sc == 0x4E)               /* keypad - + */
        return alt ? hi : ctrl ? (u16)(sc == 0x4A ? 0x8E : 0x90) << 8 : hi | (u8)pad_ascii[sc - 0x47];
    if (sc == 0x37 && !e0)                      /* keypad * */
        return alt ? hi : ctrl ? 0x9600 : 0x372A;
    if (sc >= 0x3A)
        return 0;
    if (e0) {
        if (sc == 0x1C)                         /* keypad Enter */
            return alt ? 0xA600 : ctrl ? 0xE00A : 0xE00D;
        if (sc == 0x35)                         /* keypad / */
            return alt ? 0xA400 : ctrl ? 0x9500 : 0xE02F;
    }
    char a = keys_us_ascii[0][sc];           /* US layout (lib/keys.c) */
    bool letter = a >= 'a' && a <= 'z';
    if (alt) {
        if (sc >= 0x02 && sc <= 0x0D)
            return (u16)(sc + 0x76) << 8;
        if (sc == 0x39)
            return 0x3920;
        if (sc == 0x0F)
            return 0xA500;
        return hi;
    }
    if (ctrl) {
        if (letter)
            return hi | (a & 0x1F);
        switch (sc) {
        case 0x03: return 0x0300;
        case 0x07: return 0x071E;
        case 0x0C: return 0x0C1F;
        case 0x0E: return 0x0E7F;
        case 0x0F: return 0x9400;
        case 0x1A: return 0x1A1B;
        case 0x1B: return 0x1B1D;
        case 0x1C: return 0x1C0A;
        case 0x2B: return 0x2B1C;
        case 0x39: return 0x3920;
        case 0x01: return 0x011B;
        default: return 0;
        }
    }
    if (letter && (flags & KF_CAPS))
        shift = !shift;
    if (shift) {
        if (sc == 0x0F)
            return 0x0F00;
        return hi | (u8)keys_us_ascii[1][sc];
    }
    return hi | (u8)a;
}

void kbd_reset_machine(void)
{
    bda_set16(BDA_RESET_FLAG, 0x1234);
    /* The FADT's reset register first (Xen and ACPI machines), then the
     * PIIX reset control register, then the keyboard controller. */
    if (rtdata.acpi_reset_port)
        outb(rtdata.acpi_reset_value, rtdata.acpi_reset_port);
    outb(0x02, 0xCF9);
    outb(0x06, 0xCF9);
    outb(0xFE, 0x64);
}

void kbd_scancode(u8 sc)
{
    u8 f0 = bda8(BDA_KBD_FLAGS0), f1 = bda8(BDA_KBD_FLAGS1), f3 = bda8(BDA_KBD_FLAGS3);
    if (sc == 0xE0) {
        bda_set8(BDA_KBD_FLAGS3, f3 | K3_E0);
        return;
    }
    if (sc == 0xE1) {
        bda_set8(BDA_KBD_FLAGS3, f3 | K3_E1);
        return;
    }
    if (sc == 0xFA || sc == 0xFE || sc == 0x00 || sc == 0xFF)
        return;                 /* acknowledgements and overruns */
    bool e0 = f3 & K3_E0, e1 = f3 & K3_E1;
    f3 &= ~(K3_E0 | K3_E1);
    bool brk = sc & 0x80;
    u8 code = sc & 0x7F;
    if (e1) {                   /* Pause sends E1 1D 45 E1 9D C5: ignored */
        bda_set8(BDA_KBD_FLAGS3, f3 | (code == 0x1D ? K3_E1 : 0));
        return;
    }
    switch (code) {
    case 0x2A:
    case 0x36: {
        if (e0)
            break;              /* fake shifts around grey keys */
        u8 bit = code == 0x2A ? KF_LSHIFT : KF_RSHIFT;
        f0 = brk ? (f0 & ~bit) : (f0 | bit);
        goto done;
    }
    case 0x1D:
        if (e0)
            f3 = brk ? (f3 & ~K3_RCTRL) : (f3 | K3_RCTRL);
        else
            f1 = brk ? (f1 & ~0x01) : (f1 | 0x01);
        f0 = ((f1 & 0x01) || (f3 & K3_RCTRL)) ? (f0 | KF_CTRL) : (f0 & ~KF_CTRL);
        goto done;
    case 0x38:
        if (e0)
            f3 = brk ? (f3 & ~K3_RALT) : (f3 | K3_RALT);
        else
            f1 = brk ? (f1 & ~0x02) : (f1 | 0x02);
        f0 = ((f1 & 0x02) || (f3 & K3_RALT)) ? (f0 | KF_ALT) : (f0 & ~KF_ALT);
        goto done;
    case 0x3A:
    case 0x45:
    case 0x46: {
        u8 down = code == 0x3A ? 0x40 : code == 0x45 ? 0x20 : 0x10;
        if (brk) {
            f1 &= ~down;
        } else if (!(f1 & down)) {
            f1 |= down;
            f0 ^= down;         /* same bit positions in 40:17 */
        }
        goto done;
    }
    default:
        break;
    }
    if (brk)
        goto done;
    if (code == 0x53 && (f0 & KF_CTRL) && (f0 & KF_ALT)) {
        dprintf(LOG_INFO, "kbd: Ctrl-Alt-Del, resetting\n");
        kbd_reset_machine();
        goto done;
    }
    if (code == 0x52 && !((f0 & KF_NUM) && !e0))
        f0 ^= KF_INSERT;
    {
        u16 key = translate(code, f0, e0);
        if (key && !kbd_store(key))
            dprintf(LOG_DEBUG, "kbd: buffer full, key %04x dropped\n", key);
    }
done:
    bda_set8(BDA_KBD_FLAGS0, f0);
    bda_set8(BDA_KBD_FLAGS1, f1);
    bda_set8(BDA_KBD_FLAGS3, f3);
}

/* INT 09h: IRQ1. */
void handle_09(struct bregs *r)
{
    u8 st = inb(I8042_STATUS);
    if (!(st & I8042_OBF) || (st & I8042_AUXDATA)) {
        pic_eoi_master();
        return;
    }
    u8 sc = inb(I8042_DATA);
    /* Give INT 15h 4Fh a chance to change or swallow the code. */
    struct bregs h = *r;
    h.ah = 0x4F;
    h.al = sc;
    h.flags |= F_CF;
    rt_call_int(0x15, &h);
    if (h.flags & F_CF)
        kbd_scancode(h.al);
    pic_eoi_master();
}

/* ---- INT 16h ---- */
static bool kbd_peek(u16 *key)
{
    u16 head = bda16(BDA_KBD_HEAD);
    if (head == bda16(BDA_KBD_TAIL))
        return false;
    *key = peek16(BDA_SEG, head);
    return true;
}

static void kbd_pop(void)
{
    u16 next = bda16(BDA_KBD_HEAD) + 2;
    if (next >= bda16(BDA_KBD_END))
        next = bda16(BDA_KBD_START);
    bda_set16(BDA_KBD_HEAD, next);
}

/* What functions 00h/01h show of an enhanced key word. */
static u16 legacy_key(u16 k)
{
    if ((k >> 8) == 0xE0)
        return (k & 0xFF) == 0x0D || (k & 0xFF) == 0x0A ? 0x1C00 | (k & 0xFF) : 0x3500 | (k & 0xFF);
    if ((k & 0xFF) == 0xE0 || (k & 0xFF) == 0xF0)
        return k & 0xFF00;
    return k;
}

void handle_16(struct bregs *r)
{
    u16 key;
    switch (r->ah) {
    case 0x00:
    case 0x10:
        for (;;) {
            cli();
            sercon_poll();
            if (kbd_peek(&key))
                break;
            wait_irq();
        }
        kbd_pop();
        r->ax = r->ah == 0x00 ? legacy_key(key) : key;
        break;
    case 0x01:
    case 0x11:
        sercon_poll();
        if (kbd_peek(&key)) {
            r->ax = r->ah == 0x01 ? legacy_key(key) : key;
            r->flags &= ~F_ZF;
        } else {
            r->flags |= F_ZF;
        }
        break;
    case 0x02:
        r->al = bda8(BDA_KBD_FLAGS0);
        break;
    case 0x12:
        r->al = bda8(BDA_KBD_FLAGS0);
        r->ah = (bda8(BDA_KBD_FLAGS1) & 0x73) | ((bda8(BDA_KBD_FLAGS1) & 0x04) << 5)
                | ((bda8(BDA_KBD_FLAGS3) & (K3_RCTRL | K3_RALT)));
        break;
    case 0x03:
        break;                  /* typematic rate: accepted */
    case 0x05:
        r->al = kbd_store(r->cx) ? 0 : 1;
        break;
    case 0x09:
        r->al = 0x30;           /* 0Ah and 10h-12h supported */
        break;
    case 0x0A:
        r->bx = rtdata.kbd_id;
        break;
    default:
        break;
    }
}
