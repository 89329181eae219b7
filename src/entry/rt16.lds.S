/* Link of the 16-bit runtime. Addresses are offsets in segment RTSEG,
 * except the fixed area whose addresses are offsets in segment F000.
 * The output is the 64 KiB F-segment image (load address 0 = F0000). */
#include "layout.h"
OUTPUT_FORMAT("elf32-i386")
ENTRY(fx_reset)
SECTIONS
{
    . = RT_DATA_OFF;
    .rtzone (NOLOAD) : {
        KEEP(*(.bss.rtdata))
        *(.bss .bss.* COMMON)
    }
    rt_zone_end = .;
    ASSERT(rtdata == RT_DATA_OFF, "rtdata must open the RW zone")
    ASSERT(rt_zone_end <= RT_STACK_TOP - 0x0C00,
           "runtime variables leave less than 3 KiB of runtime stack")

    .text RT_CODE_OFF : AT(0) {
        *(.text.rt_entry)
        *(.text .text.*)
        *(.rodata .rodata.*)
    }
    rt_code_end = .;
    .data : { *(.data .data.*) }
    ASSERT(SIZEOF(.data) == 0, "runtime code may not have initialised variables (the F-segment is read-only at run time)")
    ASSERT(rt_code_end <= 0x10000,
           "runtime code and constants do not fit in F000:0000-F000:DFFF")

    .fixed FIXED_OFF : AT(FIXED_OFF) { KEEP(*(.fixed)) }
    ASSERT(SIZEOF(.fixed) == 0x2000, "fixed area must end at F000:FFFF")

    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
