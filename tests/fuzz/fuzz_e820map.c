/* Fuzz target: the E820 map editor (src/fw/e820map.c).
 *
 * Input: the map's capacity (u8, 1-32), then operations until the input
 * runs out. Each operation is a kind byte and its operands:
 *   kind % 4 == 0: e820_add(base, length, type)
 *   kind % 4 == 1: e820_remove(base, length)
 *   kind % 4 == 2: e820_parse_qemu() of the next (kind >> 2) * 4 bytes
 *                  (whole and partial 20-byte records)
 *   kind % 4 == 3: e820_add() with a type from 1-7
 * Bits 2-3 of add/remove choose how base and length are read: 16-bit
 * values in 4 KiB units (so ranges overlap often), full 64-bit values,
 * or values near the top of the address space (so they wrap).
 *
 * Every result is compared with a simple model that keeps a type per
 * elementary interval between all the boundaries seen so far: after each
 * step the map must equal the model's canonical form (sorted, no overlap,
 * no zero length, touching entries of one type merged), a failed edit
 * must leave the map exactly as it was and fail only when the result
 * would not fit, and e820_ram_total()/e820_find_ram_top() must agree with
 * the model. */
#include "fuzz_input.h"
#include "fw/e820map.h"

#define NONE 0x100000000ull     /* "not in the map" (every u32 is a type) */
#define MAXPTS 256

/* Model: pts[0] < pts[1] < ... < pts[npts-1]; type[i] covers
 * [pts[i], pts[i+1]), the last point's type is always NONE, and no two
 * neighbouring intervals have one type (points that separate nothing are
 * dropped). The last point may be 2^64 - 1 (ranges are clipped there,
 * like the editor does). */
struct model {
    u64 pts[MAXPTS];
    u64 type[MAXPTS];
    int npts;
};

static int find_or_insert(struct model *m, u64 x)
{
    int i = 0;
    while (i < m->npts && m->pts[i] < x)
        i++;
    if (i < m->npts && m->pts[i] == x)
        return i;
    FUZZ_ASSERT(m->npts < MAXPTS);
    memmove(&m->pts[i + 1], &m->pts[i], (m->npts - i) * sizeof(u64));
    memmove(&m->type[i + 1], &m->type[i], (m->npts - i) * sizeof(u64));
    m->pts[i] = x;
    /* The new point splits an interval: both halves keep its type. */
    m->type[i] = i > 0 ? m->type[i - 1] : NONE;
    m->npts++;
    return i;
}

static void model_set(struct model *m, u64 start, u64 length, u64 type)
{
    u64 end = start + length;
    if (end < start)
        end = ~0ull;
    if (end <= start)
        return;
    int a = find_or_insert(m, start);
    int b = find_or_insert(m, end);
    a = find_or_insert(m, start);       /* indices may have moved */
    for (int i = a; i < b; i++)
        m->type[i] = type;
    /* Drop the points that no longer separate two types. */
    int n = 0;
    for (int i = 0; i < m->npts; i++) {
        u64 prev = n ? m->type[n - 1] : NONE;
        if (m->type[i] == prev)
            continue;
        m->pts[n] = m->pts[i];
        m->type[n] = m->type[i];
        n++;
    }
    m->npts = n;
}

/* The canonical map the model describes. */
static int model_entries(const struct model *m, struct e820_entry *out, int cap)
{
    int n = 0;
    for (int i = 0; i + 1 < m->npts; i++) {
        if (m->type[i] == NONE)
            continue;
        u64 s = m->pts[i], e = m->pts[i + 1];
        if (n && out[n - 1].type == m->type[i] && out[n - 1].base + out[n - 1].length == s) {
            out[n - 1].length += e - s;
            continue;
        }
        if (n < cap) {
            out[n].base = s;
            out[n].length = e - s;
            out[n].type = (u32)m->type[i];
        }
        n++;
    }
    return n;
}

static void check_well_formed(const struct e820_map *map)
{
    FUZZ_ASSERT(map->count >= 0 && map->count <= map->max);
    for (int i = 0; i < map->count; i++) {
        const struct e820_entry *e = &map->e[i];
        FUZZ_ASSERT(e->length != 0);
        FUZZ_ASSERT(e->base + e->length > e->base);       /* no wrap */
        if (i) {
            const struct e820_entry *p = &map->e[i - 1];
            u64 pend = p->base + p->length;
            FUZZ_ASSERT(p->base < e->base);
            FUZZ_ASSERT(pend <= e->base);
            FUZZ_ASSERT(!(pend == e->base && p->type == e->type));
        }
    }
}

static struct e820_entry want[1024];

static void check_against(const struct e820_map *map, const struct model *m)
{
    int n = model_entries(m, want, 1024);
    FUZZ_ASSERT(n == map->count);
    for (int i = 0; i < n; i++) {
        FUZZ_ASSERT(map->e[i].base == want[i].base);
        FUZZ_ASSERT(map->e[i].length == want[i].length);
        FUZZ_ASSERT(map->e[i].type == want[i].type);
    }
}

static u64 model_ram(const struct model *m, u64 start, u64 end)
{
    u64 total = 0;
    for (int i = 0; i + 1 < m->npts; i++) {
        if (m->type[i] != E820_RAM)
            continue;
        u64 lo = MAX(m->pts[i], start), hi = MIN(m->pts[i + 1], end);
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}

static u64 model_top(const struct model *m, u64 limit)
{
    u64 top = 0;
    for (int i = 0; i + 1 < m->npts; i++) {
        if (m->type[i] != E820_RAM || m->pts[i] >= limit)
            continue;
        u64 e = MIN(m->pts[i + 1], limit);
        top = MAX(top, e);
    }
    return top;
}

/* Operands in one of three shapes (see the top of the file). */
static void operands(struct fin *f, u8 shape, u64 *base, u64 *length)
{
    switch (shape & 3) {
    case 0:
    case 1:
        *base = (u64)fin_u16(f) << 12;
        *length = (u64)fin_u16(f) << 12;
        break;
    case 2:
        *base = fin_u64(f);
        *length = fin_u64(f);
        break;
    default:
        *base = ~0ull - ((u64)fin_u16(f) << 12);
        *length = (u64)fin_u16(f) << 12;
        break;
    }
}

/* Apply the same edit to the map and, if it succeeded, to the model. */
static void edit(struct e820_map *map, struct model *m, u64 base, u64 length, u64 type,
                 bool add)
{
    static struct e820_entry before[64];
    int before_count = map->count;
    memcpy(before, map->e, sizeof(before));

    struct model next = *m;
    model_set(&next, base, length, add ? type : NONE);
    int need = model_entries(&next, want, 1024);

    int r = add ? e820_add(map, base, length, (u32)type) : e820_remove(map, base, length);
    FUZZ_ASSERT(r == 0 || r == -1);
    if (r < 0) {
        FUZZ_ASSERT(need > map->max);
        FUZZ_ASSERT(map->count == before_count);
        FUZZ_ASSERT(!memcmp(before, map->e, sizeof(before)));
    } else {
        FUZZ_ASSERT(need <= map->max);
        *m = next;
    }
    check_well_formed(map);
    check_against(map, m);
}

static struct model model;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin f = { data, size };
    struct e820_entry *store = malloc(64 * sizeof(*store));
    if (!store)
        abort();
    memset(store, 0xA5, 64 * sizeof(*store));
    struct e820_map map = { store, 0, 1 + fin_u8(&f) % 32 };
    model.npts = 0;

    for (int step = 0; step < 64 && f.n; step++) {
        u8 kind = fin_u8(&f);
        u64 base, length;
        switch (kind & 3) {
        case 0:
            operands(&f, kind >> 2, &base, &length);
            edit(&map, &model, base, length, fin_u32(&f), true);
            break;
        case 1:
            operands(&f, kind >> 2, &base, &length);
            edit(&map, &model, base, length, 0, false);
            break;
        case 3:
            operands(&f, kind >> 2, &base, &length);
            edit(&map, &model, base, length, 1 + fin_u8(&f) % 7, true);
            break;
        default: {
            size_t got;
            const u8 *rec = fin_bytes(&f, (size_t)(kind >> 2) * 4, &got);
            u8 *copy = fin_dup(rec, got);
            /* Expected: the records in order through the model, until
             * one does not fit. */
            struct model next = model;
            int applied = 0, expect = 0;
            struct fin r = { copy, got };
            for (size_t left = got; left >= 20; left -= 20) {
                u64 b = fin_u64(&r), l = fin_u64(&r);
                u32 t = fin_u32(&r);
                if (!l)
                    continue;
                struct model tryit = next;
                model_set(&tryit, b, l, t);
                if (model_entries(&tryit, want, 1024) > map.max) {
                    expect = -1;
                    break;
                }
                next = tryit;
                applied++;
            }
            int got_r = e820_parse_qemu(&map, copy, (u32)got);
            FUZZ_ASSERT(got_r == (expect < 0 ? -1 : applied));
            model = next;
            check_well_formed(&map);
            check_against(&map, &model);
            free(copy);
            break;
        }
        }
        u64 lim = (u64)fin_u16(&f) << 20;
        FUZZ_ASSERT(e820_ram_total(&map, 0, lim) == model_ram(&model, 0, lim));
        FUZZ_ASSERT(e820_ram_total(&map, 0x100000000ull, ~0ull)
                    == model_ram(&model, 0x100000000ull, ~0ull));
        FUZZ_ASSERT(e820_find_ram_top(&map, lim) == model_top(&model, lim));
        FUZZ_ASSERT(e820_find_ram_top(&map, 0x100000000ull) == model_top(&model, 0x100000000ull));
    }
    /* Nothing written past count (the rest of the store still A5). */
    for (int i = map.count; i < 64; i++)
        FUZZ_ASSERT(((u8 *)&store[i])[0] == 0xA5 || i < map.max);
    FUZZ_ASSERT(e820_parse_qemu(&map, NULL, 20) == -1);
    FUZZ_ASSERT(e820_parse_qemu(&map, NULL, 0) == 0);
    free(store);
    return 0;
}
