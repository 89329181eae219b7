#include "post/alloc.h"
#include "post/post.h"
#include "fw/e820map.h"
#include "layout.h"
#include "lib/string.h"
#include "lib/output.h"

#define HIGH_ZONE_MAX (1024 * 1024)

extern char rt_code_end_lin[];
static u32 fseg_next, fseg_end;
static u32 high_top, high_next, high_floor;

void alloc_init(void)
{
    fseg_next = ALIGN_UP((u32)rt_code_end_lin, 16);
    fseg_end = 0xF0000 + FIXED_OFF;
    memset((void *)fseg_next, 0, fseg_end - fseg_next);
    high_top = high_next = ram_below_4g;
    high_floor = ram_below_4g > HIGH_ZONE_MAX + 0x200000 ? ram_below_4g - HIGH_ZONE_MAX : 0x200000;
}

u32 fseg_free(void)
{
    return fseg_end - fseg_next;
}

void *fseg_alloc(u32 size, u32 align)
{
    u32 p = ALIGN_UP(fseg_next, align ? align : 1);
    if (p + size > fseg_end || p + size < p) {
        dprintf(LOG_ERR, "alloc: F-segment pool exhausted (%u bytes wanted)\n", size);
        return NULL;
    }
    fseg_next = p + size;
    memset((void *)p, 0, size);
    return (void *)p;
}

void *high_alloc(u32 size, u32 align)
{
    if (size > high_next) {
        dprintf(LOG_ERR, "alloc: high zone exhausted (%u bytes wanted)\n", size);
        return NULL;
    }
    u32 p = ALIGN_DOWN(high_next - size, align ? align : 1);
    if (p < high_floor) {
        dprintf(LOG_ERR, "alloc: high zone exhausted (%u bytes wanted)\n", size);
        return NULL;
    }
    high_next = p;
    memset((void *)p, 0, size);
    return (void *)p;
}

void *high_shrink(void *block, u32 size, u32 new_size, u32 align)
{
    u32 p = (u32)block;
    if (p != high_next || new_size > size)
        return NULL;                    /* only the last block, only smaller */
    u32 q = ALIGN_DOWN(p + size - new_size, align ? align : 1);
    if (q <= p)
        return NULL;
    memmove((void *)q, block, new_size);
    high_next = q;
    return (void *)q;
}

void alloc_finalize(void)
{
    if (high_next == high_top)
        return;
    u32 base = ALIGN_DOWN(high_next, 4096);
    memmap_reserve(base, high_top - base);
    dprintf(LOG_INFO, "alloc: %u KiB of tables at the top of RAM, %u bytes free in the F-segment\n",
            (high_top - base) >> 10, fseg_free());
}
