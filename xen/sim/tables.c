/* xen-sim: the BIOS tables hvmloader writes for a SeaBIOS-type BIOS:
 * SMBIOS 2.4, the MP table and $PIR. The contents follow hvmloader's
 * (xen: tools/firmware/hvmloader/smbios.c, mp_tables.c, pir.c); the
 * entry points live in low scratch memory (SMBIOS, $PIR) or in the table
 * area (MP floating pointer and its configuration table). */
#include "xsim.h"

/* What this stand-in reports as "the Xen version". */
#define XEN_MAJOR 4
#define XEN_MINOR 17
#define XEN_VERSION_STR "4.17-xen-sim"
#define SMBIOS_DATE "01/01/2023"

/* ---- a small writer for structures with trailing strings ---- */

struct out {
    u8 *base, *p;
};

static void put8(struct out *o, u8 v) { *o->p++ = v; }
static void put16(struct out *o, u16 v) { put8(o, (u8)v); put8(o, (u8)(v >> 8)); }
static void put32(struct out *o, u32 v) { put16(o, (u16)v); put16(o, (u16)(v >> 16)); }
static void putn(struct out *o, const void *s, u32 n) { memcpy(o->p, s, n); o->p += n; }

struct smbios {
    struct out o;
    u8 *start;          /* current structure */
    u32 count, max;
};

static void sm_begin(struct smbios *s, u8 type, u8 length, u16 handle)
{
    s->start = s->o.p;
    put8(&s->o, type);
    put8(&s->o, length);
    put16(&s->o, handle);
}

/* Ends the formatted part (checked against the header's length) and
 * appends the strings; a structure without strings ends in two NULs. */
static void sm_end(struct smbios *s, const char *const *strings, unsigned n)
{
    if (s->o.p - s->start != s->start[1])
        fail("SMBIOS type %u: wrote %u bytes, header says %u\n", s->start[0],
             (u32)(s->o.p - s->start), s->start[1]);
    for (unsigned i = 0; i < n; i++)
        putn(&s->o, strings[i], strlen(strings[i]) + 1);
    if (!n)
        put8(&s->o, 0);
    put8(&s->o, 0);
    u32 size = s->o.p - s->start;
    if (size > s->max)
        s->max = size;
    s->count++;
}

static void cpu_vendor(char *buf)
{
    u32 a, v[3];
    cpuid(0, &a, &v[0], &v[2], &v[1]);
    if (!memcmp(v, "GenuineIntel", 12))
        strcpy(buf, "Intel");
    else if (!memcmp(v, "AuthenticAMD", 12))
        strcpy(buf, "AMD");
    else
        strcpy(buf, "unknown");
}

static void uuid_string(char *buf, const u8 *uuid)
{
    char *p = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        p += snprintf(p, 3, "%02x", uuid[i]);
    }
    *p = 0;
}

u32 smbios_build(const struct cpu_list *cpus, u64 ram_bytes, u32 cpu_mhz)
{
    u8 *ep = scratch_alloc(0x1F, 16);
    /* The structures go to the table area; 4 KiB plus room per CPU. */
    u32 room = 4096 + cpus->count * 64;
    struct smbios s = { { NULL, NULL }, NULL, 0, 0 };
    s.o.base = s.o.p = area_alloc(room, 16);

    u8 uuid[16];
    fwcfg_read(0x0002, uuid, 16);           /* QEMU's -uuid (zero if none) */
    char uuid_str[40], vendor[16];
    uuid_string(uuid_str, uuid);
    cpu_vendor(vendor);
    u32 mem_mb = (u32)((ram_bytes + (1u << 20) - 1) >> 20);

    /* Type 0: BIOS information */
    sm_begin(&s, 0, 24, 0x0000);
    put8(&s.o, 1);                  /* vendor */
    put8(&s.o, 2);                  /* version */
    put16(&s.o, 0xE800);            /* start segment */
    put8(&s.o, 3);                  /* release date */
    put8(&s.o, 0);                  /* ROM size */
    u8 chars[8] = { 0x80, 0, 0x08, 0, 0, 0, 0, 0 };   /* PCI; EDD */
    putn(&s.o, chars, 8);
    put8(&s.o, 0);
    put8(&s.o, 0x04);               /* targeted content distribution */
    put8(&s.o, XEN_MAJOR);
    put8(&s.o, XEN_MINOR);
    put8(&s.o, 0xFF);               /* no embedded controller */
    put8(&s.o, 0xFF);
    const char *t0[] = { "Xen", XEN_VERSION_STR, SMBIOS_DATE };
    sm_end(&s, t0, 3);

    /* Type 1: system information */
    sm_begin(&s, 1, 27, 0x0100);
    put8(&s.o, 1);
    put8(&s.o, 2);
    put8(&s.o, 3);
    put8(&s.o, 4);
    putn(&s.o, uuid, 16);
    put8(&s.o, 0x06);               /* woken by the power switch */
    put8(&s.o, 0);
    put8(&s.o, 0);
    const char *t1[] = { "Xen", "HVM domU", XEN_VERSION_STR, uuid_str };
    sm_end(&s, t1, 4);

    /* Type 3: enclosure */
    sm_begin(&s, 3, 13, 0x0300);
    put8(&s.o, 1);
    put8(&s.o, 0x01);               /* other */
    put8(&s.o, 0);
    put8(&s.o, 0);
    put8(&s.o, 0);
    put8(&s.o, 0x03);               /* boot-up, power, thermal: safe */
    put8(&s.o, 0x03);
    put8(&s.o, 0x03);
    put8(&s.o, 0x02);               /* security: unknown */
    const char *t3[] = { "Xen" };
    sm_end(&s, t3, 1);

    /* Type 4: one per CPU, numbered from 1 */
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    for (u32 n = 1; n <= cpus->count; n++) {
        char socket[16];
        snprintf(socket, sizeof(socket), "CPU %u", n);
        sm_begin(&s, 4, 26, 0x0400 + n);
        put8(&s.o, 1);
        put8(&s.o, 0x03);           /* central processor */
        put8(&s.o, 0x01);           /* family: other */
        put8(&s.o, 2);
        put32(&s.o, a);
        put32(&s.o, d);
        put8(&s.o, 0);
        put8(&s.o, 0);
        put16(&s.o, 0);
        put16(&s.o, cpu_mhz);
        put16(&s.o, cpu_mhz);
        put8(&s.o, 0x41);           /* populated, enabled */
        put8(&s.o, 0x01);
        const char *t4[] = { socket, vendor };
        sm_end(&s, t4, 2);
    }

    /* Type 11: OEM strings (hvmloader always has at least one) */
    sm_begin(&s, 11, 5, 0x0B00);
    put8(&s.o, 1);
    const char *t11[] = { "Xen" };
    sm_end(&s, t11, 1);

    /* Types 16, 17, 19, 20: one memory device per started 16 GiB */
    u32 ndev = (mem_mb + 0x3FFF) >> 14;
    sm_begin(&s, 16, 15, 0x1000);
    put8(&s.o, 0x01);               /* location: other */
    put8(&s.o, 0x03);               /* system memory */
    put8(&s.o, 0x06);               /* multi-bit ECC */
    put32(&s.o, mem_mb * 1024);     /* KiB */
    put16(&s.o, 0xFFFE);
    put16(&s.o, ndev);
    sm_end(&s, NULL, 0);
    for (u32 i = 0; i < ndev; i++) {
        u32 dev_mb = 0x4000;
        if (i == ndev - 1 && (mem_mb & 0x3FFF))
            dev_mb = mem_mb & 0x3FFF;
        char dimm[16];
        snprintf(dimm, sizeof(dimm), "DIMM %u", i);
        sm_begin(&s, 17, 21, 0x1100 + i);
        put16(&s.o, 0x1000);
        put16(&s.o, 0);
        put16(&s.o, 64);
        put16(&s.o, 64);
        put16(&s.o, dev_mb);
        put8(&s.o, 0x09);           /* DIMM */
        put8(&s.o, 0);
        put8(&s.o, 1);
        put8(&s.o, 0);
        put8(&s.o, 0x07);           /* RAM */
        put16(&s.o, 0);
        const char *t17[] = { dimm };
        sm_end(&s, t17, 1);

        u32 start_kb = i << 24, end_kb = start_kb + (dev_mb << 10) - 1;
        sm_begin(&s, 19, 15, 0x1300 + i);
        put32(&s.o, start_kb);
        put32(&s.o, end_kb);
        put16(&s.o, 0x1000);
        put8(&s.o, 1);
        sm_end(&s, NULL, 0);

        sm_begin(&s, 20, 19, 0x1400 + i);
        put32(&s.o, start_kb);
        put32(&s.o, end_kb);
        put16(&s.o, 0x1100 + i);
        put16(&s.o, 0x1300 + i);
        put8(&s.o, 1);
        put8(&s.o, 0);
        put8(&s.o, 0);
        sm_end(&s, NULL, 0);
    }

    /* Type 32: boot status, then the end marker */
    sm_begin(&s, 32, 11, 0x2000);
    for (int i = 0; i < 7; i++)
        put8(&s.o, 0);
    sm_end(&s, NULL, 0);
    sm_begin(&s, 127, 4, 0x7F00);
    sm_end(&s, NULL, 0);

    u32 length = s.o.p - s.o.base;
    if (length > room)
        fail("SMBIOS structures overflow (%u bytes)\n", length);

    struct out e = { ep, ep };
    putn(&e, "_SM_", 4);
    put8(&e, 0);                    /* checksum, below */
    put8(&e, 0x1F);
    put8(&e, 2);
    put8(&e, 4);
    put16(&e, s.max);
    put8(&e, 0);                    /* entry point revision */
    e.p += 5;                       /* formatted area */
    putn(&e, "_DMI_", 5);
    put8(&e, 0);
    put16(&e, length);
    put32(&e, (u32)s.o.base);
    put16(&e, s.count);
    put8(&e, 0x24);
    ep[4] = -checksum8(ep, 0x10);
    ep[0x15] = -checksum8(ep + 0x10, 0x0F);
    log("SMBIOS 2.4: entry point %x, %u structures (%u bytes) at %x\n", (u32)ep, s.count,
        length, (u32)s.o.base);
    return (u32)ep;
}

/* ---- MP table ---- */

u32 mptable_build(const struct cpu_list *cpus)
{
    u32 n = cpus->count;
    u32 size = 16 + 44 + 20 * n + 8 + 8 + 16 * 8;
    u8 *fp = area_alloc(size, 16);
    u8 *cfg = fp + 16;
    struct out o = { cfg, cfg + 44 };
    u8 ioapic_ver = 0x11;

    wr32(IOAPIC_BASE, 0x01);
    ioapic_ver = rd32(IOAPIC_BASE + 0x10) & 0xFF;

    for (u32 i = 0; i < n; i++) {
        put8(&o, 0);                        /* processor */
        put8(&o, cpus->apic_id[i]);
        put8(&o, 0x11);                     /* local APIC version */
        put8(&o, i == 0 ? 3 : 1);           /* enabled, BSP */
        put32(&o, 0x600);                   /* family 6, as hvmloader says */
        put32(&o, (1u << 0) | (1u << 9));   /* FPU, APIC */
        put32(&o, 0);
        put32(&o, 0);
    }
    put8(&o, 1);                            /* bus 0: ISA */
    put8(&o, 0);
    putn(&o, "ISA   ", 6);
    put8(&o, 2);                            /* the I/O APIC */
    put8(&o, IOAPIC_ID);
    put8(&o, ioapic_ver);
    put8(&o, 1);
    put32(&o, IOAPIC_BASE);
    /* pin 0: the 8259's ExtINT (virtual wire through the I/O APIC) */
    put8(&o, 3);
    put8(&o, 3);
    put16(&o, 0);
    put8(&o, 0);
    put8(&o, 0);
    put8(&o, IOAPIC_ID);
    put8(&o, 0);
    /* ISA IRQs 0-15 but the cascade; IRQ 0 on pin 2; the PCI IRQs
     * level-triggered, active low */
    for (u32 irq = 0; irq < 16; irq++) {
        if (irq == 2)
            continue;
        put8(&o, 3);
        put8(&o, 0);
        put16(&o, (PCI_ISA_IRQ_MASK & (1u << irq)) ? 0x0F : 0);
        put8(&o, 0);
        put8(&o, irq);
        put8(&o, IOAPIC_ID);
        put8(&o, irq == 0 ? 2 : irq);
    }
    u32 length = o.p - cfg;

    struct out h = { cfg, cfg };
    putn(&h, "PCMP", 4);
    put16(&h, length);
    put8(&h, 4);                            /* spec revision 1.4 */
    put8(&h, 0);                            /* checksum, below */
    putn(&h, "_HVMCPU_", 8);
    putn(&h, "XEN         ", 12);
    put32(&h, 0);
    put16(&h, 0);
    put16(&h, n + 18);
    put32(&h, LAPIC_BASE);
    cfg[7] = -checksum8(cfg, length);

    struct out f = { fp, fp };
    putn(&f, "_MP_", 4);
    put32(&f, (u32)cfg);
    put8(&f, 1);
    put8(&f, 4);
    fp[10] = -checksum8(fp, 16);
    log("MP table: floating pointer %x, %u CPUs\n", (u32)fp, n);
    return (u32)fp;
}

/* ---- $PIR ---- */

u32 pir_build(void)
{
    const u32 slots = 6, length = 32 + slots * 16;
    u8 *pir = scratch_alloc(length, 16);
    struct out o = { pir, pir };
    putn(&o, "$PIR", 4);
    put16(&o, 0x0100);
    put16(&o, length);
    put8(&o, 0);                            /* router bus */
    put8(&o, ISA_DEVFN);
    put16(&o, 0);                           /* no exclusive PCI IRQs */
    put16(&o, 0x8086);
    put16(&o, 0x122E);
    o.p = pir + 32;
    for (u32 i = 0; i < slots; i++) {
        put8(&o, 0);                        /* bus */
        put8(&o, i << 3);                   /* device */
        /* hvmloader's link values: INTA of slot i names link (i + 1) & 3,
         * one step away from the wiring it programs (i + pin - 1) & 3. */
        for (u32 pin = 1; pin <= 4; pin++) {
            put8(&o, 0x60 + ((i + pin) & 3));
            put16(&o, PCI_ISA_IRQ_MASK);
        }
        put8(&o, i);                        /* slot number */
        put8(&o, 0);
    }
    pir[31] = -checksum8(pir, length);
    log("$PIR at %x\n", (u32)pir);
    return (u32)pir;
}
