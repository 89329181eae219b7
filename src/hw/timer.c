#include "hw/timer.h"
#include "lib/io.h"
#include "rtdata.h"

u32 pmtimer_read(void)
{
    return rtdata.pmtimer_port ? inl(rtdata.pmtimer_port) & 0xFFFFFF : 0;
}

void timeout_start(struct timeout *t, u32 ms)
{
    t->last = pmtimer_read();
    t->left = ms * (PMTIMER_HZ / 1000);
    t->polls = 0;
}

bool timeout_expired(struct timeout *t)
{
    u32 d;
    if (rtdata.pmtimer_port) {
        if (++t->polls & 15)
            return false;
        u32 now = pmtimer_read();
        d = (now - t->last) & 0xFFFFFF;
        t->last = now;
    } else {
        d = PMTIMER_HZ / 1000000 + 1;
    }
    if (d >= t->left)
        return true;
    t->left -= d;
    return false;
}

void udelay(u32 us)
{
    struct timeout t;
    t.last = pmtimer_read();
    t.left = us * 4 - us / 2;       /* 3.5 ticks per microsecond */
    t.polls = 0;
    while (!timeout_expired(&t))
        ;
}
