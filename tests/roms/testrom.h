/*
 * Shared by the test option ROMs and the test disk program: output on the
 * debug console, the exit device, and the structures an option ROM image
 * carries (legacy header, PCI data structure, PnP expansion header).
 *
 * Everything is 16-bit code for GNU as, run through the C preprocessor.
 * Strings are read through CS, so the helpers work both in a ROM (linked
 * at 0, CS = ROM segment) and in the disk program (linked at 7C00h, CS = 0).
 *
 * Output convention: one line per fact, "TESTROM <name> key=value ...".
 */
#ifndef KELP_TESTROM_H
#define KELP_TESTROM_H

#define DBG_PORT        0x402
#define EXIT_PORT       0xf4
#define EXIT_OK         0x10    /* QEMU exit status (0x10 << 1) | 1 */
#define EXIT_FAIL       0x01

/* BIOS data area (segment 40h) offsets used here. */
#define BDA_MEM_KB      0x13
#define BDA_SHIFT       0x17
#define BDA_TICKS       0x6c
#define BDA_HD_STATUS   0x74
#define BDA_HD_COUNT    0x75

        .code16

/* PRINT "text": write text (C escapes allowed) to the debug console.
 * Keeps every register and the flags. */
        .macro PRINT text
        call    dbg_inline
        .asciz  "\text"
        .endm

/* TAG: print "TESTROM <name> " for the ROM built with -DROM_NAME="name". */
        .macro TAG
        call    dbg_inline
        .ascii  "TESTROM "
        .ascii  ROM_NAME
        .asciz  " "
        .endm

/* Print a value in hex (2, 4 or 8 digits); any operand a MOV accepts.
 * Keep every register and the flags. */
        .macro HEX8 src
        pushl   %eax
        movb    \src, %al
        call    dbg_hex8
        popl    %eax
        .endm
        .macro HEX16 src
        pushl   %eax
        movw    \src, %ax
        call    dbg_hex16
        popl    %eax
        .endm
        .macro HEX32 src
        pushl   %eax
        movl    \src, %eax
        call    dbg_hex32
        popl    %eax
        .endm

/* Print "ok" when the flag condition cc holds (ZF/CF from the last
 * compare), "bad" when not: OKBAD e -> ok if equal. */
        .macro OKBAD cc
        j\cc    1001f
        PRINT   "bad"
        jmp     1002f
1001:   PRINT   "ok"
1002:
        .endm

/* End the QEMU run with the given isa-debug-exit value. */
        .macro EXIT value
        movb    $\value, %al
        outb    %al, $EXIT_PORT
1003:   cli
        hlt
        jmp     1003b
        .endm

/* Legacy option ROM header: signature, size (set by romtool.py), a 3-byte
 * jump to the init code, the checksum byte at offset 6 (set by
 * romtool.py), and the PCIR and PnP header offsets. */
        .macro ROM_HEADER init, pcir=0, pnp=0
        .byte   0x55, 0xaa
        .byte   0
        .byte   0xe9
        .word   \init - 6
        .byte   0
        .fill   0x18 - 7, 1, 0
        .word   \pcir
        .word   \pnp
        .endm
#define ROM_CSUM_BYTE   6

/* PCI data structure. Vendor and device IDs are normally filled in by
 * romtool.py (--ids); image_len 0 is filled with the image size. */
        .macro PCIR vendor=0, device=0, rev=0, devlist=0, class=0, image_len=0, code_type=0, indicator=0x80, max_runtime=0
        .ascii  "PCIR"
        .word   \vendor, \device, \devlist
        .if \rev >= 3
        .word   0x1c
        .else
        .word   0x18
        .endif
        .byte   \rev
        .byte   (\class) & 0xff, ((\class) >> 8) & 0xff, ((\class) >> 16) & 0xff
        .word   \image_len
        .word   0
        .byte   \code_type, \indicator
        .word   \max_runtime
        .if \rev >= 3
        .word   0, 0
        .endif
        .endm

/* PnP expansion header; its checksum byte is set by romtool.py. */
        .macro PNP_HEADER next=0, product=0, manufacturer=0, bcv=0, bev=0, type=0, ind=0
        .ascii  "$PnP"
        .byte   1, 2
        .word   \next
        .byte   0, 0
        .long   0
        .word   \manufacturer, \product
        .byte   (\type) >> 16, ((\type) >> 8) & 0xff, (\type) & 0xff
        .byte   \ind
        .word   \bcv, 0, \bev, 0, 0
        .endm

/* The output helpers; expand once per program, inside its code. */
        .macro DEBUG_ROUTINES
/* Print the ASCIIZ string that follows the CALL; return after it. */
dbg_inline:
        pushw   %bp
        movw    %sp, %bp
        pushfw
        pushw   %si
        pushw   %ax
        pushw   %dx
        movw    2(%bp), %si
        movw    $DBG_PORT, %dx
1:      movb    %cs:(%si), %al
        incw    %si
        testb   %al, %al
        jz      2f
        outb    %al, %dx
        jmp     1b
2:      movw    %si, 2(%bp)
        popw    %dx
        popw    %ax
        popw    %si
        popfw
        popw    %bp
        ret

/* Print the ASCIIZ string at %cs:%si (at most 64 characters). */
dbg_puts:
        pushfw
        pushw   %si
        pushw   %ax
        pushw   %dx
        pushw   %cx
        movw    $DBG_PORT, %dx
        movw    $64, %cx
1:      movb    %cs:(%si), %al
        incw    %si
        testb   %al, %al
        jz      2f
        outb    %al, %dx
        loop    1b
2:      popw    %cx
        popw    %dx
        popw    %ax
        popw    %si
        popfw
        ret

/* Print %al, %ax or %eax in hex. */
dbg_hex32:
        pushfw
        rorl    $16, %eax
        call    dbg_hex16
        rorl    $16, %eax
        call    dbg_hex16
        popfw
        ret
dbg_hex16:
        pushfw
        xchgb   %al, %ah
        call    dbg_hex8
        xchgb   %al, %ah
        call    dbg_hex8
        popfw
        ret
dbg_hex8:
        pushfw
        pushw   %ax
        pushw   %dx
        movw    $DBG_PORT, %dx
        pushw   %ax
        shrb    $4, %al
        call    1f
        popw    %ax
        call    1f
        popw    %dx
        popw    %ax
        popfw
        ret
1:      andb    $0x0f, %al
        addb    $'0', %al
        cmpb    $'9', %al
        jbe     2f
        addb    $'a' - '9' - 1, %al
2:      outb    %al, %dx
        ret
        .endm

/* find_pmm: look for the "$PMM" structure on the paragraphs of F000h
 * with a valid checksum. CF = 0 and %es:%di at it when found.
 * check_pnp: CF = 0 when %es:%di is a "$PnP" installation structure with
 * a plausible length and a valid checksum. Both keep the other registers. */
        .macro STRUCT_ROUTINES
find_pmm:
        pushw   %ax
        movw    $0xf000, %ax
        movw    %ax, %es
        xorw    %di, %di
1:      cmpl    $0x4d4d5024, %es:(%di)
        jne     2f
        call    sum_struct
        jnc     3f
2:      addw    $16, %di
        jnz     1b
        stc
3:      popw    %ax
        ret

check_pnp:
        cmpl    $0x506e5024, %es:(%di)
        jne     1f
        cmpb    $0x21, %es:5(%di)
        jb      1f
        jmp     sum_struct
1:      stc
        ret

/* CF = 0 when the bytes at %es:%di, as many as the length byte at 5
 * says, add up to 0. */
sum_struct:
        pushw   %ax
        pushw   %cx
        pushw   %si
        movzbw  %es:5(%di), %cx
        stc
        jcxz    2f
        xorb    %al, %al
        movw    %di, %si
1:      addb    %es:(%si), %al
        incw    %si
        loop    1b
        cmpb    $1, %al                 /* CF = 1 when the sum is 0 */
        cmc
2:      popw    %si
        popw    %cx
        popw    %ax
        ret
        .endm

/* Recompute the checksum byte of the ROM image at %cs:0 over its current
 * size byte, after the ROM changed itself. Keeps every register. */
        .macro CHECKSUM_ROUTINE
rom_fix_checksum:
        pushfw
        cld
        pushw   %ds
        pushw   %ax
        pushw   %cx
        pushw   %si
        pushw   %cs
        popw    %ds
        movb    $0, ROM_CSUM_BYTE
        xorw    %cx, %cx
        movb    2, %ch
        shlw    $1, %cx                 /* size * 512 */
        xorw    %si, %si
        xorb    %ah, %ah
1:      lodsb
        addb    %al, %ah
        loop    1b
        negb    %ah
        movb    %ah, ROM_CSUM_BYTE
        popw    %si
        popw    %cx
        popw    %ax
        popw    %ds
        popfw
        ret
        .endm

#endif
