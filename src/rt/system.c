/* INT 15h: system services. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "fw/e820map.h"
#include "hw/timer.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/output.h"

#define RET_UNSUPPORTED 0x86
#define RET_BUSY 0x83

void rt_block_move(u16 gdt_seg, u16 gdt_off, u16 words);

static bool a20_get(void)
{
    return (inb(0x92) & 0x02) != 0;
}

static void a20_set(bool on)
{
    u8 v = inb(0x92) & ~0x03;
    outb(on ? v | 0x02 : v, 0x92);
}

/* KiB of RAM contiguous from 1 MiB, and 64 KiB blocks contiguous from
 * 16 MiB, as the E820 map has them. */
static u32 ram_run_from(u64 start)
{
    u64 end = start;
    for (int i = 0; i < rtdata.e820_count; i++) {
        struct e820_entry *e = &rtdata.e820[i];
        if (e->type == E820_RAM && e->base <= end && e->base + e->length > end)
            end = e->base + e->length;
    }
    if (end > 0x100000000ull)
        end = 0x100000000ull;
    return (u32)((end - start) >> 10);
}

static void e820_call(struct bregs *r)
{
    if (r->edx != 0x534D4150 || r->ecx < 20 || r->ebx >= rtdata.e820_count) {
        ret_err(r, RET_UNSUPPORTED);
        return;
    }
    far_write(r->es, r->di, &rtdata.e820[r->ebx], 20);
    r->ebx++;
    if (r->ebx >= rtdata.e820_count)
        r->ebx = 0;
    r->eax = 0x534D4150;
    r->ecx = 20;
    clear_cf(r);
}

void handle_15(struct bregs *r)
{
    switch (r->ah) {
    case 0x24:
        switch (r->al) {
        case 0x00:
        case 0x01:
            a20_set(r->al);
            r->ah = 0;
            clear_cf(r);
            return;
        case 0x02:
            r->al = a20_get();
            r->ah = 0;
            clear_cf(r);
            return;
        case 0x03:
            r->bx = 0x0003;     /* through the KBC and port 92h */
            r->ah = 0;
            clear_cf(r);
            return;
        }
        break;
    case 0x4F:                  /* keyboard intercept: pass the key on */
        return;
    case 0x52:
    case 0x85:
    case 0x90:
    case 0x91:
        clear_cf(r);
        return;
    case 0x83:
        if (r->al == 0x01) {
            wait_cancel();
            clear_cf(r);
            return;
        }
        if (r->al == 0x00) {
            if (wait_start(((u32)r->cx << 16) | r->dx, r->es, r->bx))
                clear_cf(r);
            else
                ret_err(r, RET_BUSY);
            return;
        }
        break;
    case 0x86: {
        /* Busy-wait on the PM timer with interrupts open, so the timer
         * and keyboard keep running. */
        u32 us = ((u32)r->cx << 16) | r->dx;
        struct timeout t;
        timeout_start(&t, 0);
        t.left = us * 4 - us / 2;
        sti();
        while (!timeout_expired(&t))
            ;
        cli();
        clear_cf(r);
        return;
    }
    case 0x87: {
        if (r->cx > 0x8000) {
            ret_err(r, 0x01);
            return;
        }
        bool a20 = a20_get();
        a20_set(true);
        rt_block_move(r->es, r->si, r->cx);
        a20_set(a20);
        ret_ok(r);
        return;
    }
    case 0x88: {
        u32 kb = ram_run_from(0x100000);
        r->ax = kb > 0xFC00 ? 0xFC00 : kb;
        clear_cf(r);
        return;
    }
    case 0x53:
        handle_apm(r);
        return;
    case 0xC0:
        r->es = 0xF000;
        r->bx = 0xE6F5;
        ret_ok(r);
        return;
    case 0xC1:
        r->es = ebda_seg();
        clear_cf(r);
        return;
    case 0xE8:
        if (r->al == 0x01) {
            u32 kb = ram_run_from(0x100000);
            u32 low = kb > 15 * 1024 ? 15 * 1024 : kb;
            u32 high = kb > 15 * 1024 ? ram_run_from(0x1000000) >> 6 : 0;
            r->ax = r->cx = low;
            r->bx = r->dx = high > 0xFFFF ? 0xFFFF : high;
            clear_cf(r);
            return;
        }
        if (r->al == 0x20) {
            e820_call(r);
            return;
        }
        break;
    default:
        break;
    }
    ret_err(r, RET_UNSUPPORTED);
}
