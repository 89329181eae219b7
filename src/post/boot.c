/* The end of POST: the interrupts the runtime handles, and the hand-over
 * to INT 19h with the boot list in order (post/bootlist.c). */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/pic.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

void pic_open_irqs(void)
{
    pic_unmask(0);      /* timer: ROMs and loaders wait on ticks */
    pic_unmask(1);      /* keyboard */
    pic_unmask(2);      /* cascade */
    pic_unmask(8);      /* RTC: INT 15h 83h waits */
}

void boot_start(void)
{
    bootlist_finish();
    dprintf(LOG_INFO, "conventional memory: %u KiB free\n", bda16(BDA_MEM_KB));
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.flags = F_IF;
    call16_int(0x19, &r);
    dprintf(LOG_ERR, "INT 19h returned\n");
    for (;;)
        asm volatile("pause");      /* no cli;hlt: Xen treats it as a crash */
}
