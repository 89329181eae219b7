/* Interrupt vector table, BIOS data area and EBDA. */
#include "post/post.h"
#include "rtdata.h"
#include "bda.h"
#include "hw/cmos.h"
#include "lib/far.h"
#include "lib/string.h"
#include "lib/output.h"

extern char fx_iret[], fx_hw_master[], fx_hw_slave[], fx_int18[], fx_int70[];

#define FSEG(off) (0xF0000000u | (off))
#define FSEG_SYM(sym) (0xF0000000u | ((u32)(sym) - 0xF0000))

static void set_vec(u8 vec, u32 segoff)
{
    *(volatile u32 *)(vec * 4u) = segoff;
}

void ivt_init(void)
{
    static const struct { u8 vec; u16 off; } fixed[] = {
        { 0x02, 0xE2C3 }, { 0x05, 0xFF54 }, { 0x08, 0xFEA5 }, { 0x09, 0xE987 },
        { 0x0E, 0xEF57 }, { 0x10, 0xF065 }, { 0x11, 0xF84D }, { 0x12, 0xF841 },
        { 0x13, 0xE3FE }, { 0x14, 0xE739 }, { 0x15, 0xF859 }, { 0x16, 0xE82E },
        { 0x17, 0xEFD2 }, { 0x19, 0xE6F2 }, { 0x1A, 0xFE6E }, { 0x1D, 0xF0A4 },
        { 0x1E, 0xEFC7 }, { 0x40, 0xEC59 },
    };
    for (int v = 0; v < 256; v++)
        set_vec(v, FSEG_SYM(fx_iret));
    for (int v = 0x08; v < 0x10; v++)
        set_vec(v, FSEG_SYM(fx_hw_master));
    for (int v = 0x70; v < 0x78; v++)
        set_vec(v, FSEG_SYM(fx_hw_slave));
    for (unsigned i = 0; i < ARRAY_SIZE(fixed); i++)
        set_vec(fixed[i].vec, FSEG(fixed[i].off));
    set_vec(0x18, FSEG_SYM(fx_int18));
    set_vec(0x70, FSEG_SYM(fx_int70));
    set_vec(0x1F, 0);                   /* no 8x8 upper font until a VGA ROM */
    for (int v = 0x60; v <= 0x67; v++)  /* free for user programs */
        set_vec(v, 0);
    set_vec(0x41, ((u32)EBDA_SEG_DEFAULT << 16) | EBDA_FDPT0);
    set_vec(0x46, ((u32)EBDA_SEG_DEFAULT << 16) | EBDA_FDPT1);
}

static u8 bcd2bin(u8 v) { return (v >> 4) * 10 + (v & 15); }

void bda_init(void)
{
    memset((void *)0x400, 0, 0x100);
    u16 ebda = EBDA_SEG_DEFAULT;
    memset((void *)(ebda * 16), 0, EBDA_SIZE_KB * 1024);
    poke16(ebda, EBDA_SIZE_FIELD, EBDA_SIZE_KB);
    bda_set16(BDA_EBDA_SEG, ebda);
    bda_set16(BDA_MEM_KB, ebda / 64);

    bda_set16(BDA_KBD_HEAD, BDA_KBD_BUF);
    bda_set16(BDA_KBD_TAIL, BDA_KBD_BUF);
    bda_set16(BDA_KBD_START, BDA_KBD_BUF);
    bda_set16(BDA_KBD_END, BDA_KBD_BUF + 32);
    bda_set8(BDA_KBD_FLAGS3, 0x10);             /* enhanced keyboard */
    for (int i = 0; i < 4; i++) {
        bda_set8(BDA_LPT_TIMEOUT + i, 0x14);
        bda_set8(BDA_COM_TIMEOUT + i, 0x0A);
    }

    /* Equipment word: FPU, floppies from CMOS, PS/2 mouse flag as QEMU
     * reports it; serial and parallel counts are added by hw_init. */
    u16 equip = 0x0002;
    u8 fd = cmos_read(CMOS_FLOPPY);
    int nfd = ((fd >> 4) != 0) + ((fd & 15) != 0);
    if (nfd)
        equip |= 0x0001 | ((nfd - 1) << 6);
    if (cmos_read(CMOS_EQUIP) & 0x04)
        equip |= 0x0004;
    bda_set16(BDA_EQUIPMENT, equip | bda16(BDA_EQUIPMENT));

    /* Seed the tick count from the RTC time of day. */
    if (rtc_wait_stable()) {
        u32 secs = bcd2bin(cmos_read(CMOS_HOURS)) * 3600u
                   + bcd2bin(cmos_read(CMOS_MINUTES)) * 60u
                   + bcd2bin(cmos_read(CMOS_SECONDS));
        bda_set32(BDA_TICKS, (u32)(((u64)secs * 1193180u) >> 16));
    }
    rtdata.ebda_kb = EBDA_SIZE_KB;
}
