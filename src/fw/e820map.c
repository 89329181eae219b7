/* E820 memory map editor. */
#include "e820map.h"

static u64 entry_end(const struct e820_entry *x)
{
    return x->base + x->length;
}

static void set_entry(struct e820_entry *x, u64 base, u64 end, u32 type)
{
    x->base = base;
    x->length = end - base;
    x->type = type;
}

/* Replace [start, start+length) with `type` (add) or with nothing (!add);
 * a range running past 2^64 is clipped to end at 2^64 - 1. The entries that
 * overlap or touch the range give way to at most three: the part of the
 * first one left of it, the range itself, the part of the last one right of
 * it. When adding, a touching or overlapping neighbour of the same type is
 * absorbed into the range instead. The new count is known before anything
 * is written, so a failure leaves the map untouched. */
static int edit(struct e820_map *m, u64 start, u64 length, u32 type, bool add)
{
    struct e820_entry *e = m->e;
    u64 end = start + length, lbase = 0, rend = 0;
    u32 ltype = 0, rtype = 0;
    int lo, hi, n, i, count;
    bool keep_left = false, keep_right = false;

    if (end < start)
        end = ~0ULL;
    if (end <= start)
        return 0;
    for (lo = 0; lo < m->count && entry_end(&e[lo]) < start; lo++)
        ;
    for (hi = lo; hi < m->count && e[hi].base <= end; hi++)
        ;
    if (lo < hi) {
        const struct e820_entry *first = &e[lo], *last = &e[hi - 1];

        if (first->base < start) {
            if (add && first->type == type) {
                start = first->base;
            } else {
                keep_left = true;
                lbase = first->base;
                ltype = first->type;
            }
        }
        if (entry_end(last) > end) {
            if (add && last->type == type) {
                end = entry_end(last);
            } else {
                keep_right = true;
                rend = entry_end(last);
                rtype = last->type;
            }
        }
    }

    n = keep_left + add + keep_right;  /* entries that replace [lo, hi) */
    count = m->count - (hi - lo) + n;
    if (count > m->max)
        return -1;

    /* Move the untouched tail [hi, count) to start at lo + n. */
    if (lo + n > hi) {
        for (i = m->count - 1; i >= hi; i--)
            e[i + lo + n - hi] = e[i];
    } else if (lo + n < hi) {
        for (i = hi; i < m->count; i++)
            e[i + lo + n - hi] = e[i];
    }

    i = lo;
    if (keep_left)
        set_entry(&e[i++], lbase, start, ltype);
    if (add)
        set_entry(&e[i++], start, end, type);
    if (keep_right)
        set_entry(&e[i], end, rend, rtype);
    m->count = count;
    return 0;
}

int e820_add(struct e820_map *m, u64 base, u64 length, u32 type)
{
    return edit(m, base, length, type, true);
}

int e820_remove(struct e820_map *m, u64 base, u64 length)
{
    return edit(m, base, length, 0, false);
}

u64 e820_ram_total(const struct e820_map *m, u64 start, u64 end)
{
    u64 total = 0, lo, hi;
    int i;

    for (i = 0; i < m->count; i++) {
        if (m->e[i].type != E820_RAM)
            continue;
        lo = MAX(m->e[i].base, start);
        hi = MIN(entry_end(&m->e[i]), end);
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

u64 e820_find_ram_top(const struct e820_map *m, u64 limit)
{
    u64 top = 0, end;
    int i;

    for (i = 0; i < m->count; i++) {
        if (m->e[i].type != E820_RAM || m->e[i].base >= limit)
            continue;
        end = MIN(entry_end(&m->e[i]), limit);
        if (end > top)
            top = end;
    }
    return top;
}

static u64 get_le(const u8 *p, int bytes)
{
    u64 v = 0;

    while (bytes--)
        v = (v << 8) | p[bytes];
    return v;
}

int e820_parse_qemu(struct e820_map *m, const void *data, u32 size)
{
    const u8 *p = data;
    int taken = 0;
    u64 base, length;

    if (!p)
        return size ? -1 : 0;
    for (; size >= 20; size -= 20, p += 20) {
        base = get_le(p, 8);
        length = get_le(p + 8, 8);
        if (!length)
            continue;
        if (e820_add(m, base, length, (u32)get_le(p + 16, 4)) < 0)
            return -1;
        taken++;
    }
    return taken;
}
