/*
 * A small well-formed legacy ROM that reports where it was placed and
 * which ROM images the window C0000h-EFFFFh holds at that moment (on 2 KiB
 * boundaries, each with its size byte and whether its checksum is valid).
 *
 * Output: "TESTROM tiny init seg=SSSS ax=XXXX roms=SSSS:NN:ok,..."
 */
#include "testrom.h"

        .text
        ROM_HEADER init

init:
        pushal
        pushw   %ds
        TAG
        PRINT   "init seg="
        HEX16   %cs
        PRINT   " ax="
        HEX16   %ax
        PRINT   " roms="
        cld
        movw    $0xc000, %dx
1:      movw    %dx, %ds
        movw    $0x80, %bx              /* step: 2 KiB */
        cmpw    $0xaa55, 0
        jne     3f
        movzbw  2, %cx
        jcxz    3f
        HEX16   %dx
        PRINT   ":"
        HEX8    2
        PRINT   ":"
        movw    %cx, %bx                /* size in paragraphs, rounded to 2 KiB */
        shlw    $5, %bx
        addw    $0x7f, %bx
        andw    $~0x7f, %bx
        shlw    $9, %cx                 /* bytes; 0 means 64 KiB or more */
        xorw    %si, %si
        xorb    %ah, %ah
2:      lodsb
        addb    %al, %ah
        decw    %cx
        jnz     2b
        testb   %ah, %ah
        OKBAD   z
        PRINT   ","
3:      addw    %bx, %dx
        cmpw    $0xf000, %dx
        jb      1b
        PRINT   "\n"
        popw    %ds
        popal
        lret

        DEBUG_ROUTINES
