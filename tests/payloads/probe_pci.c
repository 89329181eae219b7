/*
 * PCI BIOS probe: INT 1Ah AH=B1h from real mode, the "$PIR" and "_32_"
 * tables in the F-segment, and the 32-bit interface found through the
 * BIOS32 directory, called in three protected-mode set-ups:
 *   flat   code selector based at 0, EIP = the physical address;
 *   paged  paging on, the BIOS mapped at C0000000h as well, EIP and every
 *          pointer passed at C0000000h + the physical address (how a
 *          32-bit Linux kernel calls it);
 *   seg    code selector based at F0000h, EIP = the offset from there
 *          (the BIOS32 specification's model).
 *
 * Keys start with "pci." (real mode, tables) and "pci32.<set-up>.".  The
 * machine it expects is the one tests/qemu/test_pcibios.py starts: a VGA,
 * a virtio-blk, two e1000 (the second behind a pci-bridge, on bus 1) and a
 * multi-function device with two virtio-rng functions.  A call into 32-bit
 * code that raises an exception is abandoned and reported as
 * "<key>.fault=1".  What the probe changes in configuration space and in
 * the ELCR it puts back.
 */
#include "probe.h"
#include "probe_pci.h"

void pm32_call(u32 eip, u32 cs, struct probe_regs *r, u32 paging);
extern volatile u32 pm32_faulted;

#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_BIOS32 0x28             /* code, base F0000h */
#define PM32_PGDIR 0x1000           /* linear; see probe_pci32.S */
#define HIGH 0xC0000000u            /* where the paged set-up sees linear 0 */

static inline u8 port_in8(u16 port)
{
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void poke32(u16 seg, u16 off, u32 v)
{
    asm volatile("movw %w0, %%fs\n\tmovl %1, %%fs:(%2)"
                 : : "r"(seg), "r"(v), "r"((u32)off) : "memory");
}

#define CF(x) ((x).eflags & F_CF ? 1u : 0u)
#define AH(x) ((u8)((x).eax >> 8))

static struct probe_regs in, r;
static u32 edi16;                   /* B101h's EDI in real mode */
static u32 bios32_dir;              /* physical address of the directory, 0 = none */
static u16 bdf_e1000, bdf_bridge;
static u32 pir_addr;
static u8 pir_data[32 * 16];        /* slot entries, from the table in memory */
static u16 pir_bytes;
static u8 rbuf[32 * 16];            /* B10Eh data buffer */
static struct {
    u16 size;
    u32 off;                        /* 16-bit form: offset, segment words */
    u16 sel;
} __attribute__((packed)) req;

/* Every call starts from these values. */
static void seed(u8 fn)
{
    in.eax = 0xa0a0b100 | fn;
    in.ebx = 0xb1b1b1b1;
    in.ecx = 0xc2c2c2c2;
    in.edx = 0xd3d3d3d3;
    in.esi = 0xe4e4e4e4;
    in.edi = 0xf5f5f5f5;
    in.ebp = 0x96969696;
    in.eflags = F_IF | 0x0002;
    in.ds = in.es = 0;
    in.fs = 0x1357;
    in.gs = 0x2468;
}

static const char reg_names[11][4] = {
    "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "ds", "es", "fs", "gs"
};

/* "<key>.clobbered": registers that changed outside the output masks. */
static void clob(const char *key, u32 m_ax, u32 m_bx, u32 m_cx, u32 m_dx, u32 m_di)
{
    u32 mask[7] = { m_ax, m_bx, m_cx, m_dx, 0, m_di, 0 };
    const u32 *a = &in.eax, *b = &r.eax;
    const u16 *sa = &in.ds, *sb = &r.ds;
    char names[48];
    int n = 0;
    for (int i = 0; i < 11; i++) {
        if (i < 7 ? !((a[i] ^ b[i]) & ~mask[i]) : sa[i - 7] == sb[i - 7])
            continue;
        if (n)
            names[n++] = ',';
        for (const char *q = reg_names[i]; *q; q++)
            names[n++] = *q;
    }
    names[n] = 0;
    P("%s.clobbered=%s", key, n ? names : "none");
}

static void status(const char *key)
{
    P("%s.ah=%02x", key, AH(r));
    P("%s.cf=%x", key, CF(r));
}

/* ---- real mode ---- */

static void b1(void)
{
    r = in;
    intcall(0x1a, &r);
}

static u32 cfg16(u8 fn, u16 bdf, u16 reg)
{
    seed(fn);
    in.ebx = bdf;
    in.edi = reg;
    b1();
    return r.ecx;
}

static const struct { u16 vendor, device; u8 count; } ids[] = {
    { 0x8086, 0x1237, 1 }, { 0x8086, 0x7000, 1 }, { 0x8086, 0x7010, 1 },
    { 0x8086, 0x7113, 1 }, { 0x1234, 0x1111, 1 }, { 0x1af4, 0x1001, 1 },
    { 0x1b36, 0x0001, 1 }, { 0x8086, 0x100e, 2 }, { 0x1af4, 0x1005, 2 }, { 0x1234, 0x5678, 0 },
};

static const u32 classes[] = { 0x060000, 0x060100, 0x010180, 0x030000, 0x020000, 0x060400, 0xff0000 };

static void probe_find(void)
{
    for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        for (u8 idx = 0; idx <= ids[i].count; idx++) {
            seed(0x02);
            in.ecx = 0xc2c20000 | ids[i].device;
            in.edx = 0xd3d30000 | ids[i].vendor;
            in.esi = 0xe4e40000 | idx;
            b1();
            P("pci.b102.%04x%04x.%u.ax=%04x", ids[i].vendor, ids[i].device, idx, (u16)r.eax);
            P("pci.b102.%04x%04x.%u.bx=%04x", ids[i].vendor, ids[i].device, idx, (u16)r.ebx);
            P("pci.b102.%04x%04x.%u.cf=%x", ids[i].vendor, ids[i].device, idx, CF(r));
            if (ids[i].device == 0x100e && idx == 1)
                bdf_e1000 = r.ebx;
        }
    }
    clob("pci.b102", 0xffff, 0xffff, 0, 0, 0);
    seed(0x02);
    in.edx = 0xd3d3ffff;
    b1();
    status("pci.b102.ffff");

    for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        for (u8 idx = 0; idx < 2; idx++) {
            seed(0x03);
            in.ecx = classes[i];
            in.esi = 0xe4e40000 | idx;
            b1();
            P("pci.b103.%06x.%u.ax=%04x", classes[i], idx, (u16)r.eax);
            P("pci.b103.%06x.%u.bx=%04x", classes[i], idx, (u16)r.ebx);
            if (classes[i] == 0x060400 && idx == 0)
                bdf_bridge = r.ebx;
        }
    }
    clob("pci.b103", 0xffff, 0xffff, 0, 0, 0);
    /* ECX bits 31-24 are not part of the class code. */
    seed(0x03);
    in.ecx = 0xc2060400;
    in.esi = 0;
    b1();
    P("pci.b103.top_byte_set.ax=%04x", (u16)r.eax);
    P("pci.b103.top_byte_set.bx=%04x", (u16)r.ebx);
}

static void probe_config(void)
{
    P("pci.b10a.hostid=%08x", cfg16(0x0a, 0x0000, 0x00));
    clob("pci.b10a", 0xffff, 0, 0xffffffff, 0, 0);
    P("pci.b109.bridge_class=%04x", (u16)cfg16(0x09, bdf_bridge, 0x0a));
    clob("pci.b109", 0xffff, 0, 0xffff, 0, 0);
    P("pci.b108.piix_header=%02x", (u8)cfg16(0x08, 0x0008, 0x0e));
    clob("pci.b108", 0xffff, 0, 0xff, 0, 0);
    P("pci.b108.secondary=%02x", (u8)cfg16(0x08, bdf_bridge, 0x19));
    P("pci.b108.subordinate=%02x", (u8)cfg16(0x08, bdf_bridge, 0x1a));
    /* Interrupt line and pin of every device that has a pin. */
    for (u16 bdf = 0; bdf < 0x200; bdf++) {
        if ((u16)cfg16(0x0a, bdf, 0) == 0xffff)
            continue;
        u32 v = cfg16(0x0a, bdf, 0x3c);
        if ((v >> 8) & 0xff)
            P("pci.irq.%04x=%04x", bdf, (u16)v);
    }

    static const struct { u8 fn; u16 reg; } bad[] = {
        { 0x08, 0x100 }, { 0x09, 0x03 }, { 0x0a, 0x02 }, { 0x0b, 0x1ff }, { 0x0c, 0x3d }, { 0x0d, 0x3e },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cfg16(bad[i].fn, bdf_e1000, bad[i].reg);
        P("pci.b1%02x.bad%03x.ah=%02x", bad[i].fn, bad[i].reg, AH(r));
        P("pci.b1%02x.bad%03x.cf=%x", bad[i].fn, bad[i].reg, CF(r));
    }

    /* Writes, on the interrupt line register (read/write, no effect). */
    u8 line = cfg16(0x08, bdf_e1000, 0x3c);
    seed(0x0b);
    in.ebx = bdf_e1000;
    in.edi = 0x3c;
    in.ecx = 0xc2c2c25a;
    b1();
    status("pci.b10b");
    clob("pci.b10b", 0xffff, 0, 0, 0, 0);
    P("pci.b10b.readback=%02x", (u8)cfg16(0x08, bdf_e1000, 0x3c));
    seed(0x0c);
    in.ebx = bdf_e1000;
    in.edi = 0x3c;
    in.ecx = 0xc2c20e0b;
    b1();
    status("pci.b10c");
    P("pci.b10c.readback=%04x", (u16)cfg16(0x09, bdf_e1000, 0x3c));
    seed(0x0d);
    in.ebx = bdf_e1000;
    in.edi = 0x3c;
    in.ecx = 0x12345677;
    b1();
    status("pci.b10d");
    P("pci.b10d.readback=%02x", (u8)cfg16(0x08, bdf_e1000, 0x3c));
    seed(0x0b);
    in.ebx = bdf_e1000;
    in.edi = 0x3c;
    in.ecx = line;
    b1();
    P("pci.b10b.restored=%x", (u8)cfg16(0x08, bdf_e1000, 0x3c) == line);

    static const u8 unsupported[] = { 0x00, 0x04, 0x06, 0x10, 0x81 };
    for (unsigned i = 0; i < sizeof(unsupported); i++) {
        seed(unsupported[i]);
        b1();
        P("pci.b1%02x.ah=%02x", unsupported[i], AH(r));
        P("pci.b1%02x.cf=%x", unsupported[i], CF(r));
    }
}

/* ---- tables in the F-segment ---- */

static u32 find_sig(u32 sig)
{
    for (u32 a = 0xf0000; a < 0x100000; a += 16)
        if (peekl((u16)(a >> 4), 0) == sig)
            return a;
    return 0;
}

static u8 sum_bytes(u32 a, u16 n)
{
    u8 s = 0;
    for (; n; n--, a++)
        s += peekb((u16)(a >> 4), (u16)(a & 15));
    return s;
}

static void probe_tables(void)
{
    pir_addr = find_sig(0x52495024);
    P("pci.pir.found=%x", pir_addr != 0);
    if (pir_addr) {
        u16 seg = pir_addr >> 4;
        u16 size = peekw(seg, 6);
        P("pci.pir.version=%04x", peekw(seg, 4));
        P("pci.pir.size=%04x", size);
        P("pci.pir.size_ok=%x", size >= 32 && !(size & 15));
        P("pci.pir.router=%02x%02x", peekb(seg, 8), peekb(seg, 9));
        P("pci.pir.exclusive=%04x", peekw(seg, 10));
        P("pci.pir.compat=%08x", peekl(seg, 12));
        P("pci.pir.miniport=%08x", peekl(seg, 16));
        P("pci.pir.checksum_ok=%x", sum_bytes(pir_addr, size) == 0);
        pir_bytes = size - 32;
        if (pir_bytes > sizeof(pir_data))
            pir_bytes = sizeof(pir_data);
        for (u16 i = 0; i < pir_bytes; i++)
            pir_data[i] = peekb(seg, 32 + i);
        for (u16 i = 0; i < pir_bytes; i += 16)
            P("pci.pir.slot.%02x%02x=%H", pir_data[i], pir_data[i + 1], pir_data + i + 2, 14);
    }

    u32 h = find_sig(0x5f32335f);
    P("pci.bios32.found=%x", h != 0);
    if (h) {
        u16 seg = h >> 4;
        bios32_dir = peekl(seg, 4);
        P("pci.bios32.revision=%02x", peekb(seg, 8));
        P("pci.bios32.length=%02x", peekb(seg, 9));
        P("pci.bios32.checksum_ok=%x", sum_bytes(h, peekb(seg, 9) * 16) == 0);
        P("pci.bios32.entry_in_fseg=%x", bios32_dir >= 0xf0000 && bios32_dir < 0x100000);
    }
}

/* ---- B101h, B10Eh, B10Fh ---- */

static void probe_present(void)
{
    seed(0x01);
    b1();
    status("pci.b101");
    P("pci.b101.al=%02x", (u8)r.eax);
    P("pci.b101.bx=%04x", (u16)r.ebx);
    P("pci.b101.cl=%02x", (u8)r.ecx);
    P("pci.b101.edx=%08x", r.edx);
    edi16 = r.edi;
    P("pci.b101.edi_in_fseg=%x", edi16 >= 0xf0000 && edi16 < 0x100000);
    clob("pci.b101", 0xffff, 0xffff, 0xff, 0xffffffff, 0xffffffff);
}

static void probe_routing(void)
{
    seed(0x0e);
    in.ebx = 0xb1b10000;
    in.ds = 0xf000;
    in.edi = 0xf5f50000 | (u16)(u32)&req;
    req.size = 0;
    b1();
    status("pci.b10e.small");
    P("pci.b10e.small.size=%04x", req.size);
    clob("pci.b10e.small", 0xffff, 0, 0, 0, 0);

    req.size = sizeof(rbuf);
    req.off = (u16)(u32)rbuf;           /* segment 0 in the high word */
    memset(rbuf, 0xee, sizeof(rbuf));
    b1();
    status("pci.b10e");
    P("pci.b10e.size=%04x", req.size);
    P("pci.b10e.bx=%04x", (u16)r.ebx);
    P("pci.b10e.same_as_pir=%x", req.size == pir_bytes && !memcmp(rbuf, pir_data, pir_bytes));
    clob("pci.b10e", 0xffff, 0xffff, 0, 0, 0);
}

static void probe_set_irq(void)
{
    /* The link of the bus-0 e1000's INTA#, from the table. */
    u16 nic0 = 0;
    seed(0x02);
    in.ecx = 0x100e;
    in.edx = 0x8086;
    in.esi = 0;
    b1();
    nic0 = r.ebx;
    u8 link = 0;
    for (u16 i = 0; i < pir_bytes; i += 16)
        if (pir_data[i] == (nic0 >> 8) && pir_data[i + 1] == (nic0 & 0xf8))
            link = pir_data[i + 2];
    P("pci.b10f.link=%02x", link);
    if (!link)
        return;
    u8 old = cfg16(0x08, 0x0008, link);
    u8 elcr = port_in8(0x4d0);
    static const struct { u8 pin, irq; } cases[] = { { 0x0a, 5 }, { 0x0a, 2 }, { 0x0e, 5 }, { 0x09, 5 } };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seed(0x0f);
        in.ebx = 0xb1b10000 | nic0;
        in.ecx = 0xc2c20000 | cases[i].irq << 8 | cases[i].pin;
        b1();
        P("pci.b10f.%02x%02x.ah=%02x", cases[i].pin, cases[i].irq, AH(r));
        P("pci.b10f.%02x%02x.cf=%x", cases[i].pin, cases[i].irq, CF(r));
        P("pci.b10f.%02x%02x.router=%02x", cases[i].pin, cases[i].irq, (u8)cfg16(0x08, 0x0008, link));
    }
    P("pci.b10f.elcr5=%x", (port_in8(0x4d0) >> 5) & 1);
    outb(0x4d0, elcr);
    seed(0x0f);
    in.ebx = 0x0500;                    /* nothing on bus 5 */
    in.ecx = 0x0b0a;
    b1();
    status("pci.b10f.nodev");
    seed(0x0b);
    in.ebx = 0x0008;
    in.edi = link;
    in.ecx = old;
    b1();
}

/* ---- the 32-bit interface ---- */

static const struct { char name[6]; u32 cs, base, high; } envs[] = {
    { "flat", SEL_CODE32, 0, 0 },
    { "paged", SEL_CODE32, 0, HIGH },
    { "seg", SEL_BIOS32, 0xf0000, 0 },
};

static u32 pm_eip, pm_cs, pm_paged;     /* the set-up being run */
static u32 pm_ptr;                      /* what linear 0 is, in pointers passed */
static const char *pm_name;

/* "pci32.<set-up>.<what>" */
static const char *k32(const char *what)
{
    static char key[48];
    char *p = key;
    for (const char *q = "pci32."; *q; q++)
        *p++ = *q;
    for (const char *q = pm_name; *q; q++)
        *p++ = *q;
    *p++ = '.';
    while (*what)
        *p++ = *what++;
    *p = 0;
    return key;
}

static void seed32(u8 fn)
{
    seed(fn);
    in.ds = in.es = in.fs = in.gs = SEL_DATA32;
}

/* Call the 32-bit code at pm_eip; false (and "<key>.fault=1") if the
 * firmware took an exception. */
static int call32(const char *what)
{
    r = in;
    pm32_call(pm_eip, pm_cs, &r, pm_paged);
    if (pm32_faulted)
        P("%s.fault=1", k32(what));
    return !pm32_faulted;
}

/* The usual keys of a PCI BIOS call: ax, cf, and clobbered registers. */
static void result32(const char *what, u32 m_bx, u32 m_cx)
{
    P("%s.ax=%04x", k32(what), (u16)r.eax);
    P("%s.cf=%x", k32(what), CF(r));
    clob(k32(what), 0xffff, m_bx, m_cx, 0, 0);
}

static void probe_directory(unsigned e)
{
    pm_eip = bios32_dir - envs[e].base + envs[e].high;
    seed32(0);
    in.eax = 0x5a595824;                /* "$XYZ" */
    in.ebx = 0;
    if (call32("dir.unknown")) {
        P("%s=%02x", k32("dir.unknown.al"), (u8)r.eax);
        clob(k32("dir.unknown"), 0xff, 0, 0, 0, 0);
    }
    seed32(0);
    in.eax = 0x49435024;                /* "$PCI" */
    in.ebx = 0;
    if (!call32("dir"))
        return;
    P("%s=%02x", k32("dir.al"), (u8)r.eax);
    P("%s=%08x", k32("dir.ebx"), r.ebx);
    P("%s=%08x", k32("dir.ecx"), r.ecx);
    P("%s=%x", k32("dir.entry_is_b101_edi"), r.ebx + r.edx == edi16);
    clob(k32("dir"), 0xff, 0xffffffff, 0xffffffff, 0xffffffff, 0);
    if ((u8)r.eax == 0)
        pm_eip = r.ebx + r.edx - envs[e].base + envs[e].high;
    else
        pm_eip = 0;
}

static void probe_pm(unsigned e)
{
    pm_name = envs[e].name;
    pm_cs = envs[e].cs;
    pm_paged = envs[e].high != 0;
    pm_ptr = envs[e].high;
    probe_directory(e);
    if (!pm_eip)
        return;

    seed32(0x01);
    if (call32("b101")) {
        P("%s.ax=%04x", k32("b101"), (u16)r.eax);
        P("%s.cf=%x", k32("b101"), CF(r));
        clob(k32("b101"), 0xffff, 0xffff, 0xff, 0xffffffff, 0xffffffff);
        P("%s=%04x", k32("b101.bx"), (u16)r.ebx);
        P("%s=%02x", k32("b101.cl"), (u8)r.ecx);
        P("%s=%08x", k32("b101.edx"), r.edx);
        P("%s=%x", k32("b101.edi_is_b101_edi"), r.edi == edi16);
    }

    seed32(0x02);
    in.ecx = 0x100e;
    in.edx = 0x8086;
    in.esi = 1;                         /* the e1000 behind the bridge */
    if (call32("b102")) {
        result32("b102", 0xffff, 0);
        P("%s=%04x", k32("b102.bx"), (u16)r.ebx);
    }
    in.esi = 2;
    if (call32("b102.none"))
        result32("b102.none", 0xffff, 0);

    seed32(0x03);
    in.ecx = 0x060400;
    in.esi = 0;
    if (call32("b103")) {
        result32("b103", 0xffff, 0);
        P("%s=%04x", k32("b103.bx"), (u16)r.ebx);
    }

    static const struct { u8 fn; u16 bdf; u8 reg; char key[8]; } rd[] = {
        { 0x0a, 0x0000, 0x00, "b10a" }, { 0x09, 0x0000, 0x0a, "b109" },
        { 0x08, 0x0008, 0x0e, "b108" }, { 0x09, 0x0000, 0x01, "b109.bad" },
    };
    for (unsigned i = 0; i < sizeof(rd) / sizeof(rd[0]); i++) {
        seed32(rd[i].fn);
        in.ebx = rd[i].bdf;
        in.edi = rd[i].reg;
        if (call32(rd[i].key)) {
            result32(rd[i].key, 0, 0xffffffff);
            P("%s.ecx=%08x", k32(rd[i].key), r.ecx);
        }
    }

    /* Writes: the interrupt line of the e1000 behind the bridge. */
    u8 line = cfg16(0x08, bdf_e1000, 0x3c);
    static const struct { u8 fn; char key[8]; } wr[] = {
        { 0x0b, "b10b" }, { 0x0c, "b10c" }, { 0x0d, "b10d" },
    };
    for (unsigned i = 0; i < sizeof(wr) / sizeof(wr[0]); i++) {
        seed32(wr[i].fn);
        in.ebx = bdf_e1000;
        in.edi = 0x3c;
        in.ecx = 0x77665540 + e * 4 + i;
        if (call32(wr[i].key))
            result32(wr[i].key, 0, 0);
        P("%s.readback=%02x", k32(wr[i].key), (u8)cfg16(0x08, bdf_e1000, 0x3c));
    }
    seed(0x0b);
    in.ebx = bdf_e1000;
    in.edi = 0x3c;
    in.ecx = line;
    b1();

    /* B10Eh, with the request of 32-bit callers: WORD size, DWORD offset,
     * WORD selector.  Pointers as the set-up sees them. */
    seed32(0x0e);
    in.ebx = 0;
    in.edi = pm_ptr + (u32)&req;
    req.size = 1;
    if (call32("b10e.small")) {
        result32("b10e.small", 0xffff, 0);
        P("%s=%04x", k32("b10e.small.size"), req.size);
    }
    req.size = sizeof(rbuf);
    req.off = pm_ptr + (u32)rbuf;
    req.sel = SEL_DATA32;
    memset(rbuf, 0xee, sizeof(rbuf));
    if (call32("b10e")) {
        result32("b10e", 0xffff, 0);
        P("%s=%04x", k32("b10e.bx"), (u16)r.ebx);
        P("%s=%x", k32("b10e.same_as_pir"),
          req.size == pir_bytes && !memcmp(rbuf, pir_data, pir_bytes) && rbuf[pir_bytes] == 0xee);
    }

    seed32(0x20);
    if (call32("b120"))
        result32("b120", 0, 0);
}

void probe_pci(void)
{
    P("pci.begin=1");
    probe_present();
    probe_tables();
    probe_find();
    probe_config();
    probe_routing();
    probe_set_irq();
    if (bios32_dir) {
        /* The 4 MiB page directory for the paged set-up: the low 4 MiB
         * at 0 and at C0000000h. */
        for (u16 i = 0; i < 4096; i += 4)
            poke32(PM32_PGDIR >> 4, i, 0);
        poke32(PM32_PGDIR >> 4, 0, 0x83);
        poke32(PM32_PGDIR >> 4, (HIGH >> 22) * 4, 0x83);
        for (unsigned e = 0; e < sizeof(envs) / sizeof(envs[0]); e++)
            probe_pm(e);
    }
    P("pci.end=1");
}
