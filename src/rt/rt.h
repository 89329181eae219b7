/* Runtime-internal interfaces. */
#ifndef KELP_RT_H
#define KELP_RT_H
#include "rt/bregs.h"

/* Run INT vec with the registers of *r; results land back in *r. */
void rt_call_int(u8 vec, struct bregs *r);
/* The same for an interrupt handler at seg:off (segoff = seg << 16 | off). */
void rt_call_vec(u32 segoff, struct bregs *r);
/* Start a boot entry vector on a segment-0 stack, leaving the runtime
 * stack for good; if the BEV returns, handle_bev_return() runs. */
void NORETURN rt_jump_bev(u32 segoff, u16 pnp_offset);
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
/* Keyboard (rt/kbd.c): put a key word in the BDA ring (false when full);
 * reset the machine as Ctrl-Alt-Del does. */
bool kbd_store(u16 key);
void kbd_reset_machine(void);

/* Serial console (rt/sercon.c): mirror an INT 10h call, poll the input
 * (from INT 16h), and the timer tick's share (poll, lone ESC). */
void sercon_10(struct bregs *r);
void sercon_poll(void);
void sercon_tick(void);
/* Where teletype output of c moves the cursor from pos (row << 8 | col). */
u16 tty_next(u16 pos, u8 c);

/* Disk reads for the boot code (sector at lba of drive to seg:off). */
int disk_read(u8 drive, u32 lba, u16 count, u16 seg, u16 off);
#endif
