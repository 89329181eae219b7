/*
 * A boot ROM with a PnP expansion header offering only a bootstrap entry
 * vector (BEV), as a network boot ROM has. Init just reports; the BEV
 * reports what it was called with, then either ends the run (bev) or
 * returns to the firmware as a failed boot (bev-ret, -DBEV_RETURNS).
 *
 * Output: "TESTROM <name> init seg=SSSS ax=XXXX", then at boot
 * "TESTROM <name> boot ax=XXXX es:di=SSSS:OOOO pnp=ok|bad pmm=gone|present
 * if=N ss:sp=SSSS:OOOO".
 */
#include "testrom.h"

        .text
        ROM_HEADER init, 0, pnp
        .balign 16
pnp:    PNP_HEADER product=product, manufacturer=maker, bev=bev, type=0x020000, ind=0x04
#ifdef BEV_RETURNS
product: .asciz "Kelp test BEV (returns)"
#else
product: .asciz "Kelp test BEV"
#endif
maker:  .asciz  "Kelp tests"

init:
        TAG
        PRINT   "init seg="
        HEX16   %cs
        PRINT   " ax="
        HEX16   %ax
        PRINT   "\n"
        lret

bev:
        pushfw
        pushal
        pushw   %ds
        pushw   %es
        TAG
        PRINT   "boot ax="
        HEX16   %ax
        PRINT   " es:di="
        HEX16   %es
        PRINT   ":"
        HEX16   %di
        PRINT   " pnp="
        call    check_pnp
        OKBAD   nc
        PRINT   " pmm="
        call    find_pmm
        jc      1f
        PRINT   "present"
        jmp     2f
1:      PRINT   "gone"
2:      PRINT   " if="
        pushfw
        popw    %ax
        shrw    $9, %ax
        andb    $1, %al
        HEX8    %al
        PRINT   " ss:sp="
        HEX16   %ss
        PRINT   ":"
        HEX16   %sp
        PRINT   "\n"
        popw    %es
        popw    %ds
        popal
        popfw
#ifdef BEV_RETURNS
        lret
#else
        EXIT    EXIT_OK
#endif

        DEBUG_ROUTINES
        STRUCT_ROUTINES
