/* Fixed-width types and small helpers shared by every part of Kelp:
 * the 32-bit POST, the 16-bit runtime and the host unit tests. */
#ifndef KELP_TYPES_H
#define KELP_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#ifndef __cplusplus
#ifndef KELP_HOST
typedef unsigned int size_t;
#define NULL ((void *)0)
typedef _Bool bool;
#define true 1
#define false 0
#else
#include <stddef.h>
#include <stdbool.h>
#endif
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define PACKED __attribute__((packed))
#define NORETURN __attribute__((noreturn))
#define UNUSED __attribute__((unused))
#define STATIC_ASSERT(c, msg) _Static_assert(c, msg)

#endif
