/* The end of POST: open the interrupts the runtime handles and hand over
 * to INT 19h, which loads and starts the boot program. */
#include "post/post.h"
#include "rtdata.h"
#include "hw/pic.h"
#include "lib/string.h"
#include "lib/output.h"

void boot_start(void)
{
    pic_unmask(0);      /* timer: loaders time their menus with it */
    pic_unmask(1);      /* keyboard */
    pic_unmask(2);      /* cascade */
    pic_unmask(8);      /* RTC: INT 15h 83h/86h waits */
    dprintf(LOG_INFO, "conventional memory: %u KiB free\n", 640 - rtdata.ebda_kb);
    struct bregs r;
    memset(&r, 0, sizeof(r));
    r.flags = F_IF;
    call16_int(0x19, &r);
    dprintf(LOG_ERR, "INT 19h returned\n");
    for (;;)
        asm volatile("cli; hlt");
}
