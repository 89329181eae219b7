/*
 * Disk I/O probe: INT 13h reads, writes and verifies on the boot drive,
 * with buffers placed the way real callers place them (above 64 KiB,
 * across a 64 KiB boundary, at odd addresses), checked against the
 * marker sectors of the image (mkimage.py).  Booted like the main probe
 * (mbr.S loads this body to 0000:8000), it prints one
 * "PROBE io.<name>=<cf>:<ah>:<count>:<good>" line per check on the debug
 * console and exits QEMU with the OK status:
 *   cf, ah   the carry flag and status of the call;
 *   count    the block count the BIOS wrote back (42h/43h/44h) or AL (02h,
 *            03h, 04h);
 *   good     how many sectors read back hold exactly what they should.
 *
 * Unlike the main probe this one WRITES: run it on a copy of the image.
 * The sectors it writes (WRITE_* below) get write_sector()'s pattern; the
 * test reads the copy afterwards to see that what INT 13h reported as
 * written is on the disk, and that what it reported as failed is not.
 * ERR_READ_LBA and ERR_WRITE_LBA are the sectors a test may make fail
 * (QEMU blkdebug); the calls around them show the status of a failure
 * and that the next command works again.
 */
#include "probe.h"

#define SECTOR 512

#define READ_LBA       100      /* reads: marker sectors from here */
#define WRITE_EXT_LBA  4000     /* 43h, 8 sectors */
#define WRITE_ODD_LBA  4100     /* 43h from an odd address, 6 sectors */
#define WRITE_AFTER_LBA 4200    /* 43h after a failed write, 1 sector */
#define WRITE_CHS_CYL  5        /* 03h at C5/H1/S1, 2 sectors */
#define ERR_READ_LBA   6000
#define ERR_WRITE_LBA  6100

/* Must match mkimage.py. */
static const u8 marker_magic[8] = { 'K', 'P', 'R', 'B', 'S', 'E', 'C', 'T' };
static const u8 write_magic[4] = { 'K', 'I', 'O', 'W' };

u8 probe_boot_drive;
static u8 drive;
static u16 heads = 16, spt = 63;
static struct probe_regs r;

struct dap {
    u8 size, reserved;
    u16 count, off, seg;
    u32 lba_lo, lba_hi;
} __attribute__((packed));
static struct dap dap;

static void seed(void)
{
    memset(&r, 0, sizeof(r));
}

static u32 cf(void)
{
    return r.eflags & F_CF ? 1 : 0;
}

static u8 ah(void)
{
    return (u8)(r.eax >> 8);
}

/* 42h/43h/44h with the buffer at seg:off. */
static void ext_call(u8 fn, u32 lba, u16 count, u16 seg, u16 off)
{
    memset(&dap, 0, sizeof(dap));
    dap.size = 0x10;
    dap.count = count;
    dap.off = off;
    dap.seg = seg;
    dap.lba_lo = lba;
    seed();
    r.eax = (u32)fn << 8;
    r.edx = drive;
    r.esi = (u32)&dap;
    intcall(0x13, &r);
}

/* 02h/03h/04h at LBA lba (converted with the 08h geometry). */
static void chs_call(u8 fn, u32 lba, u8 count, u16 seg, u16 off)
{
    u32 cyl = lba / (heads * spt), rem = lba % (heads * spt);
    u32 head = rem / spt, sec = rem % spt + 1;
    seed();
    r.eax = (u32)fn << 8 | count;
    r.ecx = (cyl & 0xFF) << 8 | ((cyl >> 2) & 0xC0) | sec;
    r.edx = head << 8 | drive;
    r.ebx = off;
    r.es = seg;
    intcall(0x13, &r);
}

/* Byte i of the marker sector at lba (mkimage.marker_sector(), for a
 * sector that is not the disk's last). */
static u8 marker_byte(u32 lba, u32 i)
{
    static const u8 tag[4] = { 'D', 'A', 'T', 'A' };
    if (i < 8)
        return marker_magic[i];
    if (i < 12)
        return (u8)(lba >> (8 * (i - 8)));
    if (i < 16)
        return tag[i - 12];
    u8 shift = (u8)(lba * 7 + (lba >> 8));
    return (u8)((i - 16) * 13 + shift);
}

/* Byte i of what the probe writes at lba: "KIOW", the LBA, a 4-byte tag
 * naming the call, a filler from the LBA. */
static u8 write_byte(u32 lba, const char *tag, u32 i)
{
    if (i < 4)
        return write_magic[i];
    if (i < 8)
        return (u8)(lba >> (8 * (i - 4)));
    if (i < 12)
        return (u8)tag[i - 8];
    return (u8)(i * 7 + lba * 3);
}

/* Far-memory byte access with a linear address, below 1 MiB. */
static u8 lin_rd(u32 a)
{
    return peekb(a >> 4, a & 15);
}

static void lin_wr(u32 a, u8 v)
{
    pokeb(a >> 4, a & 15, v);
}

static void fill(u32 a, u32 n, u8 v)
{
    for (u32 i = 0; i < n; i++)
        lin_wr(a + i, v);
}

/* Sectors at linear address a that hold the markers of lba, lba+1, ... */
static u32 good_markers(u32 a, u32 lba, u32 n)
{
    u32 good = 0;
    for (u32 s = 0; s < n; s++) {
        u32 i;
        for (i = 0; i < SECTOR; i++)
            if (lin_rd(a + s * SECTOR + i) != marker_byte(lba + s, i))
                break;
        good += i == SECTOR;
    }
    return good;
}

static void write_pattern(u32 a, u32 lba, u32 n, const char *tag)
{
    for (u32 s = 0; s < n; s++)
        for (u32 i = 0; i < SECTOR; i++)
            lin_wr(a + s * SECTOR + i, write_byte(lba + s, tag, i));
}

static u32 good_pattern(u32 a, u32 lba, u32 n, const char *tag)
{
    u32 good = 0;
    for (u32 s = 0; s < n; s++) {
        u32 i;
        for (i = 0; i < SECTOR; i++)
            if (lin_rd(a + s * SECTOR + i) != write_byte(lba + s, tag, i))
                break;
        good += i == SECTOR;
    }
    return good;
}

static void report(const char *name, u32 count, u32 good)
{
    P("io.%s=%x:%02x:%x:%u", name, cf(), ah(), count, good);
}

/* 42h of n sectors from lba to linear a (a poisoned buffer first). */
static void read_check(const char *name, u32 lba, u16 n, u32 a)
{
    fill(a, n * SECTOR, 0xEE);
    ext_call(0x42, lba, n, a >> 4, a & 15);
    report(name, dap.count, good_markers(a, lba, n));
}

/* 43h of the pattern, then 42h into another buffer to compare. */
static void write_check(const char *name, const char *tag, u32 lba, u16 n, u32 a)
{
    const u32 back = 0x50000;
    write_pattern(a, lba, n, tag);
    ext_call(0x43, lba, n, a >> 4, a & 15);
    u32 wcf = cf(), wah = ah(), wcount = dap.count;
    fill(back, n * SECTOR, 0xEE);
    ext_call(0x42, lba, n, back >> 4, 0);
    u32 good = cf() ? 0 : good_pattern(back, lba, n, tag);
    P("io.%s=%x:%02x:%x:%u", name, wcf, wah, wcount, good);
}

void probe_main(void)
{
    drive = probe_boot_drive;
    P("io.drive=%02x", drive);
    seed();
    r.eax = 0x0800;
    r.edx = drive;
    intcall(0x13, &r);
    if (!cf()) {
        heads = ((r.edx >> 8) & 0xFF) + 1;
        spt = r.ecx & 0x3F;
    }
    P("io.geometry=%u:%u", heads, spt);

    /* Reads: well above 64 KiB, across the 64 KiB line at 20000h, at an
     * odd address (more sectors than a small bounce buffer), with 02h,
     * and the largest count a 10h-byte packet may ask for. */
    read_check("read.ext", READ_LBA, 96, 0x20000);
    read_check("read.cross", READ_LBA + 200, 16, 0x1F000);
    read_check("read.odd", READ_LBA + 300, 9, 0x30001);
    fill(0x30001, 3 * SECTOR, 0xEE);
    chs_call(0x02, READ_LBA + 400, 3, 0x3000, 1);
    report("read.chs.odd", r.eax & 0xFF, good_markers(0x30001, READ_LBA + 400, 3));
    read_check("read.127", READ_LBA + 500, 127, 0x60000);

    /* Writes, each read back through INT 13h. */
    write_check("write.ext", "EXT ", WRITE_EXT_LBA, 8, 0x40000);
    write_check("write.odd", "ODD ", WRITE_ODD_LBA, 6, 0x40001);
    u32 chs_lba = (WRITE_CHS_CYL * heads + 1) * spt;
    write_pattern(0x40000, chs_lba, 2, "CHS ");
    chs_call(0x03, chs_lba, 2, 0x4000, 0);
    u32 wcf = cf(), wah = ah(), wal = r.eax & 0xFF;
    fill(0x50000, 2 * SECTOR, 0xEE);
    ext_call(0x42, chs_lba, 2, 0x5000, 0);
    P("io.write.chs=%x:%02x:%x:%u", wcf, wah, wal,
      cf() ? 0 : good_pattern(0x50000, chs_lba, 2, "CHS "));
    P("io.write.chs.lba=%u", chs_lba);

    /* Verify. */
    ext_call(0x44, READ_LBA, 16, 0, 0);
    report("verify.ext", dap.count, 0);
    chs_call(0x04, READ_LBA, 1, 0, 0);
    report("verify.chs", r.eax & 0xFF, 0);

    /* Failures (when the test poisons these sectors) and what follows. */
    read_check("err.read", ERR_READ_LBA - 2, 4, 0x20000);
    seed();
    r.eax = 0x0100;
    r.edx = drive;
    intcall(0x13, &r);
    P("io.err.read.status01=%02x", ah());
    read_check("err.read.after", READ_LBA, 1, 0x20000);
    write_pattern(0x40000, ERR_WRITE_LBA, 2, "ERR ");
    ext_call(0x43, ERR_WRITE_LBA, 2, 0x4000, 0);
    report("err.write", dap.count, 0);
    write_check("err.write.after", "AFTR", WRITE_AFTER_LBA, 1, 0x40000);
}
