/* POST Memory Manager (PMM 1.01) and the PnP BIOS entry, both far-called
 * by option ROMs with their arguments on the caller's stack. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "std/optionrom.h"
#include "lib/far.h"
#include "lib/output.h"

#define PMM_ANON 0xFFFFFFFF

/* The caller's stack: far return address, then the function word (off 0),
 * then the arguments (off 2 on). */
static u16 arg16(struct bregs *r, u16 off) { return peek16(r->caller_ss, (u16)(r->caller_sp + 4 + off)); }
static u32 arg32(struct bregs *r, u16 off) { return peek32(r->caller_ss, (u16)(r->caller_sp + 4 + off)); }

static struct pmm_block *pmm_find(u32 handle)
{
    if (handle == PMM_ANON)
        return NULL;
    for (int i = 0; i < rtdata.pmm_count; i++)
        if (rtdata.pmm_blocks[i].handle == handle && rtdata.pmm_blocks[i].size)
            return &rtdata.pmm_blocks[i];
    return NULL;
}

/* Allocate size bytes aligned to align from a pool growing upwards. */
static u32 take_up(u32 *next, u32 end, u32 size, u32 align)
{
    u32 p = ALIGN_UP(*next, align);
    if (p < *next || p + size > end || p + size < p)
        return 0;
    *next = p + size;
    return p;
}

/* ... or from a pool growing downwards. */
static u32 take_down(u32 *next, u32 floor, u32 size, u32 align)
{
    if (size > *next)
        return 0;
    u32 p = ALIGN_DOWN(*next - size, align);
    if (p < floor)
        return 0;
    *next = p;
    return p;
}

static u32 largest(u16 flags)
{
    struct pmm_pools *p = &rtdata.pmm;
    u32 best = 0;
    bool perm = flags & PMM_FLAG_PERMANENT;
    if (flags & PMM_FLAG_CONV) {
        u32 n = perm ? p->low_next - MAX(p->low_floor, rtdata.rom_end) : p->conv_end - p->conv_next;
        if ((s32)n > (s32)best)
            best = n;
    }
    if (flags & PMM_FLAG_EXT) {
        u32 n = perm ? p->high_next - p->high_floor : p->ext_next - p->ext_floor;
        if (n > best)
            best = n;
    }
    return best >> 4;
}

static u32 pmm_allocate(u32 paras, u32 handle, u16 flags)
{
    struct pmm_pools *p = &rtdata.pmm;
    if (!(flags & (PMM_FLAG_CONV | PMM_FLAG_EXT)))
        return 0;
    if (!paras)
        return largest(flags);
    if (paras > 0x0FFFFFFF || pmm_find(handle) || rtdata.pmm_count >= MAX_PMM_BLOCKS)
        return 0;
    u32 size = paras << 4, align = 16;
    if (flags & PMM_FLAG_ALIGN)
        align = MAX(size & -size, 16u);
    bool perm = flags & PMM_FLAG_PERMANENT;
    u32 addr = 0;
    if (flags & PMM_FLAG_CONV) {
        if (perm)
            addr = take_down(&p->low_next, MAX(p->low_floor, rtdata.rom_end), size, align);
        else
            addr = take_up(&p->conv_next, p->conv_end, size, align);
    }
    if (!addr && (flags & PMM_FLAG_EXT)) {
        if (perm)
            addr = take_down(&p->high_next, p->high_floor, size, align);
        else
            addr = take_down(&p->ext_next, p->ext_floor, size, align);
    }
    if (!addr) {
        dprintf(LOG_WARN, "pmm: no room for %u bytes (flags %x)\n", size, flags);
        return 0;
    }
    struct pmm_block *b = &rtdata.pmm_blocks[rtdata.pmm_count++];
    b->handle = handle;
    b->addr = addr;
    b->size = size;
    dprintf(LOG_DEBUG, "pmm: %u bytes at %x (handle %x, flags %x)\n", size, addr, handle, flags);
    return addr;
}

static u32 pmm_deallocate(u32 addr)
{
    for (int i = 0; i < rtdata.pmm_count; i++) {
        struct pmm_block *b = &rtdata.pmm_blocks[i];
        if (b->addr == addr && b->size) {
            /* The most recent temporary block of a bump pool goes back. */
            if (addr == rtdata.pmm.conv_next - b->size)
                rtdata.pmm.conv_next = addr;
            else if (addr == rtdata.pmm.ext_next)
                rtdata.pmm.ext_next += b->size;
            b->size = 0;
            return 0;
        }
    }
    return 1;
}

void handle_pmm(struct bregs *r)
{
    u16 fn = arg16(r, 0);
    u32 res;
    if (!rtdata.pmm_active) {
        res = 0;
    } else if (fn == 0) {
        res = pmm_allocate(arg32(r, 2), arg32(r, 6), arg16(r, 10));
    } else if (fn == 1) {
        struct pmm_block *b = pmm_find(arg32(r, 2));
        res = b ? b->addr : 0;
    } else if (fn == 2) {
        res = pmm_deallocate(arg32(r, 2));
    } else {
        res = 0xFFFFFFFF;
    }
    r->ax = res;
    r->dx = res >> 16;
}

/* PnP BIOS real-mode entry: only function 60h (BBS version) is offered. */
void handle_pnp(struct bregs *r)
{
    u16 fn = arg16(r, 0);
    if (fn == 0x60) {
        u16 off = arg16(r, 2), seg = arg16(r, 4);
        poke16(seg, off, 0x0101);
        r->ax = 0;
        return;
    }
    r->ax = 0x82;       /* function not supported */
}
