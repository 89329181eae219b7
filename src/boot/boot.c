/* INT 19h (bootstrap) and INT 18h (boot failure, try the next device):
 * walk the boot list POST built, in priority order, after the boot menu
 * (boot/menu.c) had its say. When nothing is left, say so, then reset
 * after QEMU's reboot-timeout, or wait for Ctrl-Alt-Del. */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "boot/boot.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/string.h"
#include "lib/output.h"
#include "edd.h"
#include "boot/mbr.h"

/* rt/cdrom.c */
void cd_boot(u8 drive);
void cd_emu_stop(void);

/* INT 13h on drive with AH = fn and the other registers of *r. */
static u8 int13(u8 fn, u8 drive, struct bregs *r)
{
    r->ah = fn;
    r->dl = drive;
    rt_call_int(0x13, r);
    return (r->flags & F_CF) ? (r->ah ? r->ah : 0xFF) : 0;
}

/* The drive's size in sectors by INT 13h 48h; 0 when it does not say. */
static u64 disk_sectors(u8 drive)
{
    struct edd_params p;
    struct bregs r;
    memset(&r, 0, sizeof(r));
    p.size = 0x1A;
    p.sectors = 0;
    r.ds = RTSEG;
    r.si = (u16)(u32)&p;
    if (int13(0x48, drive, &r))
        return 0;
    return p.sectors;
}

/* Check the partition table of the boot sector at 0000:7C00; false (and
 * the reason said) when it is corrupt. */
static bool mbr_usable(u8 drive)
{
    static const char *const why[] = {
        [MBR_BAD_FLAG] = "boot indicator not 00h or 80h",
        [MBR_OUTSIDE] = "partition past the end of the disk",
        [MBR_OVERLAP] = "overlapping partitions",
    };
    u8 sec[512];
    int entry;
    far_read(sec, 0, 0x7C00, sizeof(sec));
    int ret = mbr_check(sec, disk_sectors(drive), &entry);
    if (ret)
        printf("Boot failed: disk %02xh: invalid partition table (entry %d: %s)\n",
               drive, entry, why[ret]);
    return !ret;
}

void boot_entry_name(const struct boot_entry *b, char *buf, u16 size)
{
    /* POST names every entry; "?" only if the F-segment had no room. */
    if (b->desc_seg)
        far_read(buf, b->desc_seg, b->desc_off, size - 1);
    else
        memcpy(buf, "?", 2);
    buf[size - 1] = 0;
}

u32 ms_to_ticks(u32 ms)
{
    return ms / 55 + 1;         /* 18.2 ticks a second: 54.9 ms each */
}

/* DOS-era boot code takes for granted that it runs from drive 80h. A
 * hard disk of Kelp's other than the first swaps numbers with 80h for the
 * boot (disks of option ROMs keep theirs); INT 18h swaps them back. */
static void swap_disks(u8 i)
{
    struct disk t = rtdata.disks[0];
    rtdata.disks[0] = rtdata.disks[i];
    rtdata.disks[i] = t;
}

static u8 boot_as_first(u8 drive)
{
    u8 i = drive - 0x80;
    if (drive <= 0x80 || i >= rtdata.disk_count)
        return drive;
    swap_disks(i);
    rtdata.boot_swap = i;
    dprintf(LOG_INFO, "boot: drive %02xh answers as 80h, 80h as %02xh\n", drive, drive);
    return 0x80;
}

static void unswap(void)
{
    if (rtdata.boot_swap) {
        swap_disks(rtdata.boot_swap);
        rtdata.boot_swap = 0;
    }
}

/* Start the boot sector of drive 80h (whoever serves it through INT 13h:
 * Kelp or an option ROM); returns only on failure. */
static void boot_disk(u8 drive)
{
    struct bregs r;
    u8 ret = 0;
    for (int tries = 0; tries < 3; tries++) {
        if (tries)
            int13(0x00, drive, &r);     /* reset, then read again */
        memset(&r, 0, sizeof(r));
        r.al = 1;
        r.cx = 0x0001;
        r.bx = 0x7C00;
        ret = int13(0x02, drive, &r);
        if (!ret)
            break;
    }
    if (ret) {
        printf("Boot failed: could not read the boot sector (status %02x)\n", ret);
        return;
    }
    /* Diskettes from before the signature existed boot without it. */
    if (drive >= 0x80 && peek16(0, 0x7DFE) != 0xAA55) {
        printf("Boot failed: not a bootable disk\n");
        return;
    }
    if (drive >= 0x80 && !mbr_usable(drive))
        return;
    drive = boot_as_first(drive);
    dprintf(LOG_INFO, "boot: jumping to 0000:7C00 with DL=%02x\n", drive);
    rt_jump_boot(0x00007C00, drive);
}

/* A BEV that returned: boot failed on that device. */
void handle_bev_return(struct bregs *r)
{
    printf("Boot failed: the boot ROM returned\n");
    boot_next();
}

/* Nothing left to boot: retry from a reset after the time QEMU gives
 * (-boot reboot-timeout=), or wait for Ctrl-Alt-Del. */
static void NORETURN boot_exhausted(void)
{
    printf("No bootable device.\n");
    u32 ms = rtdata.boot_retry_ms;
    if (ms != ~0u) {
        printf("Retrying in %u seconds.\n", (ms + 999) / 1000);
        u32 ticks = ms_to_ticks(ms), last = bda32(BDA_TICKS);
        while (ticks) {
            wait_irq();
            u32 now = bda32(BDA_TICKS);
            if (now != last) {
                last = now;
                ticks--;
            }
        }
        dprintf(LOG_INFO, "boot: nothing booted, resetting\n");
        kbd_reset_machine();
    }
    /* Wait for Ctrl-Alt-Del with interrupts open. */
    for (;;)
        wait_irq();
}

/* Boot from the list, starting after the entries already tried. */
void NORETURN boot_next(void)
{
    while (rtdata.boot_fail_count < rtdata.boot_limit) {
        struct boot_entry *b = &rtdata.boot[rtdata.boot_fail_count++];
        char name[64];
        boot_entry_name(b, name, sizeof(name));
        printf("Booting from %s...\n", name);
        /* A CD booted before gave up: its emulated drive goes away. */
        cd_emu_stop();
        if (b->type == BOOT_HD || b->type == BOOT_FLOPPY)
            boot_disk(b->off);
        else if (b->type == BOOT_BEV)
            rt_jump_bev(((u32)b->seg << 16) | b->off, rtdata.pnp_offset);
        else if (b->type == BOOT_CD)
            cd_boot(b->off);
    }
    boot_exhausted();
}

void handle_19(struct bregs *r)
{
    unswap();
    rtdata.boot_fail_count = 0;
    boot_menu();
    boot_next();
}

void handle_18(struct bregs *r)
{
    dprintf(LOG_INFO, "boot: INT 18h, trying the next device\n");
    unswap();
    boot_next();
}
