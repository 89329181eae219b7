/*
 * Real-mode BIOS probe.
 *
 * Booted from out/test/probe.img, it calls the BIOS services a DOS-era
 * program or a boot loader relies on and prints what came back as
 * "PROBE <key>=<value>" lines on the debug console.  tests/qemu/test_probe.py
 * runs it under Kelp and under SeaBIOS and compares the two sets of lines.
 *
 * Conventions of the output:
 *  - values are hexadecimal with the width of the register (al=2, ax=4,
 *    eax=8 digits); flags are printed as single bits (cf=1);
 *  - "<call>.clobbered" lists registers that changed although the call
 *    does not return anything in them ("none" when all were kept); every
 *    call starts with recognisable values in all registers and FS/GS;
 *  - data buffers are printed as hex bytes, sectors as a 32-bit sum of
 *    their 128 dwords;
 *  - the last line is "done=1"; a missing line means the probe died.
 *
 * Nothing here writes to the disk.  Only the keyboard mode (a byte in the
 * image header, see probe.h) waits for input.
 */
#include "probe.h"

u8 probe_boot_drive;

#define SMAP 0x534D4150u
#define SECTOR 512

/* Must match mkimage.py. */
static const u8 marker_magic[8] = { 'K', 'P', 'R', 'B', 'S', 'E', 'C', 'T' };

static struct probe_regs in, r;

/* ------------------------------------------------------------------ */
/* register helpers */

#define AX(x) ((u16)(x).eax)
#define AL(x) ((u8)(x).eax)
#define AH(x) ((u8)((x).eax >> 8))
#define BX(x) ((u16)(x).ebx)
#define BL(x) ((u8)(x).ebx)
#define CX(x) ((u16)(x).ecx)
#define DX(x) ((u16)(x).edx)
#define CF(x) (((x).eflags & F_CF) ? 1u : 0u)
#define ZF(x) (((x).eflags & F_ZF) ? 1u : 0u)

static void set16(u32 *reg, u16 v)
{
    *reg = (*reg & 0xffff0000u) | v;
}

static void set8l(u32 *reg, u8 v)
{
    *reg = (*reg & 0xffffff00u) | v;
}

/* Every call starts from these values, so that clobbered registers stand
 * out and results that were never written are recognisable. */
static void seed(void)
{
    in.eax = 0xa0a0a0a0;
    in.ebx = 0xb1b1b1b1;
    in.ecx = 0xc2c2c2c2;
    in.edx = 0xd3d3d3d3;
    in.esi = 0xe4e4e4e4;
    in.edi = 0xf5f5f5f5;
    in.ebp = 0x96969696;
    in.eflags = F_IF | 0x0002;
    in.ds = 0;
    in.es = 0;
    in.fs = 0x1357;
    in.gs = 0x2468;
}

static u16 ptr16(const void *p)
{
    return (u16)(u32)p;
}

/* Issue INT vec with the registers in "in"; results land in "r".  A vector
 * that still points at 0000:0000 is not called (that would execute the
 * vector table); the result then reads as CF set, AX = FFFFh. */
static void call(u8 vec)
{
    r = in;
    if (peekl(0, (u16)vec * 4) == 0) {
        P("ivt.%02x=null", vec);
        r.eflags |= F_CF;
        r.eax = 0xffff;
        return;
    }
    intcall(vec, &r);
}

static const struct {
    char name[4];
    u8 idx;
    u32 mask;
} reg_names[] = {
    { "eax", 0, 0xffffffff }, { "ax", 0, 0xffff }, { "al", 0, 0xff }, { "ah", 0, 0xff00 },
    { "ebx", 1, 0xffffffff }, { "bx", 1, 0xffff }, { "bl", 1, 0xff }, { "bh", 1, 0xff00 },
    { "ecx", 2, 0xffffffff }, { "cx", 2, 0xffff }, { "cl", 2, 0xff }, { "ch", 2, 0xff00 },
    { "edx", 3, 0xffffffff }, { "dx", 3, 0xffff }, { "dl", 3, 0xff }, { "dh", 3, 0xff00 },
    { "esi", 4, 0xffffffff }, { "si", 4, 0xffff },
    { "edi", 5, 0xffffffff }, { "di", 5, 0xffff },
    { "ebp", 6, 0xffffffff }, { "bp", 6, 0xffff },
    { "ds", 7, 0xffff }, { "es", 8, 0xffff }, { "fs", 9, 0xffff }, { "gs", 10, 0xffff },
};

static const char full_names[11][4] = {
    "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "ds", "es", "fs", "gs"
};

static void regs_to_array(const struct probe_regs *x, u32 *a)
{
    a[0] = x->eax; a[1] = x->ebx; a[2] = x->ecx; a[3] = x->edx;
    a[4] = x->esi; a[5] = x->edi; a[6] = x->ebp;
    a[7] = x->ds; a[8] = x->es; a[9] = x->fs; a[10] = x->gs;
}

/* Print "<key>.clobbered=": registers (of in -> r) that changed outside the
 * space-separated list of outputs the call is allowed to return. */
static void keep(const char *key, const char *outputs)
{
    u32 allowed[11], a[11], b[11];
    char names[64];
    int n = 0;

    memset(allowed, 0, sizeof(allowed));
    for (const char *s = outputs;; s++) {
        if (*s && *s != ' ') {
            if (n < 3)
                names[n++] = *s;
            continue;
        }
        names[n] = 0;
        for (unsigned i = 0; n && i < sizeof(reg_names) / sizeof(reg_names[0]); i++)
            if (!memcmp(reg_names[i].name, names, (unsigned)n + 1))
                allowed[reg_names[i].idx] |= reg_names[i].mask;
        n = 0;
        if (!*s)
            break;
    }
    regs_to_array(&in, a);
    regs_to_array(&r, b);
    names[0] = 0;
    n = 0;
    for (int i = 0; i < 11; i++) {
        if (!((a[i] ^ b[i]) & ~allowed[i]))
            continue;
        if (n)
            names[n++] = ',';
        for (const char *q = full_names[i]; *q; q++)
            names[n++] = *q;
    }
    names[n] = 0;
    P("%s.clobbered=%s", key, n ? names : "none");
}

static u32 sector_sum(const u8 *p)
{
    u32 s = 0;
    for (int i = 0; i < SECTOR; i += 4)
        s += *(const u32 *)(p + i);
    return s;
}

/* LBA stored in a marker sector, or FFFFFFFFh if p is not one. */
static u32 marker_lba(const u8 *p)
{
    if (memcmp(p, marker_magic, sizeof(marker_magic)))
        return 0xffffffff;
    return *(const u32 *)(p + 8);
}

static void print_marker(const char *key, const u8 *p)
{
    u32 lba = marker_lba(p);
    if (lba == 0xffffffff)
        P("%s.lba=none", key);
    else
        P("%s.lba=%08x", key, lba);
}

/* ------------------------------------------------------------------ */
/* BDA, INT 11h, INT 12h */

static u16 ebda_seg;

static void probe_bda(void)
{
    ebda_seg = peekw(0x40, 0x0e);
    P("bda.com1=%04x", peekw(0x40, 0x00));
    P("bda.lpt1=%04x", peekw(0x40, 0x08));
    P("bda.ebda_seg=%04x", ebda_seg);
    P("bda.equip=%04x", peekw(0x40, 0x10));
    P("bda.mem_kb=%04x", peekw(0x40, 0x13));
    P("bda.kbd_flags0=%02x", peekb(0x40, 0x17));
    P("bda.kbd_head=%04x", peekw(0x40, 0x1a));
    P("bda.kbd_tail=%04x", peekw(0x40, 0x1c));
    P("bda.kbd_start=%04x", peekw(0x40, 0x80));
    P("bda.kbd_end=%04x", peekw(0x40, 0x82));
    P("bda.hd_count=%02x", peekb(0x40, 0x75));
    P("bda.kbd_flags3.enhanced=%x", (peekb(0x40, 0x96) >> 4) & 1);
    if (ebda_seg >= 0x1000 && ebda_seg < 0xa000)
        P("ebda.size_kb=%04x", peekw(ebda_seg, 0));
    else
        P("ebda.size_kb=invalid-segment");

    seed();
    call(0x11);
    P("int11.ax=%04x", AX(r));
    keep("int11", "ax");

    seed();
    call(0x12);
    P("int12.ax=%04x", AX(r));
    keep("int12", "ax");
}

/* ------------------------------------------------------------------ */
/* INT 13h */

struct dap {
    u8 size, reserved;
    u16 count;
    u16 off, seg;
    u32 lba_lo, lba_hi;
} __attribute__((packed));

static struct dap dap;
static u8 sect[SECTOR] __attribute__((aligned(16)));
static u8 multi[4 * SECTOR] __attribute__((aligned(16)));
static u8 edd[0x4a + 0x20] __attribute__((aligned(16)));

/* geometry from 08h, used to turn CHS into expected LBAs */
static u16 geo_heads = 16, geo_spt = 63;
static u32 disk_sectors;

static void ext_read(u8 drive, u32 lba, u16 count, void *buf)
{
    memset(&dap, 0, sizeof(dap));
    dap.size = 0x10;
    dap.count = count;
    dap.off = ptr16(buf);
    dap.seg = 0;
    dap.lba_lo = lba;
    seed();
    set16(&in.eax, 0x4200);
    set8l(&in.edx, drive);
    set16(&in.esi, ptr16(&dap));
    in.ds = 0;
    call(0x13);
}

static void chs_read(u8 drive, u16 cyl, u8 head, u8 sec, u8 count, void *buf)
{
    seed();
    set16(&in.eax, 0x0200 | count);
    set16(&in.ecx, (u16)(((cyl & 0xff) << 8) | ((cyl >> 2) & 0xc0) | (sec & 0x3f)));
    set16(&in.edx, (u16)((head << 8) | drive));
    set16(&in.ebx, ptr16(buf));
    in.es = 0;
    call(0x13);
}

static void simple13(u8 drive, u8 fn)
{
    seed();
    set16(&in.eax, (u16)(fn << 8));
    set8l(&in.edx, drive);
    call(0x13);
}

static void probe_edd_params(u8 bufsize)
{
    char key[24] = "int13.80.48.";
    const char *hex = "0123456789abcdef";
    key[12] = hex[bufsize >> 4];
    key[13] = hex[bufsize & 15];
    key[14] = 0;

    memset(edd, 0xcc, sizeof(edd));
    *(u16 *)edd = bufsize;
    seed();
    set16(&in.eax, 0x4800);
    set8l(&in.edx, 0x80);
    set16(&in.esi, ptr16(edd));
    in.ds = 0;
    call(0x13);
    P("%s.cf=%x", key, CF(r));
    P("%s.ah=%02x", key, AH(r));
    keep(key, "ax");
    u16 size = *(u16 *)edd;
    P("%s.size=%04x", key, size);
    u32 over = 0;
    for (unsigned i = bufsize; i < bufsize + 0x20u && i < sizeof(edd); i++)
        if (edd[i] != 0xcc)
            over = 1;
    P("%s.overrun=%x", key, over);
    if (CF(r) || size < 0x1a)
        return;
    P("%s.flags=%04x", key, *(u16 *)(edd + 2));
    P("%s.cyls=%08x", key, *(u32 *)(edd + 4));
    P("%s.heads=%08x", key, *(u32 *)(edd + 8));
    P("%s.spt=%08x", key, *(u32 *)(edd + 0x0c));
    P("%s.total=%08x%08x", key, *(u32 *)(edd + 0x14), *(u32 *)(edd + 0x10));
    P("%s.bps=%04x", key, *(u16 *)(edd + 0x18));
    if (!disk_sectors || bufsize == 0x4a)
        disk_sectors = *(u32 *)(edd + 0x10);
    /* The EDD 2/3 parts are judged by what was written into the caller's
     * buffer, not by the returned size word: some BIOSes fill them but
     * leave the size at 1Eh. */
    if (bufsize < 0x1e)
        return;
    u16 doff = *(u16 *)(edd + 0x1a), dseg = *(u16 *)(edd + 0x1c);
    if (doff == 0xcccc && dseg == 0xcccc) {
        P("%s.dpte=unwritten", key);
    } else if (doff == 0xffff && dseg == 0xffff) {
        P("%s.dpte=none", key);
    } else {
        u8 d[16], sum = 0;
        for (int i = 0; i < 16; i++) {
            d[i] = peekb(dseg, (u16)(doff + i));
            sum += d[i];
        }
        P("%s.dpte=present", key);
        P("%s.dpte.iobase=%04x", key, *(u16 *)d);
        P("%s.dpte.ctrl=%04x", key, *(u16 *)(d + 2));
        P("%s.dpte.prefix=%02x", key, d[4]);
        P("%s.dpte.vendor=%02x", key, d[5]);
        P("%s.dpte.irq=%02x", key, d[6]);
        P("%s.dpte.blkcount=%02x", key, d[7]);
        P("%s.dpte.dma=%02x", key, d[8]);
        P("%s.dpte.pio=%02x", key, d[9]);
        P("%s.dpte.options=%04x", key, *(u16 *)(d + 10));
        P("%s.dpte.reserved=%04x", key, *(u16 *)(d + 12));
        P("%s.dpte.revision=%02x", key, d[14]);
        P("%s.dpte.sum_ok=%x", key, sum == 0);
    }
    if (bufsize < 0x42)
        return;
    P("%s.key=%04x", key, *(u16 *)(edd + 0x1e));
    P("%s.pathlen=%02x", key, edd[0x20]);
    P("%s.reserved=%H", key, edd + 0x21, 3u);
    P("%s.hostbus=%S", key, edd + 0x24, 4u);
    P("%s.iface=%S", key, edd + 0x28, 8u);
    P("%s.ifpath=%H", key, edd + 0x30, 8u);
    P("%s.devpath=%H", key, edd + 0x38, bufsize >= 0x4a ? 16u : 8u);
    u8 sum = 0;
    for (unsigned i = 0x1e; i < bufsize; i++)
        sum += edd[i];
    P("%s.sum_ok=%x", key, sum == 0);
}

static void probe_int13(void)
{
    /* 00h reset, 01h status */
    simple13(0x80, 0x00);
    P("int13.80.00.cf=%x", CF(r));
    P("int13.80.00.ah=%02x", AH(r));
    keep("int13.80.00", "ax");
    simple13(0x80, 0x01);
    P("int13.80.01.cf=%x", CF(r));
    P("int13.80.01.ah=%02x", AH(r));
    keep("int13.80.01", "ax");

    /* 08h parameters */
    seed();
    set16(&in.eax, 0x0800);
    set8l(&in.edx, 0x80);
    set16(&in.edi, 0);
    in.es = 0;
    call(0x13);
    P("int13.80.08.cf=%x", CF(r));
    P("int13.80.08.ah=%02x", AH(r));
    P("int13.80.08.al=%02x", AL(r));
    P("int13.80.08.cx=%04x", CX(r));
    P("int13.80.08.dx=%04x", DX(r));
    keep("int13.80.08", "ax cx dx");
    if (!CF(r) && (CX(r) & 0x3f)) {
        geo_spt = CX(r) & 0x3f;
        geo_heads = (u16)((DX(r) >> 8) + 1);
    }

    /* 15h type */
    simple13(0x80, 0x15);
    P("int13.80.15.cf=%x", CF(r));
    P("int13.80.15.ah=%02x", AH(r));
    P("int13.80.15.cxdx=%04x%04x", CX(r), DX(r));
    keep("int13.80.15", "ax cx dx");

    /* 41h installation check */
    seed();
    set16(&in.eax, 0x4100);
    set16(&in.ebx, 0x55aa);
    set8l(&in.edx, 0x80);
    call(0x13);
    P("int13.80.41.cf=%x", CF(r));
    P("int13.80.41.ah=%02x", AH(r));
    P("int13.80.41.bx=%04x", BX(r));
    P("int13.80.41.cx=%04x", CX(r));
    keep("int13.80.41", "ax bx cx dh");

    /* 42h read of LBA 0 */
    memset(sect, 0xee, sizeof(sect));
    ext_read(0x80, 0, 1, sect);
    P("int13.80.42.lba0.cf=%x", CF(r));
    P("int13.80.42.lba0.ah=%02x", AH(r));
    P("int13.80.42.lba0.count=%04x", dap.count);
    P("int13.80.42.lba0.sum=%08x", sector_sum(sect));
    P("int13.80.42.lba0.sig=%02x%02x", sect[0x1fe], sect[0x1ff]);
    keep("int13.80.42.lba0", "ax");

    /* 48h with each buffer size; a too-small one first */
    probe_edd_params(0x10);
    probe_edd_params(0x1a);
    probe_edd_params(0x1e);
    probe_edd_params(0x42);
    probe_edd_params(0x4a);
    if (!disk_sectors) {
        simple13(0x80, 0x15);
        if (!CF(r) && AH(r) == 3)
            disk_sectors = ((u32)CX(r) << 16) | DX(r);
    }

    /* 42h read of the last sector, then one past the end */
    u32 last = disk_sectors ? disk_sectors - 1 : 0;
    memset(sect, 0xee, sizeof(sect));
    ext_read(0x80, last, 1, sect);
    P("int13.80.42.last.lba=%08x", last);
    P("int13.80.42.last.cf=%x", CF(r));
    P("int13.80.42.last.ah=%02x", AH(r));
    P("int13.80.42.last.count=%04x", dap.count);
    P("int13.80.42.last.sum=%08x", sector_sum(sect));
    P("int13.80.42.last.head=%H", sect, 16u);
    keep("int13.80.42.last", "ax");
    memset(sect, 0xee, sizeof(sect));
    ext_read(0x80, last + 1, 1, sect);
    P("int13.80.42.beyond.cf=%x", CF(r));
    P("int13.80.42.beyond.ah=%02x", AH(r));
    P("int13.80.42.beyond.count=%04x", dap.count);

    /* 02h CHS reads: the boot sector, then sectors whose LBA depends on
     * the geometry (their marker tells which LBA was really read) */
    memset(sect, 0xee, sizeof(sect));
    chs_read(0x80, 0, 0, 1, 1, sect);
    P("int13.80.02.c0h0s1.cf=%x", CF(r));
    P("int13.80.02.c0h0s1.ah=%02x", AH(r));
    P("int13.80.02.c0h0s1.al=%02x", AL(r));
    P("int13.80.02.c0h0s1.sum=%08x", sector_sum(sect));
    P("int13.80.02.c0h0s1.sig=%02x%02x", sect[0x1fe], sect[0x1ff]);
    keep("int13.80.02.c0h0s1", "ax");

    memset(sect, 0xee, sizeof(sect));
    chs_read(0x80, 0, 2, 5, 1, sect);
    P("int13.80.02.c0h2s5.cf=%x", CF(r));
    P("int13.80.02.c0h2s5.ah=%02x", AH(r));
    P("int13.80.02.c0h2s5.sum=%08x", sector_sum(sect));
    print_marker("int13.80.02.c0h2s5", sect);

    memset(sect, 0xee, sizeof(sect));
    chs_read(0x80, 1, 0, 1, 1, sect);
    P("int13.80.02.c1h0s1.cf=%x", CF(r));
    P("int13.80.02.c1h0s1.ah=%02x", AH(r));
    P("int13.80.02.c1h0s1.sum=%08x", sector_sum(sect));
    print_marker("int13.80.02.c1h0s1", sect);

    /* four sectors across a head boundary */
    memset(multi, 0xee, sizeof(multi));
    u8 s = (u8)(geo_spt - 1);
    chs_read(0x80, 1, 0, s, 4, multi);
    P("int13.80.02.multi.cf=%x", CF(r));
    P("int13.80.02.multi.ah=%02x", AH(r));
    P("int13.80.02.multi.al=%02x", AL(r));
    P("int13.80.02.multi.first_lba=%08x", ((u32)geo_heads + 0) * geo_spt + s - 1);
    for (int i = 0; i < 4; i++) {
        char key[] = "int13.80.02.multi.0";
        key[sizeof(key) - 2] = (char)('0' + i);
        print_marker(key, multi + i * SECTOR);
    }

    /* a cylinder far beyond the disk */
    memset(sect, 0xee, sizeof(sect));
    chs_read(0x80, 1023, 0, 1, 1, sect);
    P("int13.80.02.beyond.cf=%x", CF(r));
    P("int13.80.02.beyond.ah=%02x", AH(r));

    /* drives that do not exist */
    static const u8 bad_drives[2] = { 0x81, 0x90 };
    for (int i = 0; i < 2; i++) {
        u8 d = bad_drives[i];
        seed();
        set16(&in.eax, 0x0800);
        set8l(&in.edx, d);
        set16(&in.edi, 0);
        in.es = 0;
        call(0x13);
        P("int13.%02x.08.cf=%x", d, CF(r));
        P("int13.%02x.08.ah=%02x", d, AH(r));
        seed();
        set16(&in.eax, 0x4100);
        set16(&in.ebx, 0x55aa);
        set8l(&in.edx, d);
        call(0x13);
        P("int13.%02x.41.cf=%x", d, CF(r));
        P("int13.%02x.41.ah=%02x", d, AH(r));
        ext_read(d, 0, 1, sect);
        P("int13.%02x.42.cf=%x", d, CF(r));
        P("int13.%02x.42.ah=%02x", d, AH(r));
    }

    /* functions nobody implements, then the saved status */
    simple13(0x80, 0x20);
    P("int13.80.20.cf=%x", CF(r));
    P("int13.80.20.ah=%02x", AH(r));
    keep("int13.80.20", "ax");
    P("bda.hd_status.after_bad_fn=%02x", peekb(0x40, 0x74));
    simple13(0x80, 0x01);
    P("int13.80.01.after_bad_fn.cf=%x", CF(r));
    P("int13.80.01.after_bad_fn.ah=%02x", AH(r));
    simple13(0x80, 0xfe);
    P("int13.80.fe.cf=%x", CF(r));
    P("int13.80.fe.ah=%02x", AH(r));

    /* no floppy drive is configured */
    seed();
    set16(&in.eax, 0x0800);
    set8l(&in.edx, 0x00);
    set16(&in.edi, 0);
    in.es = 0;
    call(0x13);
    P("int13.00.08.cf=%x", CF(r));
    P("int13.00.08.ah=%02x", AH(r));
}

/* ------------------------------------------------------------------ */
/* INT 15h */

struct e820_entry {
    u32 base_lo, base_hi, len_lo, len_hi, type, ext;
} __attribute__((packed));

static struct e820_entry e820buf;

static void e820_call(u32 cont, u32 size)
{
    memset(&e820buf, 0xee, sizeof(e820buf));
    seed();
    in.eax = 0xe820;
    in.edx = SMAP;
    in.ebx = cont;
    in.ecx = size;
    in.es = 0;
    set16(&in.edi, ptr16(&e820buf));
    call(0x15);
}

static void probe_e820(void)
{
    u32 cont = 0, first_ecx = 0, smap_ok = 1, ecx_same = 1;
    const char *end = "limit";
    unsigned n;

    for (n = 0; n < 64;) {
        e820_call(cont, 20);
        if (n == 0)
            keep("int15.e820", "eax ebx ecx");
        if (CF(r)) {
            end = "cf";
            break;
        }
        if (r.eax != SMAP)
            smap_ok = 0;
        if (n == 0)
            first_ecx = r.ecx;
        else if (r.ecx != first_ecx)
            ecx_same = 0;
        P("int15.e820.%02u.base=%08x%08x", n, e820buf.base_hi, e820buf.base_lo);
        P("int15.e820.%02u.len=%08x%08x", n, e820buf.len_hi, e820buf.len_lo);
        P("int15.e820.%02u.type=%08x", n, e820buf.type);
        P("int15.e820.%02u.ebx=%08x", n, r.ebx);
        n++;
        cont = r.ebx;
        if (!cont) {
            end = "ebx0";
            break;
        }
    }
    P("int15.e820.count=%u", n);
    P("int15.e820.end=%s", end);
    P("int15.e820.smap=%x", smap_ok);
    P("int15.e820.ecx=%08x", first_ecx);
    P("int15.e820.ecx_same=%x", ecx_same);

    e820_call(0, 24);
    P("int15.e820.ecx24.cf=%x", CF(r));
    P("int15.e820.ecx24.smap=%x", r.eax == SMAP);
    P("int15.e820.ecx24.ecx=%08x", r.ecx);
    P("int15.e820.ecx24.ext=%08x", e820buf.ext);

    e820_call(0, 16);
    P("int15.e820.ecx16.cf=%x", CF(r));
    P("int15.e820.ecx16.ah=%02x", AH(r));

    e820_call(0x7fff, 20);
    P("int15.e820.badcont.cf=%x", CF(r));
    P("int15.e820.badcont.ah=%02x", AH(r));
}

static u8 gdt87[48] __attribute__((aligned(8)));
static u8 pattern[32], back[32];

static void desc87(int slot, u32 base, u16 limit)
{
    u8 *d = gdt87 + slot * 8;
    d[0] = (u8)limit;
    d[1] = (u8)(limit >> 8);
    d[2] = (u8)base;
    d[3] = (u8)(base >> 8);
    d[4] = (u8)(base >> 16);
    d[5] = 0x93;
    d[6] = 0;
    d[7] = (u8)(base >> 24);
}

static void move87(const char *key, u32 src, u32 dst, u16 words)
{
    memset(gdt87, 0, sizeof(gdt87));
    desc87(2, src, (u16)(words * 2 - 1));
    desc87(3, dst, (u16)(words * 2 - 1));
    seed();
    set16(&in.eax, 0x8700);
    set16(&in.ecx, words);
    set16(&in.esi, ptr16(gdt87));
    in.es = 0;
    call(0x15);
    P("%s.cf=%x", key, CF(r));
    P("%s.ah=%02x", key, AH(r));
    keep(key, "ax");
}

static void simple15(u16 ax)
{
    seed();
    set16(&in.eax, ax);
    call(0x15);
}

static void probe_int15(void)
{
    probe_e820();

    seed();
    set16(&in.eax, 0xe801);
    call(0x15);
    P("int15.e801.cf=%x", CF(r));
    P("int15.e801.ax=%04x", AX(r));
    P("int15.e801.bx=%04x", BX(r));
    P("int15.e801.cx=%04x", CX(r));
    P("int15.e801.dx=%04x", DX(r));
    keep("int15.e801", "ax bx cx dx");

    simple15(0x8800);
    P("int15.88.cf=%x", CF(r));
    P("int15.88.ax=%04x", AX(r));
    keep("int15.88", "ax");

    simple15(0xc000);
    P("int15.c0.cf=%x", CF(r));
    P("int15.c0.ah=%02x", AH(r));
    keep("int15.c0", "ax bx es");
    if (!CF(r)) {
        u8 tab[10];
        for (int i = 0; i < 10; i++)
            tab[i] = peekb(r.es, (u16)(BX(r) + i));
        P("int15.c0.ptr=%04x:%04x", r.es, BX(r));
        P("int15.c0.size=%04x", *(u16 *)tab);
        P("int15.c0.model=%02x", tab[2]);
        P("int15.c0.submodel=%02x", tab[3]);
        P("int15.c0.revision=%02x", tab[4]);
        P("int15.c0.features=%H", tab + 5, 5u);
    }

    simple15(0xc100);
    P("int15.c1.cf=%x", CF(r));
    P("int15.c1.es=%04x", r.es);
    keep("int15.c1", "ax es");

    simple15(0x2403);
    P("int15.2403.cf=%x", CF(r));
    P("int15.2403.ax=%04x", AX(r));
    P("int15.2403.bx=%04x", BX(r));
    keep("int15.2403", "ax bx");
    simple15(0x2402);
    P("int15.2402.cf=%x", CF(r));
    P("int15.2402.ax=%04x", AX(r));
    P("int15.2402.bx=%04x", BX(r));
    keep("int15.2402", "ax");
    simple15(0x2401);
    P("int15.2401.cf=%x", CF(r));
    P("int15.2401.ax=%04x", AX(r));
    keep("int15.2401", "ax");
    simple15(0x2402);
    P("int15.2402.after2401.cf=%x", CF(r));
    P("int15.2402.after2401.ax=%04x", AX(r));

    seed();
    set16(&in.eax, 0x8600);
    set16(&in.ecx, 0);
    set16(&in.edx, 0x1000);
    call(0x15);
    P("int15.86.cf=%x", CF(r));
    P("int15.86.ah=%02x", AH(r));
    keep("int15.86", "ax");

    /* low buffer -> 2 MiB -> 3 MiB -> low buffer */
    for (int i = 0; i < 32; i++)
        pattern[i] = (u8)(0x5a ^ (i * 11));
    memset(back, 0, sizeof(back));
    move87("int15.87.up", ptr16(pattern), 0x200000, 16);
    move87("int15.87.high", 0x200000, 0x300000, 16);
    move87("int15.87.down", 0x300000, ptr16(back), 16);
    P("int15.87.roundtrip=%x", !memcmp(pattern, back, sizeof(back)));

    simple15(0x9000);
    P("int15.90.cf=%x", CF(r));
    P("int15.90.ah=%02x", AH(r));
    simple15(0x9100);
    P("int15.91.cf=%x", CF(r));
    P("int15.91.ah=%02x", AH(r));

    seed();
    set16(&in.eax, 0x4f1e);
    in.eflags |= F_CF;
    call(0x15);
    P("int15.4f.cf=%x", CF(r));
    P("int15.4f.al=%02x", AL(r));

    simple15(0xfe00);
    P("int15.fe.cf=%x", CF(r));
    P("int15.fe.ah=%02x", AH(r));
    keep("int15.fe", "ax");

    seed();
    set16(&in.eax, 0x5300);
    set16(&in.ebx, 0);
    call(0x15);
    P("int15.5300.cf=%x", CF(r));
    P("int15.5300.ah=%02x", AH(r));
}

/* ------------------------------------------------------------------ */
/* INT 16h, 17h, 14h */

static void probe_kbd_ports(void)
{
    seed();
    set16(&in.eax, 0x0100);
    call(0x16);
    P("int16.01.zf=%x", ZF(r));

    seed();
    set16(&in.eax, 0x0200);
    call(0x16);
    P("int16.02.al=%02x", AL(r));
    keep("int16.02", "al");

    seed();
    set16(&in.eax, 0x1200);
    call(0x16);
    P("int16.12.ax=%04x", AX(r));
    keep("int16.12", "ax");

    seed();
    set16(&in.eax, 0x0900);
    call(0x16);
    P("int16.09.al=%02x", AL(r));
    keep("int16.09", "al");

    seed();
    set16(&in.eax, 0x0a00);
    call(0x16);
    P("int16.0a.bx=%04x", BX(r));
    keep("int16.0a", "bx");

    seed();
    set16(&in.eax, 0x7f00);
    call(0x16);
    P("int16.7f.ax=%04x", AX(r));
    P("int16.7f.flags=%04x", r.eflags & 0xffff);

    seed();
    set16(&in.eax, 0x0200);
    set16(&in.edx, 0);
    call(0x17);
    P("int17.02.cf=%x", CF(r));
    P("int17.02.ah=%02x", AH(r));

    seed();
    set16(&in.eax, 0x0300);
    set16(&in.edx, 0);
    call(0x14);
    P("int14.03.ax=%04x", AX(r));
    keep("int14.03", "ax");
}

/* ------------------------------------------------------------------ */
/* INT 1Ah */

static int bcd_in(u8 v, u8 lo, u8 hi)
{
    if ((v & 0x0f) > 9 || (v >> 4) > 9)
        return 0;
    u8 bin = (u8)((v >> 4) * 10 + (v & 0x0f));
    return bin >= lo && bin <= hi;
}

static void probe_int1a(void)
{
    seed();
    set16(&in.eax, 0x0000);
    call(0x1a);
    u32 t1 = ((u32)CX(r) << 16) | DX(r);
    P("int1a.00.ret=1");
    P("int1a.00.al=%02x", AL(r));
    P("int1a.00.in_day=%x", t1 < 0x1800b0);
    keep("int1a.00", "ax cx dx");

    seed();
    set16(&in.eax, 0x8600);
    set16(&in.ecx, 0);
    set16(&in.edx, 10000);
    call(0x15);

    seed();
    set16(&in.eax, 0x0000);
    call(0x1a);
    u32 t2 = ((u32)CX(r) << 16) | DX(r);
    P("int1a.00.nondecreasing=%x", t2 >= t1);

    seed();
    set16(&in.eax, 0x0200);
    call(0x1a);
    P("int1a.02.cf=%x", CF(r));
    P("int1a.02.bcd=%x", bcd_in((u8)(CX(r) >> 8), 0, 23) && bcd_in((u8)CX(r), 0, 59)
                         && bcd_in((u8)(DX(r) >> 8), 0, 59));
    P("int1a.02.dl=%02x", (u8)DX(r));
    keep("int1a.02", "ax cx dx");

    seed();
    set16(&in.eax, 0x0400);
    call(0x1a);
    P("int1a.04.cf=%x", CF(r));
    P("int1a.04.bcd=%x", bcd_in((u8)(CX(r) >> 8), 19, 21) && bcd_in((u8)CX(r), 0, 99)
                         && bcd_in((u8)(DX(r) >> 8), 1, 12) && bcd_in((u8)DX(r), 1, 31));
    keep("int1a.04", "ax cx dx");

    /* TCG status check: a loader sees a TPM only if EAX = 0 and
     * EBX = 'TCPA'; the spec asks for EAX to stay unchanged without one. */
    seed();
    in.eax = 0xbb00;
    call(0x1a);
    P("int1a.bb00.tpm=%s", r.eax == 0 && r.ebx == 0x41504354 ? "present" : "absent");
    P("int1a.bb00.eax=%08x", r.eax);
    P("int1a.bb00.cf=%x", CF(r));
    keep("int1a.bb00", "");
}

/* ------------------------------------------------------------------ */
/* IBM fixed entry points and F-segment constants */

static struct probe_regs by_int;

/* Issue the call prepared in "in" twice: through INT vec (result kept in
 * by_int) and through PUSHF + far CALL F000:off (result in r), then print
 * "<key>.clobbered" for the far call. */
static void int_and_far(const char *key, u8 vec, u16 off, const char *outputs)
{
    struct probe_regs start = in;
    call(vec);
    by_int = r;
    in = start;
    r = in;
    farcall(0xf0000000u | off, &r);
    keep(key, outputs);
}

/* "<key>.same": both ways returned the same registers and CF/ZF; skip is
 * a mask of register indexes (as in regs_to_array) not compared. */
static void print_same(const char *key, unsigned skip)
{
    u32 a[11], b[11];
    unsigned same = ((by_int.eflags ^ r.eflags) & (F_CF | F_ZF)) == 0;
    regs_to_array(&by_int, a);
    regs_to_array(&r, b);
    for (int i = 0; i < 11; i++)
        if (!(skip & (1u << i)) && a[i] != b[i])
            same = 0;
    P("%s.same=%x", key, same);
}

static const u8 fixed_vectors[] = {
    0x08, 0x09, 0x0e, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x19, 0x1a
};

static void probe_fixed(void)
{
    for (unsigned i = 0; i < sizeof(fixed_vectors); i++) {
        u8 v = fixed_vectors[i];
        P("vec.%02x=%04x:%04x", v, peekw(0, (u16)(v * 4 + 2)), peekw(0, (u16)(v * 4)));
    }

    seed();
    int_and_far("fixed.f841", 0x12, 0xf841, "ax");
    P("fixed.f841.ax=%04x", AX(r));
    print_same("fixed.f841", 0);

    seed();
    int_and_far("fixed.f84d", 0x11, 0xf84d, "ax");
    P("fixed.f84d.ax=%04x", AX(r));
    print_same("fixed.f84d", 0);

    seed();
    set16(&in.eax, 0x0800);
    set8l(&in.edx, 0x80);
    set16(&in.edi, 0);
    in.es = 0;
    int_and_far("fixed.e3fe", 0x13, 0xe3fe, "ax cx dx");
    P("fixed.e3fe.cf=%x", CF(r));
    P("fixed.e3fe.ax=%04x", AX(r));
    P("fixed.e3fe.cx=%04x", CX(r));
    P("fixed.e3fe.dx=%04x", DX(r));
    print_same("fixed.e3fe", 0);

    seed();
    set16(&in.eax, 0xe801);
    int_and_far("fixed.f859", 0x15, 0xf859, "ax bx cx dx");
    P("fixed.f859.cf=%x", CF(r));
    P("fixed.f859.ax=%04x", AX(r));
    P("fixed.f859.bx=%04x", BX(r));
    P("fixed.f859.cx=%04x", CX(r));
    P("fixed.f859.dx=%04x", DX(r));
    print_same("fixed.f859", 0);

    seed();
    set16(&in.eax, 0x0200);
    int_and_far("fixed.e82e", 0x16, 0xe82e, "al");
    P("fixed.e82e.al=%02x", AL(r));
    print_same("fixed.e82e", 0);

    /* the tick count may move on between the two calls */
    seed();
    set16(&in.eax, 0x0000);
    int_and_far("fixed.fe6e", 0x1a, 0xfe6e, "ax cx dx");
    u32 t_int = ((u32)CX(by_int) << 16) | DX(by_int);
    u32 t_far = ((u32)CX(r) << 16) | DX(r);
    P("fixed.fe6e.cf=%x", CF(r));
    P("fixed.fe6e.al=%02x", AL(r));
    P("fixed.fe6e.ticks_close=%x", t_far >= t_int && t_far - t_int <= 2);
    print_same("fixed.fe6e", (1u << 2) | (1u << 3));

    seed();
    set16(&in.eax, 0x0300);
    set16(&in.edx, 0);
    int_and_far("fixed.e739", 0x14, 0xe739, "ax");
    P("fixed.e739.ax=%04x", AX(r));
    print_same("fixed.e739", 0);

    seed();
    set16(&in.eax, 0x0200);
    set16(&in.edx, 0);
    int_and_far("fixed.efd2", 0x17, 0xefd2, "ax");
    P("fixed.efd2.cf=%x", CF(r));
    P("fixed.efd2.ah=%02x", AH(r));
    print_same("fixed.efd2", 0);

    /* the C0h table at its fixed address, and what C0h points at */
    u8 tab[10], tab2[10];
    for (int i = 0; i < 10; i++)
        tab[i] = peekb(0xf000, (u16)(0xe6f5 + i));
    P("fixed.e6f5.size=%04x", *(u16 *)tab);
    P("fixed.e6f5.model=%02x", tab[2]);
    P("fixed.e6f5.submodel=%02x", tab[3]);
    P("fixed.e6f5.features=%H", tab + 5, 5u);
    simple15(0xc000);
    if (!CF(r)) {
        for (int i = 0; i < 10; i++)
            tab2[i] = peekb(r.es, (u16)(BX(r) + i));
        P("fixed.e6f5.matches_c0=%x", !memcmp(tab, tab2, sizeof(tab)));
    } else {
        P("fixed.e6f5.matches_c0=c0-failed");
    }

    u8 date[8];
    for (int i = 0; i < 8; i++)
        date[i] = peekb(0xf000, (u16)(0xfff5 + i));
    P("fixed.fff5=%S", date, 8u);
    P("fixed.fffe=%02x", peekb(0xf000, 0xfffe));
    u8 op = peekb(0xf000, 0xfff0);
    P("fixed.fff0=%02x", op);
    if (op == 0xea)
        P("fixed.fff0.target=%04x:%04x", peekw(0xf000, 0xfff3), peekw(0xf000, 0xfff1));
}

/* ------------------------------------------------------------------ */
/* Interrupt-driven services: INT 15h 83h/86h, the INT 1Ch hook, INT 1Ah
 * 00h/01h and the midnight rollover.  Every wait below is bounded by a
 * number of changes of the BIOS tick count (40:6C), never by time. */

static volatile u8 ev_flag, ev_flag2;

static u32 ticks(void)
{
    return peekl(0x40, 0x6c);
}

/* Halt with interrupts enabled until (*flag & mask) or the tick count has
 * changed limit times; returns whether the flag came. */
static int wait_flag(volatile u8 *flag, u8 mask, unsigned limit)
{
    u32 last = ticks();
    unsigned changes = 0;
    for (;;) {
        if (*flag & mask)
            return 1;
        u32 t = ticks();
        if (t != last) {
            last = t;
            if (++changes >= limit)
                return 0;
        }
        idle();
    }
}

static void event_wait(volatile u8 *flag, u32 usec)
{
    seed();
    set16(&in.eax, 0x8300);
    set16(&in.ecx, (u16)(usec >> 16));
    set16(&in.edx, (u16)usec);
    set16(&in.ebx, ptr16((const void *)flag));
    in.es = 0;
    call(0x15);
}

static void probe_event_wait(void)
{
    /* 50 ms on ev_flag; a second request while it runs is refused and
     * never touches its own flag */
    ev_flag = 0;
    ev_flag2 = 0;
    event_wait(&ev_flag, 50000);
    P("int15.83.start.cf=%x", CF(r));
    keep("int15.83.start", "ax");
    P("int15.83.start.pending=%x", peekb(0x40, 0xa0) & 1);
    event_wait(&ev_flag2, 50000);
    P("int15.83.busy.cf=%x", CF(r));
    keep("int15.83.busy", "ax");
    P("int15.83.completed=%x", wait_flag(&ev_flag, 0x80, 20));
    P("int15.83.flag=%02x", ev_flag);
    P("int15.83.other_flag=%02x", ev_flag2);
    P("int15.83.after.pending=%x", peekb(0x40, 0xa0) & 1);

    /* once it has ended a new wait is accepted; AL=01h cancels it and
     * the flag stays clear well past its 1 s interval */
    ev_flag2 = 0;
    event_wait(&ev_flag2, 1000000);
    P("int15.83.restart.cf=%x", CF(r));
    simple15(0x8301);
    P("int15.83.cancel.cf=%x", CF(r));
    keep("int15.83.cancel", "ax");
    P("int15.83.cancel.pending=%x", peekb(0x40, 0xa0) & 1);
    P("int15.83.cancelled.fired=%x", wait_flag(&ev_flag2, 0x80, 30));

    /* and after a cancel the next wait works again */
    ev_flag = 0;
    event_wait(&ev_flag, 20000);
    P("int15.83.after_cancel.cf=%x", CF(r));
    P("int15.83.after_cancel.completed=%x", wait_flag(&ev_flag, 0x80, 20));

    /* 86h for 50 ms: returns, and the tick count moved a sane amount */
    u32 t0 = ticks();
    seed();
    set16(&in.eax, 0x8600);
    set16(&in.ecx, 0);
    set16(&in.edx, 50000);
    call(0x15);
    u32 t1 = ticks();
    if (t1 < t0)
        t1 += 0x1800b0;
    P("int15.86.50ms.cf=%x", CF(r));
    keep("int15.86.50ms", "ax");
    P("int15.86.50ms.ticks_sane=%x", t1 - t0 <= 40);
}

static u16 pit0_read(void)
{
    u8 lo, hi;
    outb(0x43, 0x00);           /* latch counter 0 */
    lo = inb(0x40);
    hi = inb(0x40);
    return (u16)(lo | (hi << 8));
}

/* Does IRQ0 reach the CPU?  Checked with interrupts enabled but without
 * HLT (a CPU that takes no interrupts would never wake up again): poll
 * 40:6C while PIT counter 0 runs through up to "periods" reloads, watching
 * the counter itself so the bound needs no interrupt.  Everything after
 * this that halts is skipped when the answer is no. */
static int irq_delivery_check(unsigned periods)
{
    u32 t0 = ticks();
    u16 prev = pit0_read();
    unsigned reloads = 0;
    asm volatile("sti");
    while (reloads < periods) {
        if (ticks() != t0)
            return 1;
        u16 c = pit0_read();
        if (c > prev)
            reloads++;
        prev = c;
    }
    return ticks() != t0;
}

static void probe_int1c(void)
{
    u32 old = peekl(0, 0x1c * 4);
    asm volatile("cli");
    int1c_next = old;
    int1c_count = 0;
    u32 t0 = ticks();
    pokel(0, 0x1c * 4, (u32)ptr16(int1c_hook));
    asm volatile("sti");

    unsigned changes = 0;
    u32 last = t0;
    while (int1c_count < 3 && changes < 20) {
        idle();
        u32 t = ticks();
        if (t != last) {
            last = t;
            changes++;
        }
    }

    asm volatile("cli");
    u16 calls = int1c_count;
    u32 t1 = ticks();
    pokel(0, 0x1c * 4, old);
    asm volatile("sti");
    if (t1 < t0)
        t1 += 0x1800b0;
    P("int1c.called=%x", calls >= 3);
    P("int1c.ticks_advanced=%x", t1 != t0);
    P("int1c.once_per_tick=%x", calls == t1 - t0);
    P("int1c.restored=%x", peekl(0, 0x1c * 4) == old);
}

static u32 read_ticks_1a(void)
{
    seed();
    set16(&in.eax, 0x0000);
    call(0x1a);
    return ((u32)CX(r) << 16) | DX(r);
}

static void set_ticks_1a(u32 t)
{
    seed();
    set16(&in.eax, 0x0100);
    set16(&in.ecx, (u16)(t >> 16));
    set16(&in.edx, (u16)t);
    call(0x1a);
}

static void probe_tick_count(void)
{
    u32 orig = read_ticks_1a();

    set_ticks_1a(0x123456);
    P("int1a.01.cf=%x", CF(r));
    keep("int1a.01", "");
    P("int1a.01.bda=%x", ticks() - 0x123456 <= 2);
    u32 v = read_ticks_1a();
    P("int1a.01.readback=%x", v >= 0x123456 && v - 0x123456 <= 2);

    /* the midnight flag: reported and cleared by 00h, cleared by 01h */
    pokeb(0x40, 0x70, 1);
    read_ticks_1a();
    P("int1a.00.midnight.al=%02x", AL(r));
    P("int1a.00.midnight.after=%02x", peekb(0x40, 0x70));
    read_ticks_1a();
    P("int1a.00.midnight.again.al=%02x", AL(r));
    pokeb(0x40, 0x70, 1);
    set_ticks_1a(0x123456);
    P("int1a.01.midnight.after=%02x", peekb(0x40, 0x70));

    /* a real rollover: one tick before midnight, then let INT 08h run */
    set_ticks_1a(0x1800af);
    unsigned changes = 0;
    u32 last = ticks();
    while (!peekb(0x40, 0x70) && changes < 20) {
        idle();
        if (ticks() != last) {
            last = ticks();
            changes++;
        }
    }
    u8 flag = peekb(0x40, 0x70);
    u32 after = ticks();
    P("int1a.rollover.flag=%x", flag != 0);
    P("int1a.rollover.wrapped=%x", after < 20);
    read_ticks_1a();
    P("int1a.rollover.al_set=%x", AL(r) != 0);
    P("int1a.rollover.in_day=%x", (((u32)CX(r) << 16) | DX(r)) < 20);
    P("int1a.rollover.after=%02x", peekb(0x40, 0x70));

    /* put the clock back (a few ticks behind, which nothing here minds) */
    set_ticks_1a(orig);
}

/* ------------------------------------------------------------------ */
/* INT 10h without a video ROM */

static void probe_int10(void)
{
    seed();
    set16(&in.eax, 0x0f00);
    call(0x10);
    P("int10.0f.ax=%04x", AX(r));
    P("int10.0f.bx=%04x", BX(r));

    seed();
    set16(&in.eax, 0x1a00);
    call(0x10);
    P("int10.1a00.ax=%04x", AX(r));
    P("int10.1a00.bx=%04x", BX(r));

    seed();
    set16(&in.eax, 0x1200);
    set16(&in.ebx, 0x0010);
    call(0x10);
    P("int10.12.bx=%04x", BX(r));
    P("int10.12.cx=%04x", CX(r));
    keep("int10.12", "bx cx");
}

/* ------------------------------------------------------------------ */
/* Keyboard mode (MODE_KEYBOARD): a script tests/qemu/test_keyboard.py
 * drives by sending keys through QMP once each "kbd.ready" line appears.
 *  a: KBD_A keys read with INT 16h 00h, printed as kbd.a.<n>
 *  b: KBD_B keys read with 10h, printed as kbd.b.<n>
 *  c: waits for a shift key to be held, prints 02h/12h/01h, waits for
 *     its release
 *  d: reads nothing until a shift key goes down, then empties the buffer
 *     with 01h/00h, printing kbd.d.<n> and kbd.d.count */
#define KBD_A 12
#define KBD_B 6

static u16 read_key(u8 fn)
{
    seed();
    set16(&in.eax, (u16)(fn << 8));
    call(0x16);
    return AX(r);
}

static int shift_down(void)
{
    return (peekb(0x40, 0x17) & 0x03) != 0;
}

static void keyboard_script(void)
{
    /* more periods than the probe mode allows: without -icount the guest
     * runs in host time and may be descheduled for a while */
    int irqs = irq_delivery_check(40);
    P("irq.delivered=%x", irqs);
    if (!irqs)
        return;                 /* every step below waits for IRQ1 */
    P("kbd.keys.a=%u", KBD_A);
    P("kbd.keys.b=%u", KBD_B);
    P("kbd.flags0=%02x", peekb(0x40, 0x17));
    seed();
    set16(&in.eax, 0x0100);
    call(0x16);
    P("kbd.empty.01.zf=%x", ZF(r));

    P("kbd.ready=a");
    for (unsigned i = 0; i < KBD_A; i++)
        P("kbd.a.%u=%04x", i, read_key(0x00));
    P("kbd.ready=b");
    for (unsigned i = 0; i < KBD_B; i++)
        P("kbd.b.%u=%04x", i, read_key(0x10));

    P("kbd.ready=c");
    while (!shift_down())
        idle();
    seed();
    set16(&in.eax, 0x0200);
    call(0x16);
    P("kbd.c.02=%02x", AL(r));
    seed();
    set16(&in.eax, 0x1200);
    call(0x16);
    P("kbd.c.12=%04x", AX(r));
    seed();
    set16(&in.eax, 0x0100);
    call(0x16);
    P("kbd.c.01.zf=%x", ZF(r));
    P("kbd.c.held=1");
    while (shift_down())
        idle();
    seed();
    set16(&in.eax, 0x0200);
    call(0x16);
    P("kbd.c.02.released=%02x", AL(r));

    P("kbd.ready=d");
    while (!shift_down())
        idle();
    P("kbd.d.head=%04x", peekw(0x40, 0x1a));
    P("kbd.d.tail=%04x", peekw(0x40, 0x1c));
    seed();
    set16(&in.eax, 0x0100);
    call(0x16);
    P("kbd.d.01.zf=%x", ZF(r));
    P("kbd.d.01.ax=%04x", AX(r));
    unsigned n = 0;
    for (; n < 40; n++) {
        seed();
        set16(&in.eax, 0x0100);
        call(0x16);
        if (ZF(r))
            break;
        P("kbd.d.%u=%04x", n, read_key(0x00));
    }
    P("kbd.d.count=%u", n);
    P("kbd.end=1");
}

void probe_main(void)
{
    P("begin=1");
    P("boot.dl=%02x", probe_boot_drive);
    if (probe_mode == MODE_KEYBOARD) {
        keyboard_script();
        P("done=1");
        return;
    }
    probe_fixed();
    probe_bda();
    probe_int13();
    probe_int15();
    probe_kbd_ports();
    probe_int1a();
    probe_int10();
    int irqs = irq_delivery_check(5);
    P("irq.delivered=%x", irqs);
    if (irqs) {
        probe_int1c();
        probe_event_wait();
        probe_tick_count();
    }
    P("done=1");
}
