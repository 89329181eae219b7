/* Shared declarations of the real-mode probe (gcc -m16, flat segment 0). */
#ifndef PROBE_H
#define PROBE_H

#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* Register image for intcall(); the layout is mirrored in probe_entry.S. */
struct probe_regs {
    u32 eax, ebx, ecx, edx, esi, edi, ebp;
    u32 eflags;
    u16 ds, es, fs, gs;
};

#define F_CF 0x0001
#define F_PF 0x0004
#define F_ZF 0x0040
#define F_IF 0x0200

void intcall(unsigned vector, struct probe_regs *r);
/* PUSHF + far CALL to seg:off (segment in the high word) instead of INT. */
void farcall(u32 segoff, struct probe_regs *r);

extern u8 probe_boot_drive;

/* What the body does, from the byte mkimage.py can set in its header. */
#define MODE_PROBE 0        /* call the services, print, exit */
#define MODE_KEYBOARD 1     /* the interactive keyboard script */
extern volatile u8 probe_mode;

/* INT 1Ch hook in probe_entry.S: counts calls, then chains to int1c_next. */
void int1c_hook(void);
extern volatile u32 int1c_next;
extern volatile u16 int1c_count;

/* Memory outside the 64 KiB the probe lives in, read through FS. */
static inline u8 peekb(u16 seg, u16 off)
{
    u8 v;
    asm volatile("movw %w1, %%fs\n\tmovb %%fs:(%2), %0"
                 : "=q"(v) : "r"(seg), "r"((u32)off) : "memory");
    return v;
}

static inline u16 peekw(u16 seg, u16 off)
{
    u16 v;
    asm volatile("movw %w1, %%fs\n\tmovw %%fs:(%2), %0"
                 : "=r"(v) : "r"(seg), "r"((u32)off) : "memory");
    return v;
}

static inline u32 peekl(u16 seg, u16 off)
{
    u32 v;
    asm volatile("movw %w1, %%fs\n\tmovl %%fs:(%2), %0"
                 : "=r"(v) : "r"(seg), "r"((u32)off) : "memory");
    return v;
}

static inline void pokeb(u16 seg, u16 off, u8 v)
{
    asm volatile("movw %w0, %%fs\n\tmovb %1, %%fs:(%2)"
                 : : "r"(seg), "q"(v), "r"((u32)off) : "memory");
}

static inline void pokel(u16 seg, u16 off, u32 v)
{
    asm volatile("movw %w0, %%fs\n\tmovl %1, %%fs:(%2)"
                 : : "r"(seg), "r"(v), "r"((u32)off) : "memory");
}

/* Wait for the next interrupt with interrupts enabled. */
static inline void idle(void)
{
    asm volatile("sti\n\thlt" : : : "memory");
}

static inline void outb(u16 port, u8 v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* The firmware's own log shares this port, hence the PROBE prefix. */
#define DEBUG_PORT 0x402
#define EXIT_PORT 0xf4

void *memset(void *d, int c, unsigned n);
void *memcpy(void *d, const void *s, unsigned n);
int memcmp(const void *a, const void *b, unsigned n);

/* One "PROBE <key>=<value>" line; fmt covers both, e.g. "x.y=%04x".
 * Conversions: %s %c %u and %x with an optional zero-padded width. */
void P(const char *fmt, ...);

#endif
