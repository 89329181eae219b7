/* Timeouts from the ACPI PM timer (3.579545 MHz, 24 bits), which needs no
 * calibration and keeps counting with interrupts off. Without a PM timer
 * each check counts as one microsecond, so a poll loop stays bounded. */
#ifndef KELP_TIMER_H
#define KELP_TIMER_H
#include "lib/types.h"
#define PMTIMER_HZ 3579545
struct timeout {
    u32 last;
    u32 left;       /* PM timer ticks */
};
void timeout_start(struct timeout *t, u32 ms);
bool timeout_expired(struct timeout *t);
/* Busy-wait (bounded) for about us microseconds. */
void udelay(u32 us);
u32 pmtimer_read(void);
#endif
