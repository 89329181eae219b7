/* CMOS/RTC registers (ports 70h/71h). Every access keeps NMI masked. */
#ifndef KELP_CMOS_H
#define KELP_CMOS_H
#include "lib/types.h"
u8 cmos_read(u8 reg);
void cmos_write(u8 reg, u8 v);
/* Wait (bounded) until the RTC is not updating; false if it never settles. */
bool rtc_wait_stable(void);
#define CMOS_SECONDS 0x00
#define CMOS_MINUTES 0x02
#define CMOS_HOURS   0x04
#define CMOS_DAY     0x07
#define CMOS_MONTH   0x08
#define CMOS_YEAR    0x09
#define CMOS_STATUS_A 0x0A
#define CMOS_STATUS_B 0x0B
#define CMOS_STATUS_C 0x0C
#define CMOS_STATUS_D 0x0D
#define CMOS_SHUTDOWN 0x0F
#define CMOS_FLOPPY   0x10
#define CMOS_EQUIP    0x14
#define CMOS_EXTMEM_LO 0x30
#define CMOS_EXTMEM_HI 0x31
#define CMOS_CENTURY  0x32
#define CMOS_MEM16M_LO 0x34
#define CMOS_MEM16M_HI 0x35
#define CMOS_BOOT_3   0x38
#define CMOS_ATA_XLATE 0x39
#define CMOS_BOOT_12  0x3D
#define CMOS_MEM4G_0  0x5B
#define CMOS_MEM4G_1  0x5C
#define CMOS_MEM4G_2  0x5D
#endif
