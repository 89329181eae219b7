#include "hw/cmos.h"
#include "lib/io.h"

u8 cmos_read(u8 reg)
{
    outb(reg | 0x80, 0x70);
    return inb(0x71);
}

void cmos_write(u8 reg, u8 v)
{
    outb(reg | 0x80, 0x70);
    outb(v, 0x71);
}

bool rtc_wait_stable(void)
{
    /* An update cycle lasts under 2 ms; the flag is set at most ~244 us
     * before it. Bound the poll by a count, not by time. */
    for (u32 i = 0; i < 100000; i++)
        if (!(cmos_read(CMOS_STATUS_A) & 0x80))
            return true;
    return false;
}
