/* Time: the timer tick (INT 08h), the RTC interrupt (INT 70h) and the
 * time-of-day services (INT 1Ah), plus the RTC-driven waits behind
 * INT 15h 83h/86h. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rt/pcibios.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/cmos.h"
#include "hw/pic.h"
#include "lib/far.h"
#include "lib/io.h"

/* INT 08h: IRQ0, 18.2 times a second. */
void handle_08(struct bregs *r)
{
    u32 t = bda32(BDA_TICKS) + 1;
    if (t >= TICKS_PER_DAY) {
        t = 0;
        bda_set8(BDA_MIDNIGHT, bda8(BDA_MIDNIGHT) + 1);
    }
    bda_set32(BDA_TICKS, t);
    u8 motor = bda8(BDA_FD_MOTOR_TICKS);
    if (motor) {
        if (!--motor) {
            bda_set8(BDA_FD_MOTOR, bda8(BDA_FD_MOTOR) & 0xF0);
            outb(0x0C, 0x3F2);
        }
        bda_set8(BDA_FD_MOTOR_TICKS, motor);
    }
    sercon_tick();
    struct bregs hook = *r;
    rt_call_int(0x1C, &hook);
    pic_eoi_master();
    /* POST's watchdog over option ROM code (post/call16.c). */
    volatile u16 *wd = (volatile u16 *)(RT_C16_BOX + C16_WATCHDOG);
    if (*wd && !--*wd) {
        extern char fx_c16_abort[];
        r->cs = 0xF000;
        r->ip = (u16)(u32)fx_c16_abort;
        r->flags &= ~F_IF;
    }
}

/* ---- RTC periodic interrupt: INT 15h 83h/86h waits ---- */
#define RTC_PERIOD_US 976       /* 1024 Hz */

void rtc_periodic(bool on)
{
    u8 b = cmos_read(CMOS_STATUS_B);
    cmos_write(CMOS_STATUS_B, on ? (b | 0x40) : (b & ~0x40));
    cmos_read(CMOS_STATUS_C);
}

/* INT 70h: IRQ8. */
void handle_70(struct bregs *r)
{
    u8 c = cmos_read(CMOS_STATUS_C);
    if ((c & 0x40) && (bda8(BDA_WAIT_ACTIVE) & 0x01)) {
        u32 left = bda32(BDA_WAIT_USEC);
        if (left > RTC_PERIOD_US) {
            bda_set32(BDA_WAIT_USEC, left - RTC_PERIOD_US);
        } else {
            bda_set32(BDA_WAIT_USEC, 0);
            bda_set8(BDA_WAIT_ACTIVE, 0x80);
            u32 p = bda32(BDA_WAIT_PTR);
            u16 seg = p >> 16, off = p;
            poke8(seg, off, peek8(seg, off) | 0x80);
            rtc_periodic(false);
        }
    }
    if (c & 0x20) {
        struct bregs hook = *r;
        rt_call_int(0x4A, &hook);
    }
    pic_eoi_slave();
}

/* Start an asynchronous wait: flag byte at seg:off gets bit 7 when done.
 * Returns false if a wait is already running. */
bool wait_start(u32 usec, u16 seg, u16 off)
{
    if (bda8(BDA_WAIT_ACTIVE) & 0x01)
        return false;
    bda_set32(BDA_WAIT_PTR, ((u32)seg << 16) | off);
    bda_set32(BDA_WAIT_USEC, usec);
    bda_set8(BDA_WAIT_ACTIVE, 0x01);
    rtc_periodic(true);
    return true;
}

void wait_cancel(void)
{
    bda_set8(BDA_WAIT_ACTIVE, 0);
    rtc_periodic(false);
}

/* ---- INT 1Ah ---- */
static bool rtc_ready(struct bregs *r)
{
    if (rtc_wait_stable())
        return true;
    set_cf(r);
    return false;
}

void handle_1a(struct bregs *r)
{
    switch (r->ah) {
    case 0x00:
        cli();
        r->cx = bda32(BDA_TICKS) >> 16;
        r->dx = bda32(BDA_TICKS);
        r->al = bda8(BDA_MIDNIGHT);
        bda_set8(BDA_MIDNIGHT, 0);
        clear_cf(r);
        break;
    case 0x01:
        bda_set32(BDA_TICKS, ((u32)r->cx << 16) | r->dx);
        bda_set8(BDA_MIDNIGHT, 0);
        clear_cf(r);
        break;
    case 0x02:
        if (!rtc_ready(r))
            break;
        r->dh = cmos_read(CMOS_SECONDS);
        r->cl = cmos_read(CMOS_MINUTES);
        r->ch = cmos_read(CMOS_HOURS);
        r->dl = cmos_read(CMOS_STATUS_B) & 0x01;
        r->ah = 0;
        clear_cf(r);
        break;
    case 0x03:
        if (!rtc_ready(r))
            break;
        cmos_write(CMOS_STATUS_B, cmos_read(CMOS_STATUS_B) | 0x80);
        cmos_write(CMOS_SECONDS, r->dh);
        cmos_write(CMOS_MINUTES, r->cl);
        cmos_write(CMOS_HOURS, r->ch);
        cmos_write(CMOS_STATUS_B, (cmos_read(CMOS_STATUS_B) & 0x7E) | 0x02 | (r->dl & 1));
        r->ah = 0;
        clear_cf(r);
        break;
    case 0x04:
        if (!rtc_ready(r))
            break;
        r->cl = cmos_read(CMOS_YEAR);
        r->dh = cmos_read(CMOS_MONTH);
        r->dl = cmos_read(CMOS_DAY);
        r->ch = cmos_read(CMOS_CENTURY);
        r->ah = 0;
        clear_cf(r);
        break;
    case 0x05:
        if (!rtc_ready(r))
            break;
        cmos_write(CMOS_STATUS_B, cmos_read(CMOS_STATUS_B) | 0x80);
        cmos_write(CMOS_YEAR, r->cl);
        cmos_write(CMOS_MONTH, r->dh);
        cmos_write(CMOS_DAY, r->dl);
        cmos_write(CMOS_CENTURY, r->ch);
        cmos_write(CMOS_STATUS_B, cmos_read(CMOS_STATUS_B) & 0x7F);
        r->ah = 0;
        clear_cf(r);
        break;
    case 0xB1:
        handle_1ab1(r);         /* PCI BIOS, src/rt/pcibios.c */
        break;
    case 0xBB:
        /* TCG/TPM: no TPM. Return with EAX untouched, as the TCG
         * specification asks of a BIOS without one. */
        break;
    default:
        set_cf(r);
        break;
    }
}
