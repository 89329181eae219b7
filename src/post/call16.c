/* Calling real-mode code from POST through the F-segment trampoline. */
#include "post/post.h"
#include "rtdata.h"
#include "lib/string.h"

extern void fx_call16_32(void);

struct c16_box {
    u32 edi, esi, ebp, ebx, edx, ecx, eax;
    u16 ds, es, fs, gs, flags, off, seg;
    u8 mode, pad;
    u32 esp32;
    u16 watchdog;
    u8 aborted, pad2;
} PACKED;
STATIC_ASSERT(sizeof(struct c16_box) == C16_SIZE, "mailbox layout used by fixed16.S");

#define BOX ((volatile struct c16_box *)(RT_ZONE + RT_C16_BOX))

static void do_call16(u16 seg, u16 off, u8 mode, struct bregs *r, u16 ticks)
{
    volatile struct c16_box *b = BOX;
    b->watchdog = ticks;
    b->aborted = 0;
    b->edi = r->edi; b->esi = r->esi; b->ebp = r->ebp; b->ebx = r->ebx;
    b->edx = r->edx; b->ecx = r->ecx; b->eax = r->eax;
    b->ds = r->ds; b->es = r->es; b->fs = r->fs; b->gs = r->gs;
    b->flags = r->flags;
    b->off = off;
    b->seg = seg;
    b->mode = mode;
    asm volatile("call *%0" : : "r"(fx_call16_32) : "memory", "cc");
    b->watchdog = 0;
    r->edi = b->edi; r->esi = b->esi; r->ebp = b->ebp; r->ebx = b->ebx;
    r->edx = b->edx; r->ecx = b->ecx; r->eax = b->eax;
    r->ds = b->ds; r->es = b->es; r->fs = b->fs; r->gs = b->gs;
    r->flags = b->flags;
}

void call16(u16 seg, u16 off, struct bregs *r)
{
    do_call16(seg, off, 0, r, 0);
}

void call16_int(u8 vec, struct bregs *r)
{
    u32 v = *(volatile u32 *)(vec * 4);
    do_call16(v >> 16, v & 0xFFFF, 1, r, 0);
}

/* The timer interrupt (INT 08h, src/rt/clock.c) counts the ticks down and,
 * at zero, sends the call to fx_c16_abort, which comes back here. A caller
 * that keeps interrupts off or masks the timer cannot be stopped. */
static u16 ms_to_ticks(u32 ms)
{
    /* One tick is 54.9 ms; the first may come at once. */
    u32 ticks = ms ? (ms * 10 + 548) / 549 + 1 : 0;
    return ticks > 0xFFFF ? 0xFFFF : ticks;
}

bool call16_limited(u16 seg, u16 off, struct bregs *r, u32 ms)
{
    do_call16(seg, off, 0, r, ms_to_ticks(ms));
    return !BOX->aborted;
}

bool call16_int_limited(u8 vec, struct bregs *r, u32 ms)
{
    u32 v = *(volatile u32 *)(vec * 4);
    do_call16(v >> 16, v & 0xFFFF, 1, r, ms_to_ticks(ms));
    return !BOX->aborted;
}
