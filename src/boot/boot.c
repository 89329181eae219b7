/* INT 19h (bootstrap) and INT 18h (boot failure, try the next device). */
#include "rt/bregs.h"
#include "rt/rt.h"
#include "rtdata.h"
#include "bda.h"
#include "lib/far.h"
#include "lib/io.h"
#include "lib/output.h"

/* Try to start the boot sector of a hard disk; returns only on failure. */
static void boot_disk(u8 drive)
{
    printf("Booting from Hard Disk %02x...\n", drive);
    int ret = disk_read(drive, 0, 1, 0x0000, 0x7C00);
    if (ret) {
        printf("Boot failed: could not read the boot sector (status %02x)\n", ret);
        return;
    }
    if (peek16(0, 0x7DFE) != 0xAA55) {
        printf("Boot failed: not a bootable disk (no 55AA signature)\n");
        return;
    }
    dprintf(LOG_INFO, "boot: jumping to 0000:7C00 with DL=%02x\n", drive);
    rt_jump_boot(0x00007C00, drive);
}

static void NORETURN boot_exhausted(void)
{
    printf("No bootable device.\n");
    /* Wait for Ctrl-Alt-Del with interrupts open. */
    for (;;)
        wait_irq();
}

/* Boot from the device list, starting after those already tried. */
static void NORETURN boot_next(void)
{
    while (rtdata.boot_fail_count < rtdata.disk_count) {
        u8 drive = 0x80 + rtdata.boot_fail_count++;
        boot_disk(drive);
    }
    boot_exhausted();
}

void handle_19(struct bregs *r)
{
    rtdata.boot_fail_count = 0;
    boot_next();
}

void handle_18(struct bregs *r)
{
    dprintf(LOG_INFO, "boot: INT 18h, trying the next device\n");
    boot_next();
}
