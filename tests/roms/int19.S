/*
 * A legacy boot ROM (no PnP header) that takes over INT 19h during init,
 * the way ROMs did before the BIOS Boot Specification. Its INT 19h
 * handler reports and then chains to the vector it replaced, so the
 * firmware's own bootstrap still runs.
 *
 * Output: "TESTROM int19 init seg=SSSS old=SSSS:OOOO", then
 * "TESTROM int19 called" when INT 19h runs.
 */
#include "testrom.h"

        .text
        ROM_HEADER init

old19:  .long   0

init:
        pushal
        pushw   %es
        xorw    %ax, %ax
        movw    %ax, %es
        cli
        movl    %es:0x19 * 4, %eax
        movl    %eax, %cs:old19
        movw    $int19, %es:0x19 * 4
        movw    %cs, %es:0x19 * 4 + 2
        sti
        TAG
        PRINT   "init seg="
        HEX16   %cs
        PRINT   " old="
        HEX16   %cs:old19 + 2
        PRINT   ":"
        HEX16   %cs:old19
        PRINT   "\n"
        call    rom_fix_checksum
        popw    %es
        popal
        lret

int19:
        TAG
        PRINT   "called\n"
        ljmp    *%cs:old19

        DEBUG_ROUTINES
        CHECKSUM_ROUTINE
