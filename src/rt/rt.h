/* Runtime-internal interfaces. */
#ifndef KELP_RT_H
#define KELP_RT_H
#include "rt/bregs.h"

/* Run INT vec with the registers of *r; results land back in *r. */
void rt_call_int(u8 vec, struct bregs *r);
/* Call a boot entry vector on a segment-0 stack; returns if it does. */
void rt_call_bev(u32 segoff, u16 pnp_offset);
/* Far-call seg:off (segoff = seg << 16 | off) with the registers of *r. */
void rt_call_far(u32 segoff, struct bregs *r);
/* Start a boot program at seg:off with DL = drive; never returns. */
void NORETURN rt_jump_boot(u32 segoff, u8 drive);

bool wait_start(u32 usec, u16 seg, u16 off);
void wait_cancel(void);
void rtc_periodic(bool on);

/* Store an INT 13h status: AH, CF and the BDA status byte of the drive's
 * kind (rt/disk.c). */
void disk_ret(struct bregs *r, u8 status);
/* INT 15h 53h (rt/apm.c). */
void handle_apm(struct bregs *r);
/* Disk reads for the boot code (sector at lba of drive to seg:off). */
int disk_read(u8 drive, u32 lba, u16 count, u16 seg, u16 off);
#endif
