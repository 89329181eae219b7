/* xen-sim: a stand-in for Xen's hvmloader on a plain QEMU -M pc machine.
 * Shared declarations. Everything runs in 32-bit flat protected mode but
 * the entry code (entry.S), which takes the constants only. */
#ifndef XSIM_H
#define XSIM_H

#ifndef __ASSEMBLER__

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed int s32;
typedef unsigned int size_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define PACKED __attribute__((packed))
#define NORETURN __attribute__((noreturn))
#endif /* !__ASSEMBLER__ */

/* ---- fixed places (the same numbers hvmloader uses) ---- */
#define INFO_ADDR        0x00001000u    /* the XenHVMSeaBIOS block */
#define SCRATCH_BASE     0x00010000u    /* low scratch allocations */
#define SCRATCH_END      0x00080000u
#define HYPERCALL_PAGE   0x00080000u
#define HVM_INFO_ADDR    0x0009F800u
#define BIOS_TOP         0x00100000u
#define BIOS_MAX         0x00040000u    /* 256 KiB: lowest load address C0000 */
#define MMIO_HOLE_START  0xF0000000u
#define MMIO_HOLE_END    0xFC000000u
#define XEN_RESERVED     0xFC000000u    /* Xen's reserved area runs to 4 GiB */
#define IOAPIC_BASE      0xFEC00000u
#define LAPIC_BASE       0xFEE00000u
#define IOAPIC_ID        1
#define PM_IO_BASE       0xB000         /* where Xen puts the ACPI PM block */

/* The table area: the top of QEMU's low RAM stands in for Xen's
 * FC000000-FE000000 (which is MMIO on QEMU). Its first MiB plays the
 * ACPI part (info page, then tables from +0x1000), the second MiB the
 * hvmloader "mem_alloc" part (SMBIOS structures, MP table). */
#define AREA_SIZE        0x00200000u
#define AREA_ACPI_OFF    0x00001000u
#define AREA_MISC_OFF    0x00100000u

/* The PCI functions hvmloader treats specially. */
#define PCI_DEVFN(d, f)  (((d) << 3) | (f))
#define HOST_DEVFN       PCI_DEVFN(0, 0)
#define ISA_DEVFN        PCI_DEVFN(1, 0)
#define PM_DEVFN         PCI_DEVFN(1, 3)    /* PIIX4 power management */
#define PCI_CFG(devfn, reg) (0x80000000 | ((devfn) << 8) | (reg))   /* for 0xCF8 */
#define PCI_ISA_IRQ_MASK 0x0C20u        /* IRQs 5, 10 and 11 */

/* Marker: the last I/O write the simulator makes before the hand-off. A
 * dword to an otherwise unused port, so a trace can tell the simulator's
 * own accesses from the loaded BIOS's. */
#define MARKER_PORT      0x0F0C
#define MARKER_VALUE     0x5853494D     /* "MISX" little-endian, "XSIM" */

/* Fatal errors end QEMU through isa-debug-exit if present: status 253. */
#define EXIT_PORT        0xF4
#define EXIT_FAIL        0x7E

/* CMOS shutdown status byte; QEMU's RTC sets it to FEh on S3 suspend. */
#define CMOS_SHUTDOWN    0x0F
#define CMOS_S3_RESUME   0xFE

#ifndef __ASSEMBLER__
/* ---- port and memory access ---- */
static inline void outb(u16 port, u8 v) { asm volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { asm volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { asm volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u16 inw(u16 port) { u16 v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline u32 rd32(u32 addr) { return *(volatile u32 *)addr; }
static inline void wr32(u32 addr, u32 v) { *(volatile u32 *)addr = v; }

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
    asm volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline u64 rdtsc(void)
{
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}
static inline u32 bswap32(u32 v) { return __builtin_bswap32(v); }
static inline u16 bswap16(u16 v) { return __builtin_bswap16(v); }

/* ---- lib.c ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *d, const char *s);
u8 checksum8(const void *p, size_t n);
void log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void NORETURN fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
u64 udiv64(u64 n, u32 d);

/* Bump allocators: low scratch (hvmloader's scratch_alloc) and the high
 * table area (hvmloader's mem_alloc). Zeroed memory, 16-byte alignment at
 * least. */
void *scratch_alloc(u32 size, u32 align);
void *area_alloc(u32 size, u32 align);
void *acpi_alloc(u32 size, u32 align);
extern u32 area_base, acpi_top;

/* ---- pci.c ---- */
u32 pci_read32(u32 devfn, u32 reg);
u16 pci_read16(u32 devfn, u32 reg);
u8 pci_read8(u32 devfn, u32 reg);
void pci_write32(u32 devfn, u32 reg, u32 v);
void pci_write16(u32 devfn, u32 reg, u16 v);
void pci_write8(u32 devfn, u32 reg, u8 v);
void pci_setup(u32 low_ram_end, u64 high_ram_end);
extern u32 pci_mem_start;
extern u64 pci_hi_mem_start, pci_hi_mem_end;

/* ---- fwcfg.c ---- */
bool fwcfg_init(void);
int fwcfg_find(const char *name, u16 *select);       /* size, or -1 */
void fwcfg_read(u16 select, void *dst, u32 len);
void fwcfg_write_at(u16 select, u32 offset, const void *src, u32 len);
u32 fwcfg_read_u32(u16 select);
u16 fwcfg_read_u16(u16 select);
/* "opt/xen-sim/<name>" as a small string; def when absent. */
const char *fwcfg_option(const char *name, const char *def);

/* ---- tables.c ---- */
struct cpu_list { u32 count; u8 apic_id[255]; };
u32 smbios_build(const struct cpu_list *cpus, u64 ram_bytes, u32 cpu_mhz);
u32 mptable_build(const struct cpu_list *cpus);
u32 pir_build(void);

/* ---- acpi.c ---- */
u32 acpi_load_qemu_tables(void);         /* RSDP address, 0 on failure */
void acpi_cpus(u32 rsdp, struct cpu_list *cpus);

/* ---- entry.S ---- */
void NORETURN xsim_handoff(void);

#endif /* !__ASSEMBLER__ */
#endif
