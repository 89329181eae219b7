/*
 * The test disk program: a boot sector plus a small second stage, booted
 * from whatever drive the firmware chose, that reports through the debug
 * console what INT 13h answers for every hard disk.
 *
 * Disk layout (romtool.py disk writes it):
 *   LBA 0      this boot sector; its label (ASCIIZ, at 1A0h) and mode byte
 *              (1B0h) are filled in per disk
 *   LBA 1-4    the second stage, loaded to 0000:7E00
 *   LBA 5-     pattern sectors: "KSEC", the LBA as a dword, the label
 *
 * Mode bits: 01h = print the boot line, then INT 18h (hand over to the
 * next boot device); 02h = print the boot line and end the run.
 *
 * Output, one line each, all starting "TESTDISK <label> ":
 *   boot dl=XX                      the boot drive
 *   mem=KKKK e820.0=BASE+LEN:TYPE   INT 12h and the E820 entry holding 0
 *   drives=N                        40:75h
 *   drv=XX fn=YY key=value ...      one line per INT 13h function and drive
 *   done                            then the run ends with the OK status
 */
#include "testrom.h"

#define STAGE2_SECTORS  4
#define FIRST_PATTERN   5
#define BUF             0x2000          /* sector buffer, 0000:2000 */
#define BUF_48H         0x1000          /* EDD parameter buffer */
#define DAP             0x1800          /* EDD disk address packet */
#define E820_BUF        0x1900
#define KSEC            0x4345534b      /* "KSEC" */

        .text
        .globl  _start
_start:
        cli
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    $0x7c00, %sp
        ljmp    $0, $1f
1:      sti
        cld
        movb    %dl, boot_drive
        call    prefix
        PRINT   "boot dl="
        HEX8    %dl
        PRINT   "\n"
        testb   $1, mode
        jz      2f
        int     $0x18
        call    prefix
        PRINT   "int18 returned\n"
        EXIT    EXIT_FAIL
2:      testb   $2, mode
        jz      3f
        EXIT    EXIT_OK
3:      movw    $3, %si                 /* tries */
4:      movw    $0x0200 + STAGE2_SECTORS, %ax
        movw    $0x0002, %cx
        movb    boot_drive, %dl
        xorb    %dh, %dh
        movw    $stage2, %bx
        int     $0x13
        jnc     stage2
        xorb    %ah, %ah
        int     $0x13
        decw    %si
        jnz     4b
        call    prefix
        PRINT   "stage2 read failed\n"
        EXIT    EXIT_FAIL

/* "TESTDISK <label> " */
prefix:
        PRINT   "TESTDISK "
        pushw   %si
        movw    $label, %si
        call    dbg_puts
        popw    %si
        PRINT   " "
        ret

        DEBUG_ROUTINES

boot_drive:
        .byte   0

        .org    0x1a0
label:  .asciz  "unnamed"
        .org    0x1b0
mode:   .byte   0
        .org    0x1fe
        .byte   0x55, 0xaa

/* ---------------------------------------------------------------- stage 2 */
stage2:
        call    prefix
        int     $0x12
        PRINT   "mem="
        HEX16   %ax
        call    e820_low
        PRINT   "\n"

        call    prefix
        movb    0x475, %al
        PRINT   "drives="
        HEX8    %al
        PRINT   "\n"
        cmpb    $4, %al
        jbe     1f
        movb    $4, %al
1:      movb    %al, ndrives
        movb    $0x80, cur
2:      movb    cur, %al
        subb    $0x80, %al
        cmpb    ndrives, %al
        jae     3f
        call    probe_drive
        incb    cur
        jmp     2b
3:      call    prefix
        PRINT   "done\n"
        EXIT    EXIT_OK

/* " e820.0=BASE+LEN:TYPE" for the entry that holds address 0. */
e820_low:
        xorl    %ebx, %ebx
        movw    $32, %si
1:      movl    $0xe820, %eax
        movl    $20, %ecx
        movl    $0x534d4150, %edx
        movw    $E820_BUF, %di
        int     $0x15
        jc      3f
        cmpl    $0, E820_BUF            /* base low */
        jne     2f
        cmpl    $0, E820_BUF + 4
        jne     2f
        PRINT   " e820.0="
        HEX32   E820_BUF
        PRINT   "+"
        HEX32   E820_BUF + 8
        PRINT   ":"
        HEX8    E820_BUF + 16
        ret
2:      testl   %ebx, %ebx
        jz      3f
        decw    %si
        jnz     1b
3:      PRINT   " e820.0=none"
        ret

/* Start a result line: prefix, "drv=XX fn=YY". */
line:
        call    prefix
        PRINT   "drv="
        HEX8    cur
        PRINT   " fn="
        HEX8    %al
        ret

/* " cf=C ah=XX" from the flags and AH after an INT 13h. */
status:
        pushfw
        PRINT   " cf="
        jc      1f
        PRINT   "0"
        jmp     2f
1:      PRINT   "1"
2:      PRINT   " ah="
        HEX8    %ah
        popfw
        ret

/* Is the sector at 0000:BUF + %di the pattern sector of LBA %eax?
 * ZF = 1 when it is. */
check_sector:
        cmpl    $KSEC, BUF(%di)
        jne     1f
        cmpl    %eax, BUF + 4(%di)
1:      ret

/* Read one sector by CHS: %cx/%dh as for AH=02h, to BUF. CF/AH as
 * returned. */
chs_read:
        movw    $0x0201, %ax
        movb    cur, %dl
        movw    $BUF, %bx
        movl    $0xdeadbeef, BUF
        int     $0x13
        ret

probe_drive:
        /* 00h: reset */
        movw    $0x0000, %ax
        call    line
        xorb    %ah, %ah
        movb    cur, %dl
        int     $0x13
        call    status
        PRINT   "\n"

        /* 08h: parameters */
        movw    $0x0008, %ax
        call    line
        movb    $0x08, %ah
        movb    cur, %dl
        xorw    %di, %di
        int     $0x13
        call    status
        PRINT   " cx="
        HEX16   %cx
        PRINT   " dh="
        HEX8    %dh
        PRINT   " dl="
        HEX8    %dl
        PRINT   "\n"
        movb    $0, spt
        jc      1f
        movb    %cl, %al
        andb    $0x3f, %al
        movb    %al, spt
        movzbw  %dh, %ax
        incw    %ax
        movw    %ax, heads
        movb    %cl, %al
        xorb    %ah, %ah
        shlw    $2, %ax
        andw    $0x300, %ax
        movb    %ch, %al
        incw    %ax
        movw    %ax, cyls
1:
        /* 15h: type and size */
        movw    $0x0015, %ax
        call    line
        movb    $0x15, %ah
        movb    cur, %dl
        int     $0x13
        call    status
        PRINT   " cx="
        HEX16   %cx
        PRINT   " dx="
        HEX16   %dx
        PRINT   "\n"

        /* 41h: extensions */
        movw    $0x0041, %ax
        call    line
        movb    $0x41, %ah
        movw    $0x55aa, %bx
        movb    cur, %dl
        int     $0x13
        call    status
        PRINT   " bx="
        HEX16   %bx
        PRINT   " cx="
        HEX16   %cx
        PRINT   "\n"

        /* 48h: extended parameters, 1Eh-byte buffer */
        movw    $0x0048, %ax
        call    line
        movw    $BUF_48H, %di
        movw    $0x40, %cx
        xorb    %al, %al
        rep stosb
        movw    $0x1e, BUF_48H
        movb    $0x48, %ah
        movb    cur, %dl
        movw    $BUF_48H, %si
        int     $0x13
        call    status
        PRINT   " size="
        HEX16   BUF_48H
        PRINT   " flags="
        HEX16   BUF_48H + 2
        PRINT   " chs="
        HEX32   BUF_48H + 4
        PRINT   "/"
        HEX32   BUF_48H + 8
        PRINT   "/"
        HEX32   BUF_48H + 12
        PRINT   " sectors="
        HEX32   BUF_48H + 16
        PRINT   " bps="
        HEX16   BUF_48H + 24
        PRINT   "\n"
        movl    BUF_48H + 16, %eax
        movl    %eax, total

        /* 02h: sector 0, the first sector of head 1 and the last sector,
         * each checked against the geometry from 08h */
        movw    $0x0002, %ax
        call    line
        movw    $0x0001, %cx
        xorb    %dh, %dh
        call    chs_read
        call    status
        PRINT   " al="
        HEX8    %al
        jc      5f
        PRINT   " lbl="
        movw    $BUF + 0x1a0, %si
        call    dbg_puts
5:      cmpb    $0, spt
        je      7f
        cmpw    $2, heads
        jb      6f
        PRINT   " h1="
        movw    $0x0001, %cx
        movb    $1, %dh
        call    chs_read
        movzbl  spt, %eax
        xorw    %di, %di
        call    check_sector
        OKBAD   e
6:      PRINT   " last="
        movw    cyls, %ax               /* CX/DH for C-1, H-1, S */
        decw    %ax
        movb    %al, %ch
        movb    %ah, %cl
        shlb    $6, %cl
        orb     spt, %cl
        movb    heads, %dh
        decb    %dh
        call    chs_read
        jc      8f
        movzwl  cyls, %eax              /* expected LBA: C*H*S - 1 */
        movzwl  heads, %ecx
        imull   %ecx, %eax
        movzbl  spt, %ecx
        imull   %ecx, %eax
        decl    %eax
        xorw    %di, %di
        call    check_sector
        OKBAD   e
        jmp     7f
8:      PRINT   "err"
        HEX8    %ah
7:      PRINT   "\n"

        /* 42h: four sectors from the first pattern LBA */
        movw    $BUF, %di
        movw    $4 * 512, %cx
        xorb    %al, %al
        rep stosb
        movw    $0x0042, %ax
        call    line
        movw    $0x0010, DAP
        movw    $4, DAP + 2
        movw    $BUF, DAP + 4
        movw    $0, DAP + 6
        movl    $FIRST_PATTERN, DAP + 8
        movl    $0, DAP + 12
        movb    $0x42, %ah
        movb    cur, %dl
        movw    $DAP, %si
        int     $0x13
        call    status
        PRINT   " count="
        HEX16   DAP + 2
        PRINT   " data="
        xorw    %di, %di
        movl    $FIRST_PATTERN, %eax
1:      call    check_sector
        jne     2f
        incl    %eax
        addw    $512, %di
        cmpw    $4 * 512, %di
        jb      1b
2:      OKBAD   e
        /* and one past the end (by 48h) must fail */
        movw    $1, DAP + 2
        movl    total, %eax
        movl    %eax, DAP + 8
        movb    $0x42, %ah
        movb    cur, %dl
        movw    $DAP, %si
        int     $0x13
        PRINT   " beyond="
        OKBAD   c
        PRINT   "\n"
        ret

cur:    .byte   0
ndrives: .byte  0
spt:    .byte   0
heads:  .word   0
cyls:   .word   0
total:  .long   0

        .org    0x200 + STAGE2_SECTORS * 512 - 1
        .byte   0
