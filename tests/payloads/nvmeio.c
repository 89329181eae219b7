/*
 * Body of the disk I/O probe (nvmeio.img, built by nvmeio.mk): INT 13h
 * transfers of the shapes a driver must get right, on every hard disk the
 * BIOS reports. tests/qemu/test_nvme.py boots it from an NVMe namespace.
 *
 * Boot drive (the probe disk of mkimage.py, 512-byte sectors, markers from
 * LBA 65 on):
 *   read.<name>.*     42h reads into buffers page aligned, dword aligned
 *                     at a page offset, at an odd address, and 64 KiB at
 *                     once; CHS 02h across a track boundary. Each prints
 *                     cf, ah, the DAP count afterwards and the dword sum
 *                     of every sector ("sums", comma separated).
 *   write.<name>.*    43h writes of pattern sectors (see fill_pattern())
 *                     from an aligned, an odd and a page-offset buffer,
 *                     then read back through 42h ("readback=1" if equal).
 *   verify.*, past_end.*  44h in range, 42h beyond the last sector.
 *   err.read.*, err.write.*  transfers over LBAs the test makes fail
 *                     (ERR_READ_LBA, ERR_WRITE_LBA); the status and the
 *                     DAP count of blocks done.
 * Every other hard disk 81h, 82h, ... (any block size):
 *   dNN.48.*          48h with a 4Ah-byte buffer: size, flags, sectors,
 *                     bytes per sector, DPTE pointer, host bus, interface,
 *                     interface and device path bytes, checksum
 *   dNN.read.*        blocks 0-1 into an aligned and an odd buffer
 *   dNN.write.*       block 2 written from an odd buffer, read back
 * The boot drive gets the same dNN.48 lines.
 */
#include "probe.h"

#define SECTOR 512
#define ERR_READ_LBA 3040       /* the test makes reads of this sector fail */
#define ERR_WRITE_LBA 3100      /* and writes of this one */

/* Buffers, all outside the probe's own 64 KiB. */
#define BUF_A 0x2000            /* 2000:0000, page aligned */
#define BUF_B 0x3000
#define BUF_BIG 0x5000          /* 64 KiB */
#define BUF_CHECK 0x7000        /* read-back copies */

static struct probe_regs r;

static struct dap {
    u8 size;
    u8 reserved;
    u16 count;
    u16 off;
    u16 seg;
    u32 lba_lo;
    u32 lba_hi;
} __attribute__((packed)) dap;

static u8 edd[0x4a] __attribute__((aligned(16)));
static char key[32];

#define CF() ((r.eflags & F_CF) ? 1u : 0u)
#define AH() ((u8)(r.eax >> 8))

static void call13(u16 ax, u8 drive)
{
    memset(&r, 0, sizeof(r));
    r.eax = ax;
    r.edx = drive;
    r.esi = (u16)(u32)&dap;
    intcall(0x13, &r);
}

static void ext_rw(u8 fn, u8 drive, u32 lba, u16 count, u16 seg, u16 off)
{
    memset(&dap, 0, sizeof(dap));
    dap.size = 0x10;
    dap.count = count;
    dap.seg = seg;
    dap.off = off;
    dap.lba_lo = lba;
    call13((u16)(fn << 8), drive);
}

/* seg:off normalised so that len bytes from it stay inside the segment. */
static void norm(u16 *seg, u16 *off)
{
    *seg += *off >> 4;
    *off &= 15;
}

static u32 block_sum(u16 seg, u16 off, u32 bytes)
{
    u32 s = 0;
    norm(&seg, &off);
    for (u32 i = 0; i < bytes; i += 4)
        s += peekl(seg, (u16)(off + i));
    return s;
}

static void out_str(const char *s)
{
    while (*s)
        outb(DEBUG_PORT, (u8)*s++);
}

/* "PROBE <name>.sums=<sum>,<sum>,...": one line however many blocks. */
static void print_sums(const char *name, u16 seg, u16 off, u32 blocks, u32 bs)
{
    out_str("PROBE ");
    out_str(name);
    out_str(".sums=");
    for (u32 i = 0; i < blocks; i++) {
        u32 v = block_sum(seg, off, bs);
        char buf[10];
        for (int k = 7; k >= 0; k--, v >>= 4)
            buf[k] = "0123456789abcdef"[v & 15];
        buf[8] = i + 1 < blocks ? ',' : '\n';
        buf[9] = 0;
        out_str(buf);
        seg += bs >> 4;
    }
}

static void report(const char *name, u32 blocks, u32 bs, u16 seg, u16 off)
{
    P("%s.cf=%x", name, CF());
    P("%s.ah=%02x", name, AH());
    P("%s.count=%04x", name, dap.count);
    if (!CF() && blocks)
        print_sums(name, seg, off, blocks, bs);
}

/* Byte i of the pattern sector written to lba; the test computes the same. */
static u8 pattern(u32 lba, u32 i)
{
    return (u8)(lba * 13 + i * 7 + 0x21 + (i >> 8));
}

static void fill_pattern(u16 seg, u16 off, u32 lba, u32 blocks, u32 bs)
{
    norm(&seg, &off);
    for (u32 b = 0; b < blocks; b++, seg += bs >> 4)
        for (u32 i = 0; i < bs; i++)
            pokeb(seg, (u16)(off + i), pattern(lba + b, i));
}

static int same(u16 sa, u16 oa, u16 sb, u16 ob, u32 bytes)
{
    norm(&sa, &oa);
    norm(&sb, &ob);
    for (u32 i = 0; i < bytes; i++) {
        if (peekb(sa, (u16)oa) != peekb(sb, (u16)ob))
            return 0;
        if (++oa == 16) {
            oa = 0;
            sa++;
        }
        if (++ob == 16) {
            ob = 0;
            sb++;
        }
    }
    return 1;
}

static void name2(const char *a, const char *b)
{
    int n = 0;
    while (*a && n < 15)
        key[n++] = *a++;
    key[n++] = '.';
    while (*b && n < (int)sizeof(key) - 1)
        key[n++] = *b++;
    key[n] = 0;
}

static void read_case(const char *name, u8 drive, u32 lba, u16 count, u16 seg, u16 off)
{
    ext_rw(0x42, drive, lba, count, seg, off);
    name2("read", name);
    report(key, count, SECTOR, seg, off);
}

/* Write pattern sectors from seg:off, then read them back elsewhere. */
static void write_case(const char *name, u8 drive, u32 lba, u16 count, u32 bs, u16 seg,
                       u16 off)
{
    fill_pattern(seg, off, lba, count, bs);
    ext_rw(0x43, drive, lba, count, seg, off);
    P("%s.cf=%x", name, CF());
    P("%s.ah=%02x", name, AH());
    P("%s.count=%04x", name, dap.count);
    if (CF())
        return;
    ext_rw(0x42, drive, lba, count, BUF_CHECK, 0);
    P("%s.readback=%x", name, !CF() && same(seg, off, BUF_CHECK, 0, count * bs));
}

static void edd_params(u8 drive, char *prefix)
{
    memset(edd, 0, sizeof(edd));
    *(u16 *)edd = sizeof(edd);
    memset(&r, 0, sizeof(r));
    r.eax = 0x4800;
    r.edx = drive;
    r.esi = (u16)(u32)edd;
    intcall(0x13, &r);
    P("%s.48.cf=%x", prefix, CF());
    P("%s.48.size=%04x", prefix, *(u16 *)edd);
    P("%s.48.flags=%04x", prefix, *(u16 *)(edd + 2));
    P("%s.48.sectors=%08x%08x", prefix, *(u32 *)(edd + 0x14), *(u32 *)(edd + 0x10));
    P("%s.48.bps=%04x", prefix, *(u16 *)(edd + 0x18));
    P("%s.48.dpte=%04x:%04x", prefix, *(u16 *)(edd + 0x1c), *(u16 *)(edd + 0x1a));
    P("%s.48.key=%04x", prefix, *(u16 *)(edd + 0x1e));
    P("%s.48.path_len=%02x", prefix, edd[0x20]);
    P("%s.48.host_bus=%S", prefix, edd + 0x24, 4u);
    P("%s.48.iface=%S", prefix, edd + 0x28, 8u);
    P("%s.48.iface_path=%H", prefix, edd + 0x30, 8u);
    P("%s.48.dev_path=%H", prefix, edd + 0x38, 16u);
    u8 sum = 0;
    for (unsigned i = 0x1e; i < 0x4a; i++)
        sum += edd[i];
    P("%s.48.checksum_ok=%x", prefix, sum == 0);
}

static void boot_drive(u8 drive)
{
    /* Reads: one page and a bit (PRP list), from a page offset, from an
     * odd address (bounce), and 64 KiB (split by the transfer limit). */
    read_case("aligned", drive, 65, 24, BUF_A, 0);
    read_case("offset", drive, 100, 17, BUF_B, 0x204);
    read_case("odd", drive, 130, 20, BUF_A, 0x0001);
    read_case("big", drive, 200, 128, BUF_BIG, 0);

    /* CHS: the six sectors from cylinder 0, head 0, sector 61, which run
     * into head 1 with the geometry the BIOS reports. */
    memset(&r, 0, sizeof(r));
    r.eax = 0x0800;
    r.edx = drive;
    intcall(0x13, &r);
    u8 spt = r.ecx & 0x3f;
    P("read.chs.spt=%u", spt);
    memset(&r, 0, sizeof(r));
    r.eax = 0x0206;
    r.ecx = 61;
    r.edx = drive;
    r.es = BUF_B;
    r.ebx = 0;
    intcall(0x13, &r);
    dap.count = (u8)r.eax;
    report("read.chs", 6, SECTOR, BUF_B, 0);

    write_case("write.aligned", drive, 1000, 10, SECTOR, BUF_A, 0);
    write_case("write.odd", drive, 1100, 3, SECTOR, BUF_B, 0x0003);
    write_case("write.offset", drive, 1200, 20, SECTOR, BUF_A, 0x0204);

    ext_rw(0x44, drive, 65, 10, 0, 0);
    P("verify.cf=%x", CF());
    P("verify.ah=%02x", AH());
    memset(edd, 0, sizeof(edd));
    *(u16 *)edd = sizeof(edd);
    r.eax = 0x4800;
    r.edx = drive;
    r.esi = (u16)(u32)edd;
    intcall(0x13, &r);
    u32 last = *(u32 *)(edd + 0x10) - 1;
    ext_rw(0x42, drive, last, 2, BUF_A, 0);
    P("past_end.cf=%x", CF());
    P("past_end.ah=%02x", AH());
    P("past_end.count=%04x", dap.count);

    /* Failing blocks: the first command of 32 (the test's 16 KiB limit)
     * succeeds, the next reaches the bad block. */
    ext_rw(0x42, drive, ERR_READ_LBA - 40, 48, BUF_A, 0);
    report("err.read", 0, SECTOR, BUF_A, 0);
    fill_pattern(BUF_A, 0, ERR_WRITE_LBA, 4, SECTOR);
    ext_rw(0x43, drive, ERR_WRITE_LBA, 4, BUF_A, 0);
    report("err.write", 0, SECTOR, BUF_A, 0);
}

static void other_drive(u8 drive, const char *prefix)
{
    u16 bps = *(u16 *)(edd + 0x18);
    if (CF() || bps < SECTOR || bps > 4096)
        return;
    ext_rw(0x42, drive, 0, 2, BUF_A, 0);
    name2(prefix, "read.aligned");
    report(key, 2, bps, BUF_A, 0);
    ext_rw(0x42, drive, 0, 2, BUF_B, 0x0001);
    name2(prefix, "read.odd");
    report(key, 2, bps, BUF_B, 0x0001);
    name2(prefix, "write.odd");
    write_case(key, drive, 2, 1, bps, BUF_B, 0x0003);
}

u8 probe_boot_drive;

void probe_main(void)
{
    P("begin=1");
    P("boot.dl=%02x", probe_boot_drive);
    u8 disks = peekb(0x40, 0x75);
    P("disks=%u", disks);
    char prefix[4] = "d80";
    for (u8 i = 0; i < disks; i++) {
        u8 drive = 0x80 + i;
        prefix[1] = "0123456789abcdef"[drive >> 4];
        prefix[2] = "0123456789abcdef"[drive & 15];
        edd_params(drive, prefix);
        if (drive == probe_boot_drive)
            boot_drive(drive);
        else
            other_drive(drive, prefix);
    }
    P("done=1");
}
