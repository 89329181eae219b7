/*
 * A legacy ROM that calls, during its init, the BIOS services option ROMs
 * commonly use and checks each answer: INT 10h 0Fh, 03h and 0Eh, INT 16h
 * 01h and 02h, INT 15h E820h (a full walk), 88h and C0h, INT 1Ah 00h
 * (and that the tick count moves) and B101h.
 *
 * Output, one line per service, "TESTROM services <call>=ok|bad" plus the
 * values seen; first "TESTROM services entry ..." with the init registers.
 * INT 10h output happens before any line is printed, so a console echoed
 * to the debug port cannot split a line.
 */
#include "testrom.h"

#define SMAP            0x534d4150

/* Failed checks jump to 1097f; VERDICT then prints bad, else ok. */
        .macro VERDICT
        clc
        jmp     1098f
1097:   stc
1098:   OKBAD   nc
        .endm

        .text
        ROM_HEADER init

/* Results, kept in the image (writable during init). */
        .balign 4
e820_buf:       .fill   24, 1, 0
e820_ram:       .long   0
e820_low:       .long   0
e820_ext:       .long   0
e820_n:         .word   0
e820_ok:        .byte   0
v0f_ax:         .word   0
v0f_bx:         .word   0
cur0:           .word   0
cur1:           .word   0
cur2:           .word   0
shape:          .word   0
regs_ok:        .byte   0

init:
        pushal
        pushw   %ds
        pushw   %es
        pushw   %fs
        cld
        pushw   %cs
        popw    %fs
        TAG
        PRINT   "entry ax="
        HEX16   %ax
        PRINT   " bx="
        HEX16   %bx
        PRINT   " dx="
        HEX16   %dx
        PRINT   " es:di="
        HEX16   %es
        PRINT   ":"
        HEX16   %di
        PRINT   " if="
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

        /* ---- INT 10h, silently first */
        movb    $0x0f, %ah
        int     $0x10
        movw    %ax, %fs:v0f_ax
        movw    %bx, %fs:v0f_bx
        movb    $0x03, %ah
        xorb    %bh, %bh
        int     $0x10
        movw    %dx, %fs:cur0
        movw    %cx, %fs:shape
        movw    $0x0e2a, %ax            /* '*' */
        movw    $0x0007, %bx
        movw    $0x1234, %cx
        movw    $0x5678, %dx
        movw    $0x9abc, %si
        movw    $0xdef0, %di
        movw    $0x1357, %bp
        int     $0x10
        movb    $0, %fs:regs_ok
        cmpw    $0x0007, %bx
        jne     1f
        cmpw    $0x1234, %cx
        jne     1f
        cmpw    $0x5678, %dx
        jne     1f
        cmpw    $0x9abc, %si
        jne     1f
        cmpw    $0xdef0, %di
        jne     1f
        cmpw    $0x1357, %bp
        jne     1f
        movb    $1, %fs:regs_ok
1:      movb    $0x03, %ah
        xorb    %bh, %bh
        int     $0x10
        movw    %dx, %fs:cur1
        movw    $0x0e0d, %ax
        xorw    %bx, %bx
        int     $0x10
        movw    $0x0e0a, %ax
        int     $0x10
        movb    $0x03, %ah
        xorb    %bh, %bh
        int     $0x10
        movw    %dx, %fs:cur2

        TAG
        PRINT   "int10.0f="
        movw    %fs:v0f_ax, %ax
        cmpb    $80, %ah
        jne     2f
        cmpb    $0, %fs:v0f_bx + 1
        jne     2f
        andb    $0x7f, %al
        cmpb    $3, %al
        je      2f
        cmpb    $7, %al
        je      2f
        cmpb    $2, %al
2:      OKBAD   e
        PRINT   " ax="
        HEX16   %fs:v0f_ax
        PRINT   " bh="
        HEX8    %fs:v0f_bx + 1
        PRINT   "\n"
        TAG
        PRINT   "int10.0e="
        cmpb    $1, %fs:regs_ok
        OKBAD   e
        PRINT   "\n"
        TAG
        PRINT   "int10.03="
        movw    %fs:cur0, %ax           /* '*' moved the column by one */
        movw    %fs:cur1, %dx
        cmpb    %ah, %dh
        jne     3f
        incb    %al
        cmpb    %al, %dl
        jne     3f
        cmpb    $0, %fs:cur2            /* CR LF: back to column 0 */
3:      OKBAD   e
        PRINT   " before="
        HEX16   %fs:cur0
        PRINT   " after="
        HEX16   %fs:cur1
        PRINT   " crlf="
        HEX16   %fs:cur2
        PRINT   " shape="
        HEX16   %fs:shape
        PRINT   "\n"

        /* ---- INT 16h */
        TAG
        PRINT   "int16.01="
        movb    $0x01, %ah
        int     $0x16
        OKBAD   z                       /* no key waiting */
        PRINT   "\n"
        TAG
        PRINT   "int16.02="
        movb    $0x02, %ah
        int     $0x16
        pushw   $0x40
        popw    %ds
        cmpb    BDA_SHIFT, %al
        OKBAD   e
        PRINT   " al="
        HEX8    %al
        PRINT   "\n"

        /* ---- INT 15h E820h: walk the whole map */
        xorl    %ebx, %ebx
        movb    $1, %fs:e820_ok
4:      movl    $0xe820, %eax
        movl    $24, %ecx
        movl    $SMAP, %edx
        pushw   %cs
        popw    %es
        movw    $e820_buf, %di
        movl    $0, %es:20(%di)
        int     $0x15
        jc      8f
        cmpl    $SMAP, %eax
        jne     8f
        cmpl    $20, %ecx
        jb      8f
        cmpl    $24, %ecx
        ja      8f
        incw    %fs:e820_n
        cmpw    $64, %fs:e820_n
        ja      8f
        cmpl    $1, %fs:e820_buf + 16
        jne     6f
        cmpl    $0, %fs:e820_buf + 4    /* RAM below 4 GiB: add it up */
        jne     6f
        movl    %fs:e820_buf + 8, %eax
        addl    %eax, %fs:e820_ram
        movl    %fs:e820_buf, %eax
        testl   %eax, %eax
        jnz     5f
        movl    %fs:e820_buf + 8, %eax
        movl    %eax, %fs:e820_low
        jmp     6f
5:      cmpl    $0x100000, %eax
        jne     6f
        movl    %fs:e820_buf + 8, %eax
        movl    %eax, %fs:e820_ext
6:      testl   %ebx, %ebx
        jnz     4b
        jmp     9f
8:      movb    $0, %fs:e820_ok
9:      TAG
        PRINT   "int15.e820="
        cmpb    $1, %fs:e820_ok
        jne     1097f
        cmpl    $0x90000, %fs:e820_low  /* 576-640 KiB at 0 */
        jb      1097f
        cmpl    $0xa0000, %fs:e820_low
        ja      1097f
        cmpl    $0x100000, %fs:e820_ext /* at least 1 MiB from 1 MiB on */
        jb      1097f
        VERDICT
        PRINT   " n="
        HEX16   %fs:e820_n
        PRINT   " ram="
        HEX32   %fs:e820_ram
        PRINT   " low="
        HEX32   %fs:e820_low
        PRINT   " ext="
        HEX32   %fs:e820_ext
        PRINT   "\n"

        /* ---- INT 15h 88h: KiB from 1 MiB on, at least min(what E820
         * says, 15 MiB) and not more than E820 says; at least 15 MiB
         * when E820 gave nothing (the tests run with 128 MiB) */
        TAG
        PRINT   "int15.88="
        movb    $0x88, %ah
        clc
        int     $0x15
        jc      1097f
        movl    %fs:e820_ext, %ecx
        shrl    $10, %ecx
        movzwl  %ax, %edx
        jecxz   2f
        cmpl    %ecx, %edx
        ja      1097f
        cmpl    $0x3c00, %ecx
        jbe     1f
2:      movl    $0x3c00, %ecx
1:      cmpl    %ecx, %edx
        jb      1097f
        VERDICT
        PRINT   " ax="
        HEX16   %ax
        PRINT   "\n"

        /* ---- INT 15h C0h: configuration table */
        TAG
        PRINT   "int15.c0="
        movb    $0xc0, %ah
        int     $0x15
        jc      1097f
        testb   %ah, %ah
        jnz     1097f
        cmpw    $8, %es:(%bx)
        jb      1097f
        cmpb    $0xfc, %es:2(%bx)
        jne     1097f
        VERDICT
        PRINT   " table="
        HEX16   %es
        PRINT   ":"
        HEX16   %bx
        PRINT   " len="
        HEX16   %es:(%bx)
        PRINT   " model="
        HEX8    %es:2(%bx)
        PRINT   " feat1="
        HEX8    %es:5(%bx)
        PRINT   "\n"

        /* ---- INT 1Ah 00h: a sane tick count that moves */
        TAG
        PRINT   "int1a.00="
        xorb    %ah, %ah
        int     $0x1a
        movw    %cx, %si
        movw    %dx, %di
        cmpw    $0x18, %cx
        ja      2f
        jb      1f
        cmpw    $0xb0, %dx
        jae     2f
1:      movw    $200, %bp               /* wait for the next tick */
        sti
1:      hlt
        xorb    %ah, %ah
        int     $0x1a
        cmpw    %dx, %di
        jne     3f
        decw    %bp
        jnz     1b
2:      movb    $1, %al
        testb   %al, %al
        jmp     4f
3:      xorb    %al, %al
4:      OKBAD   z
        PRINT   " ticks="
        HEX16   %si
        HEX16   %di
        PRINT   " next="
        HEX16   %cx
        HEX16   %dx
        PRINT   "\n"

        /* ---- INT 1Ah B101h: PCI BIOS present */
        TAG
        PRINT   "int1a.b101="
        movw    $0xb101, %ax
        xorl    %edi, %edi
        xorl    %edx, %edx
        int     $0x1a
        jc      1097f
        testb   %ah, %ah
        jnz     1097f
        cmpl    $0x20494350, %edx
        jne     1097f
        testb   $1, %al
        jz      1097f
        VERDICT
        PRINT   " ax="
        HEX16   %ax
        PRINT   " bx="
        HEX16   %bx
        PRINT   " cl="
        HEX8    %cl
        PRINT   " edi="
        HEX32   %edi
        PRINT   "\n"

        popw    %fs
        popw    %es
        popw    %ds
        popal
        lret

        DEBUG_ROUTINES
