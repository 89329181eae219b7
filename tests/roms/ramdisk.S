/*
 * A legacy disk ROM (no PnP header) that connects its disk during init:
 * it hooks INT 13h and counts itself in 40:75h. The disk is a 16 KiB copy
 * of the test disk program inside the ROM (2 cylinders, 2 heads, 8
 * sectors), label "ramdisk".
 *
 * Output: "TESTROM ramdisk init seg=SSSS drive=XX count=NN".
 *
 * NDRIVES=n (ramdisk-many): the same disk answers as n drives, 40:75h
 * goes up by n (a SAN HBA's ROM with many LUNs).
 */
#include "testrom.h"
#include "int13disk.h"

#define RD_CYLS         2
#define RD_HEADS        2
#define RD_SPT          8
#ifndef NDRIVES
#define NDRIVES         1
#endif

        .text
        ROM_HEADER init

        INT13_FRONTEND

init:
        pushal
        pushw   %ds
        pushw   %es
        movl    $RD_CYLS * RD_HEADS * RD_SPT, %cs:d_sectors
        movw    $RD_CYLS, %cs:d_cyls
        movw    $RD_HEADS, %cs:d_heads
        movw    $RD_SPT, %cs:d_spt
        pushw   $0x40
        popw    %ds
        movb    BDA_HD_COUNT, %al
        addb    $0x80, %al
        movb    %al, %cs:d_drive
        movb    $NDRIVES, %cs:d_count
        addb    $NDRIVES, BDA_HD_COUNT
        xorw    %ax, %ax
        movw    %ax, %es
        cli
        movl    %es:0x13 * 4, %eax
        movl    %eax, %cs:d_old13
        movw    $int13_entry, %es:0x13 * 4
        movw    %cs, %es:0x13 * 4 + 2
        sti
        TAG
        PRINT   "init seg="
        HEX16   %cs
        PRINT   " drive="
        HEX8    %cs:d_drive
        PRINT   " count="
        HEX8    BDA_HD_COUNT
        PRINT   "\n"
        call    rom_fix_checksum
        popw    %es
        popw    %ds
        popal
        lret

/* %cx sectors from LBA %eax to %es:%bx, copied out of the ROM. */
disk_xfer:
        pushw   %ds
        pushw   %es
        pushl   %esi
        pushl   %edi
        pushl   %edx
        pushl   %ecx
        pushl   %ebx
        cld
        movw    %bx, %di
        shll    $5, %eax                /* LBA in paragraphs */
        movw    $ramdisk, %si
        shrw    $4, %si
        movw    %cs, %dx
        addw    %si, %dx
        addw    %ax, %dx
1:      movw    %dx, %ds
        xorw    %si, %si
        movw    %di, %ax                /* keep %di small */
        shrw    $4, %ax
        movw    %es, %bx
        addw    %ax, %bx
        movw    %bx, %es
        andw    $15, %di
        pushw   %cx
        movw    $256, %cx
        rep movsw
        popw    %cx
        addw    $32, %dx
        loop    1b
        popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %edi
        popl    %esi
        popw    %es
        popw    %ds
        xorb    %ah, %ah
        clc
        ret

        DEBUG_ROUTINES
        CHECKSUM_ROUTINE

        .balign 512
ramdisk:
        .incbin "ramdisk.img"
