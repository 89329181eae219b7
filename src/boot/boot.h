/* The boot path of the runtime: INT 19h/18h (boot/boot.c) and the boot
 * menu (boot/menu.c). */
#ifndef KELP_BOOT_H
#define KELP_BOOT_H
#include "rtdata.h"
/* Boot the next entry of the list; when none is left, give up (retry). */
void NORETURN boot_next(void);
/* On request of fw_cfg, offer the menu; the entry picked goes first. */
void boot_menu(void);
/* The entry's name, NUL-terminated in size bytes. */
void boot_entry_name(const struct boot_entry *b, char *buf, u16 size);
/* Timer ticks (18.2 a second) that last at least ms milliseconds. */
u32 ms_to_ticks(u32 ms);
#endif
