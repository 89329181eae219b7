/* The end of POST: the boot list in priority order, the interrupts the
 * runtime handles, and the hand-over to INT 19h. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/cmos.h"
#include "hw/pic.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

u8 boot_prio(int cmos_type)
{
    u8 order[3] = { cmos_read(CMOS_BOOT_12) & 0x0F, cmos_read(CMOS_BOOT_12) >> 4,
                    cmos_read(CMOS_BOOT_3) >> 4 };
    for (int i = 0; i < 3; i++)
        if (order[i] == cmos_type)
            return i + 1;
    return 9;
}

/* One entry per hard disk INT 13h serves (Kelp's own and those option
 * ROMs connected), in drive order. */
void bootlist_add_hd(void)
{
    u8 n = bda8(BDA_HD_COUNT);
    for (u8 i = 0; i < n && rtdata.boot_count < MAX_BOOT; i++) {
        struct boot_entry *b = &rtdata.boot[rtdata.boot_count++];
        memset(b, 0, sizeof(*b));
        b->type = BOOT_HD;
        b->prio = boot_prio(BOOT_CMOS_HD);
        b->off = 0x80 + i;
    }
}

static void bootlist_sort(void)
{
    /* Stable insertion sort by priority. */
    for (int i = 1; i < rtdata.boot_count; i++) {
        struct boot_entry e = rtdata.boot[i];
        int j = i;
        for (; j > 0 && rtdata.boot[j - 1].prio > e.prio; j--)
            rtdata.boot[j] = rtdata.boot[j - 1];
        rtdata.boot[j] = e;
    }
    for (int i = 0; i < rtdata.boot_count; i++) {
        struct boot_entry *b = &rtdata.boot[i];
        if (b->type == BOOT_HD)
            dprintf(LOG_INFO, "boot %d: hard disk %02xh\n", i + 1, b->off);
        else if (b->type == BOOT_CD)
            dprintf(LOG_INFO, "boot %d: CD-ROM %02xh\n", i + 1, b->off);
        else if (b->type == BOOT_FLOPPY)
            dprintf(LOG_INFO, "boot %d: floppy %02xh\n", i + 1, b->off);
        else
            dprintf(LOG_INFO, "boot %d: %s (BEV %04x:%04x)\n", i + 1,
                    b->desc_seg ? (char *)(b->desc_seg * 16 + b->desc_off) : "option ROM",
                    b->seg, b->off);
    }
}

void pic_open_irqs(void)
{
    pic_unmask(0);      /* timer: ROMs and loaders wait on ticks */
    pic_unmask(1);      /* keyboard */
    pic_unmask(2);      /* cascade */
    pic_unmask(8);      /* RTC: INT 15h 83h waits */
}

void boot_start(void)
{
    bootlist_sort();
    dprintf(LOG_INFO, "conventional memory: %u KiB free\n", bda16(BDA_MEM_KB));
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.flags = F_IF;
    call16_int(0x19, &r);
    dprintf(LOG_ERR, "INT 19h returned\n");
    for (;;)
        asm volatile("pause");      /* no cli;hlt: Xen treats it as a crash */
}
