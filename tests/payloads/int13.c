/* INT 13h checks of tests/qemu/test_int13.py: the same body as the probe
 * (probe_entry.S, probe_lib.c, loaded by mbr.S), with its own script per
 * mode byte. Every result is a "PROBE <key>=<fields>" line, fields split
 * by ':', the first ones CF and AH of the call (see test_int13.py for what
 * each key must say).
 *
 *   MODE_BIG      on a disk beyond 2 TiB: 41h, 48h, 42h around the LBA28
 *                 and 32-bit limits, at a marker above 2^32 and at the
 *                 last sector, 42h past the end
 *   MODE_WRITE    03h (CHS) and 43h writes, 43h with verify, a write from
 *                 a buffer past FFFF:FFFF, then the written sectors read
 *                 back
 *   MODE_FAULTS   reads and writes of the sectors the test makes fail
 *                 (QEMU blkdebug), each tried twice
 *   MODE_REQUESTS disk address packets and buffers at the edges: block
 *                 counts, packet sizes, 64-bit flat buffers, buffers
 *                 crossing a segment, in the HMA and past FFFF:FFFF, a
 *                 drive left in the middle of a command
 *
 * The disk is probe.img's layout (mkimage.py): marker sectors from LBA 65
 * on. Buffers live at 1000:0000 and up, away from the body at 0000:8000. */
#include "probe.h"

#define MODE_BIG 2
#define MODE_WRITE 3
#define MODE_FAULTS 4
#define MODE_REQUESTS 5

#define SECTOR 512
#define BUF_SEG 0x2000

u8 probe_boot_drive;

struct dap {
    u8 size, reserved;
    u16 count;
    u16 off, seg;
    u32 lba_lo, lba_hi;
    u32 flat_lo, flat_hi;
} __attribute__((packed));

static struct dap dap;
static struct probe_regs r;

static u32 cf(void)
{
    return r.eflags & F_CF;
}

static u32 ah(void)
{
    return (r.eax >> 8) & 0xFF;
}

static void int13(u16 ax)
{
    r.eax = ax;
    r.edx = (r.edx & 0xFF00) | probe_boot_drive;
    intcall(0x13, &r);
}

/* 42h-44h with the packet as set up; AL goes with AH (43h: verify). */
static void ext(u8 fn, u8 al)
{
    memset(&r, 0, sizeof(r));
    r.esi = (u32)&dap;
    r.ds = 0;
    int13((u16)(fn << 8 | al));
}

static void set_dap(u32 lba_hi, u32 lba_lo, u16 count, u16 seg, u16 off)
{
    memset(&dap, 0, sizeof(dap));
    dap.size = 0x10;
    dap.count = count;
    dap.seg = seg;
    dap.off = off;
    dap.lba_lo = lba_lo;
    dap.lba_hi = lba_hi;
}

static u32 sum(u16 seg, u16 off)
{
    u32 s = 0;
    for (u16 i = 0; i < SECTOR; i += 4)
        s += peekl(seg, (u16)(off + i));
    return s;
}

static void fill(u16 seg, u16 off, u32 len, u8 v)
{
    for (u32 i = 0; i < len; i++)
        pokeb(seg, (u16)(off + i), v);
}

/* 1 if len bytes at seg:off all hold v. */
static u32 all(u16 seg, u16 off, u32 len, u8 v)
{
    for (u32 i = 0; i < len; i++)
        if (peekb(seg, (u16)(off + i)) != v)
            return 0;
    return 1;
}

/* "<key>=<cf>:<ah>:<count from the packet>" */
static void report_ext(const char *key)
{
    P("%s=%x:%02x:%x", key, cf(), ah(), dap.count);
}

/* "<key>=<first 16 bytes>:<sum>" of the sector at seg:off. */
static void report_sector(const char *key, u16 seg, u16 off)
{
    u8 head[16];
    for (int i = 0; i < 16; i++)
        head[i] = peekb(seg, (u16)(off + i));
    P("%s=%H:%08x", key, head, 16, sum(seg, off));
}

/* ------------------------------------------------------------------ */

/* LBAs the test writes markers to on the big disk. */
static const u32 big_reads[][3] = {      /* hi, lo, count */
    { 0, 0x0FFFFFFF, 2 },               /* across the LBA28 limit */
    { 0, 0xFFFFFFFF, 2 },               /* across 2^32 */
    { 1, 0x00002345, 1 },               /* well above 2^32 */
};

static void big(void)
{
    static u8 edd[0x1E];
    memset(&r, 0, sizeof(r));
    r.ebx = 0x55AA;
    int13(0x4100);
    P("big.41=%x:%02x:%04x:%04x", cf(), ah(), r.ebx & 0xFFFF, r.ecx & 0xFFFF);

    memset(edd, 0, sizeof(edd));
    edd[0] = sizeof(edd);
    memset(&r, 0, sizeof(r));
    r.esi = (u32)edd;
    int13(0x4800);
    u32 lo = *(u32 *)(edd + 0x10), hi = *(u32 *)(edd + 0x14);
    P("big.48=%x:%02x:%08x%08x:%04x", cf(), ah(), hi, lo, *(u16 *)(edd + 0x18));

    for (unsigned i = 0; i < sizeof(big_reads) / sizeof(big_reads[0]); i++) {
        const u32 *b = big_reads[i];
        set_dap(b[0], b[1], (u16)b[2], BUF_SEG, 0);
        ext(0x42, 0);
        P("big.42.%x%08x=%x:%02x:%x", b[0], b[1], cf(), ah(), dap.count);
        for (u32 j = 0; j < b[2]; j++) {
            u32 l = b[1] + j, h = b[0] + (l < b[1]);
            u8 head[16];
            for (int k = 0; k < 16; k++)
                head[k] = peekb(BUF_SEG, (u16)(j * SECTOR + k));
            P("big.sec.%x%08x=%H:%08x", h, l, head, 16, sum(BUF_SEG, (u16)(j * SECTOR)));
        }
    }

    /* The last sector, and the one after it. */
    u32 llo = lo - 1, lhi = hi - (lo == 0);
    set_dap(lhi, llo, 1, BUF_SEG, 0);
    ext(0x42, 0);
    P("big.42.last=%x:%02x:%x", cf(), ah(), dap.count);
    report_sector("big.sec.last", BUF_SEG, 0);
    set_dap(hi, lo, 1, BUF_SEG, 0);
    ext(0x42, 0);
    report_ext("big.42.beyond");
}

/* ------------------------------------------------------------------ */

/* The contents the write tests give sector lba (tag names the call). */
static void pattern(u16 seg, u16 off, u32 lba, u8 tag)
{
    static const char magic[8] = "KI13WRIT";
    for (int i = 0; i < 8; i++)
        pokeb(seg, (u16)(off + i), (u8)magic[i]);
    pokel(seg, (u16)(off + 8), lba);
    pokeb(seg, (u16)(off + 12), tag);
    for (u16 i = 13; i < SECTOR; i++)
        pokeb(seg, (u16)(off + i), (u8)(i * 5 + lba + tag));
}

static u16 geo_heads = 16, geo_spt = 63;

static void chs_write(u32 lba, u8 count, u16 seg, u16 off)
{
    u16 cyl = (u16)(lba / geo_spt / geo_heads);
    u8 head = (u8)(lba / geo_spt % geo_heads), sec = (u8)(lba % geo_spt + 1);
    memset(&r, 0, sizeof(r));
    r.ecx = (u16)(((cyl & 0xff) << 8) | ((cyl >> 2) & 0xc0) | sec);
    r.edx = (u16)(head << 8);
    r.ebx = off;
    r.es = seg;
    int13((u16)(0x0300 | count));
}

static void write_back(const char *key, u32 lba, u16 count)
{
    set_dap(0, lba, count, BUF_SEG, 0);
    fill(BUF_SEG, 0, (u32)count * SECTOR, 0);
    ext(0x42, 0);
    P("%s=%x:%02x:%x", key, cf(), ah(), dap.count);
    for (u16 i = 0; i < count; i++)
        P("%s.%u=%08x", key, i, sum(BUF_SEG, (u16)(i * SECTOR)));
}

static void writes(void)
{
    memset(&r, 0, sizeof(r));
    int13(0x0800);
    if (!cf()) {
        geo_spt = r.ecx & 0x3F;
        geo_heads = (u16)(((r.edx >> 8) & 0xFF) + 1);
    }
    P("wr.geometry=%u:%u", geo_heads, geo_spt);

    /* 03h: two sectors at LBA 100 */
    pattern(BUF_SEG, 0, 100, 'C');
    pattern(BUF_SEG, SECTOR, 101, 'C');
    chs_write(100, 2, BUF_SEG, 0);
    P("wr.03=%x:%02x:%x", cf(), ah(), r.eax & 0xFF);

    /* 43h: three sectors at LBA 200 */
    for (u16 i = 0; i < 3; i++)
        pattern(BUF_SEG, (u16)(i * SECTOR), 200 + i, 'E');
    set_dap(0, 200, 3, BUF_SEG, 0);
    ext(0x43, 0);
    report_ext("wr.43");

    /* 43h AL=2, write with verify: LBA 300 */
    pattern(BUF_SEG, 0, 300, 'V');
    set_dap(0, 300, 1, BUF_SEG, 0);
    ext(0x43, 2);
    report_ext("wr.43v");

    /* A buffer running past FFFF:FFFF: refused, LBA 400 keeps its marker. */
    set_dap(0, 400, 1, 0xFFFF, 0xFF00);
    ext(0x43, 0);
    report_ext("wr.43wrap");

    write_back("wr.back.100", 100, 2);
    write_back("wr.back.200", 200, 3);
    write_back("wr.back.300", 300, 1);
    write_back("wr.back.400", 400, 1);
}

/* ------------------------------------------------------------------ */

/* The sectors test_int13.py makes fail (blkdebug rules). */
#define FLT_FLUSH 4000          /* the cache flush after this write fails once */
#define FLT_READ_ONCE 1000      /* read fails once */
#define FLT_READ_BAD 2000       /* read fails every time */
#define FLT_WRITE_ONCE 3000     /* write fails once */

static void faults(void)
{
    /* The flush first: the rule fires on the first flush of the run. */
    pattern(BUF_SEG, 0, FLT_FLUSH, 'F');
    set_dap(0, FLT_FLUSH, 1, BUF_SEG, 0);
    ext(0x43, 0);
    report_ext("flt.flush.1");
    set_dap(0, FLT_FLUSH, 1, BUF_SEG, 0);
    ext(0x43, 0);
    report_ext("flt.flush.2");

    for (int i = 1; i <= 2; i++) {
        fill(BUF_SEG, 0, SECTOR, 0);
        set_dap(0, FLT_READ_ONCE, 1, BUF_SEG, 0);
        ext(0x42, 0);
        P("flt.read.%u=%x:%02x:%x:%08x", i, cf(), ah(), dap.count, sum(BUF_SEG, 0));
    }

    /* Four sectors, the third one bad: two arrive, the count says so. */
    fill(BUF_SEG, 0, 4 * SECTOR, 0);
    set_dap(0, FLT_READ_BAD - 2, 4, BUF_SEG, 0);
    ext(0x42, 0);
    P("flt.multi=%x:%02x:%x:%08x:%08x", cf(), ah(), dap.count, sum(BUF_SEG, 0),
      sum(BUF_SEG, SECTOR));
    memset(&r, 0, sizeof(r));
    int13(0x0100);
    P("flt.status=%x:%02x", cf(), ah());

    for (int i = 1; i <= 2; i++) {
        pattern(BUF_SEG, 0, FLT_WRITE_ONCE, (u8)('0' + i));
        set_dap(0, FLT_WRITE_ONCE, 1, BUF_SEG, 0);
        ext(0x43, 0);
        P("flt.write.%u=%x:%02x:%x", i, cf(), ah(), dap.count);
    }
}

/* ------------------------------------------------------------------ */

static u8 ivt[1024];

static u32 ivt_same(void)
{
    for (u16 i = 0; i < sizeof(ivt); i++)
        if (peekb(0, i) != ivt[i])
            return 0;
    return 1;
}

static void requests(void)
{
    for (u16 i = 0; i < sizeof(ivt); i++)
        ivt[i] = peekb(0, i);

    /* Block counts: 127 is the most EDD allows and 128 (64 KiB) is served
     * too; a word 256 is refused and nothing moves. */
    fill(BUF_SEG, 0, SECTOR, 0xA5);
    set_dap(0, 100, 128, BUF_SEG, 0);
    ext(0x42, 0);
    P("rq.count128=%x:%02x:%x:%x", cf(), ah(), dap.count, all(BUF_SEG, 0, SECTOR, 0xA5));
    fill(BUF_SEG, 0, SECTOR, 0xA5);
    set_dap(0, 100, 256, BUF_SEG, 0);
    ext(0x42, 0);
    P("rq.count256=%x:%02x:%x:%x", cf(), ah(), dap.count, all(BUF_SEG, 0, SECTOR, 0xA5));
    set_dap(0, 65, 127, BUF_SEG, 0);
    ext(0x42, 0);
    P("rq.count127=%x:%02x:%x:%08x:%08x", cf(), ah(), dap.count, sum(BUF_SEG, 0),
      sum(BUF_SEG + 126 * SECTOR / 16, 0));

    /* Packet sizes and the 64-bit flat buffer. */
    set_dap(0, 70, 1, BUF_SEG, 0);
    dap.size = 0x0F;
    ext(0x42, 0);
    report_ext("rq.size0f");
    fill(0x3000, 0, SECTOR, 0);
    set_dap(0, 70, 1, 0xFFFF, 0xFFFF);
    dap.size = 0x18;
    dap.flat_lo = 0x30000;
    ext(0x42, 0);
    P("rq.flat=%x:%02x:%x:%08x", cf(), ah(), dap.count, sum(0x3000, 0));
    set_dap(0, 70, 1, 0xFFFF, 0xFFFF);
    dap.flat_lo = 0x30000;          /* a 10h packet has no flat address */
    ext(0x42, 0);
    report_ext("rq.flat10");
    set_dap(0, 70, 1, 0xFFFF, 0xFFFF);
    dap.size = 0x18;
    dap.flat_lo = 0x200000;         /* out of real mode's reach */
    ext(0x42, 0);
    report_ext("rq.flathigh");
    set_dap(0, 70, 1, 0xFFFF, 0xFFFF);
    dap.size = 0x18;
    dap.flat_hi = 1;
    ext(0x42, 0);
    report_ext("rq.flat64");

    /* Two sectors from 1000:FF00 go on past the segment's end; the start
     * of the segment is not touched. */
    fill(0x1000, 0, SECTOR, 0x5A);
    set_dap(0, 80, 2, 0x1000, 0xFF00);
    ext(0x42, 0);
    P("rq.cross=%x:%02x:%x:%08x:%08x:%x", cf(), ah(), dap.count, sum(0x1FF0, 0),
      sum(0x2010, 0), all(0x1000, 0, SECTOR, 0x5A));

    /* FFFF:0010 is 100000h (the HMA, A20 is on). */
    fill(0xFFFF, 0x10, SECTOR, 0);
    set_dap(0, 90, 1, 0xFFFF, 0x0010);
    ext(0x42, 0);
    P("rq.hma=%x:%02x:%x:%08x:%x", cf(), ah(), dap.count, sum(0xFFFF, 0x10), ivt_same());

    /* A sector at FFFF:FF00 would run past FFFF:FFFF: refused, by 42h and
     * by 02h, and nothing is written (neither there nor at 0000:0000). */
    fill(0xFFFF, 0xFF00, 0xF0, 0xC3);
    set_dap(0, 95, 1, 0xFFFF, 0xFF00);
    ext(0x42, 0);
    P("rq.wrap=%x:%02x:%x:%x:%x", cf(), ah(), dap.count, all(0xFFFF, 0xFF00, 0xF0, 0xC3),
      ivt_same());
    memset(&r, 0, sizeof(r));
    r.ecx = 0x0001;
    r.es = 0xFFFF;
    r.ebx = 0xFF00;
    int13(0x0201);
    P("rq.chswrap=%x:%02x:%x:%x:%x", cf(), ah(), r.eax & 0xFF,
      all(0xFFFF, 0xFF00, 0xF0, 0xC3), ivt_same());

    /* 47h (seek) has no use for the count. */
    set_dap(0, 70, 500, 0, 0);
    ext(0x47, 0);
    P("rq.seek=%x:%02x", cf(), ah());

    /* A program that drove the primary channel itself and left the drive
     * in the middle of a READ SECTORS (data for LBA 500 waiting): the
     * next 42h must still bring the sector it asks for. */
    outb(0x1F6, 0xE0);
    outb(0x1F2, 2);
    outb(0x1F3, 500 & 0xFF);
    outb(0x1F4, 500 >> 8);
    outb(0x1F5, 0);
    outb(0x1F7, 0x20);
    u32 st = 0;
    for (u32 i = 0; i < 1000000 && ((st = inb(0x1F7)) & 0x88) != 0x08; i++)
        ;
    fill(BUF_SEG, 0, SECTOR, 0);
    set_dap(0, 600, 1, BUF_SEG, 0);
    ext(0x42, 0);
    P("rq.stale=%x:%02x:%x:%08x:%02x", cf(), ah(), dap.count, sum(BUF_SEG, 0), st);
}

void probe_main(void)
{
    P("begin=1");
    P("mode=%u", probe_mode);
    switch (probe_mode) {
    case MODE_BIG:
        big();
        break;
    case MODE_WRITE:
        writes();
        break;
    case MODE_FAULTS:
        faults();
        break;
    case MODE_REQUESTS:
        requests();
        break;
    }
    P("done=1");
}
