/* Reading a fuzzer's input as a stream of little-endian fields. Reads past
 * the end give zeros, so every input, however short, is a valid one. */
#ifndef KELP_FUZZ_INPUT_H
#define KELP_FUZZ_INPUT_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/types.h"

struct fin {
    const u8 *p;
    size_t n;
};

static inline u8 fin_u8(struct fin *f)
{
    if (!f->n)
        return 0;
    f->n--;
    return *f->p++;
}

static inline u16 fin_u16(struct fin *f)
{
    u16 lo = fin_u8(f);
    return lo | (u16)(fin_u8(f) << 8);
}

static inline u32 fin_u32(struct fin *f)
{
    u32 lo = fin_u16(f);
    return lo | ((u32)fin_u16(f) << 16);
}

static inline u64 fin_u64(struct fin *f)
{
    u64 lo = fin_u32(f);
    return lo | ((u64)fin_u32(f) << 32);
}

/* Up to want bytes; *got says how many there were. */
static inline const u8 *fin_bytes(struct fin *f, size_t want, size_t *got)
{
    const u8 *p = f->p;
    *got = want < f->n ? want : f->n;
    f->p += *got;
    f->n -= *got;
    return p;
}

/* A heap copy of exactly len bytes (at least one byte is allocated, none
 * of it readable past len), so AddressSanitizer sees any read beyond. */
static inline u8 *fin_dup(const u8 *p, size_t len)
{
    u8 *d = malloc(len ? len : 1);
    if (!d)
        abort();
    if (len)
        memcpy(d, p, len);
    return d;
}

static inline u8 fz_sum8(const void *p, size_t len)
{
    const u8 *b = p;
    u8 s = 0;
    while (len--)
        s += *b++;
    return s;
}

/* An oracle failed: abort, so libFuzzer keeps the input as a crash. */
#define FUZZ_ASSERT(c) do { if (!(c)) fuzz_fail(#c, __FILE__, __LINE__); } while (0)
void fuzz_fail(const char *what, const char *file, int line) __attribute__((noreturn));
#endif
