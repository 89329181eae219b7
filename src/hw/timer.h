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
    u8 polls;       /* checks since the clock was last read */
};
void timeout_start(struct timeout *t, u32 ms);
/* Whether the time is up. The clock is read on every 16th check only: a
 * poll loop looks at its device far more often than at the PM timer, each
 * read of which is a port access (a VM exit under a hypervisor). */
bool timeout_expired(struct timeout *t);
/* Busy-wait (bounded) for about us microseconds. */
void udelay(u32 us);
u32 pmtimer_read(void);
#endif
