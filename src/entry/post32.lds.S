/* Link of the 32-bit POST, run from a copy in RAM at POST_BASE. */
#include "layout.h"
OUTPUT_FORMAT("elf32-i386")
ENTRY(post_start)
SECTIONS
{
    . = POST_BASE;
    .text : {
        KEEP(*(.text.post_header))
        *(.text .text.*)
        *(.rodata .rodata.*)
        *(.data .data.*)
    }
    post_image_end = .;
    .bss (NOLOAD) : {
        post_bss_start = .;
        *(.bss .bss.* COMMON)
        post_bss_end = .;
    }
    ASSERT(post_image_end - POST_BASE <= POST_IMAGE_MAX, "POST does not fit in its 64 KiB")
    ASSERT(post_bss_end <= POST_STACK_TOP - 0x10000, "POST bss runs into its stack")

    rtdata = RT_ZONE + RT_DATA_OFF;
    INCLUDE rt16-syms.lds
    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
