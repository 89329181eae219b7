/*
 * INT 13h front end for a test ROM that serves one hard disk (read only),
 * or the same disk as d_count consecutive drives from d_drive on.
 *
 * The ROM provides
 *   disk_xfer    read %cx sectors (1-127) from LBA %eax to %es:%bx;
 *                CF = 0 on success, else CF = 1 and %ah = status; keeps
 *                every other register
 * and fills in the variables below (in its own image, while it is still
 * writable: at init or BCV time) before it hooks INT 13h with int13_entry.
 * Calls for other drives go on to the previous handler.
 *
 * Served: 00h, 01h, 02h, 04h, 08h, 0Ch, 0Dh, 10h, 11h, 14h, 15h, 41h,
 * 42h, 44h, 47h, 48h; writes (03h, 43h) fail with status 03h (write
 * protected), anything else with 01h.
 */
#ifndef KELP_INT13DISK_H
#define KELP_INT13DISK_H

/* The frame int13_entry builds: PUSHAL, then DS, then ES. */
#define F_ES    0
#define F_DS    2
#define F_DI    4
#define F_SI    8
#define F_BX    20
#define F_DX    24
#define F_DL    24
#define F_DH    25
#define F_CX    28
#define F_CL    28
#define F_CH    29
#define F_AX    32
#define F_AL    32
#define F_AH    33
#define F_FLAGS 40

        .macro INT13_FRONTEND
        .balign 4
d_old13:        .long   0       /* previous INT 13h vector */
d_sectors:      .long   0       /* capacity in 512-byte sectors */
d_cyls:         .word   0       /* CHS geometry reported by 08h */
d_heads:        .word   0
d_spt:          .word   0
d_drive:        .byte   0xff    /* our (first) drive number (80h + n) */
d_count:        .byte   1       /* drives served, all the same disk */

int13_entry:
        pushw   %ax
        movb    %dl, %al
        subb    %cs:d_drive, %al
        cmpb    %cs:d_count, %al
        popw    %ax
        jb      1f
        ljmp    *%cs:d_old13
1:      pushal
        pushw   %ds
        pushw   %es
        movw    %sp, %bp
        sti
        cld
        movb    F_AH(%bp), %al
        cmpb    $0x02, %al
        je      i13_read
        cmpb    $0x04, %al
        je      i13_verify
        cmpb    $0x08, %al
        je      i13_params
        cmpb    $0x15, %al
        je      i13_type
        cmpb    $0x41, %al
        je      i13_check
        cmpb    $0x42, %al
        je      i13_extread
        cmpb    $0x48, %al
        je      i13_extparams
        cmpb    $0x01, %al
        je      i13_status
        cmpb    $0x03, %al
        je      i13_wp
        cmpb    $0x43, %al
        je      i13_wp
        movw    $i13_okfns, %si
        movw    $i13_okfns_end - i13_okfns, %cx
2:      cmpb    %cs:(%si), %al
        je      i13_ok
        incw    %si
        loop    2b
        movb    $0x01, %al
        jmp     i13_err

i13_okfns:
        .byte   0x00, 0x0c, 0x0d, 0x10, 0x11, 0x14, 0x44, 0x47
i13_okfns_end:

i13_wp:
        movb    $0x03, %al
        jmp     i13_err

/* CHS in the frame's CX/DH and count in AL -> %eax = LBA, %cx = count;
 * on a bad address jumps to i13_err itself. */
i13_chs:
        movzbw  F_AL(%bp), %cx
        testw   %cx, %cx
        jz      8f
        cmpw    $127, %cx
        ja      8f
        movb    F_CL(%bp), %al
        andw    $0x3f, %ax              /* sector, 1-based */
        jz      9f
        cmpw    %cs:d_spt, %ax
        ja      9f
        movzbw  F_DH(%bp), %dx
        cmpw    %cs:d_heads, %dx
        jae     9f
        movzbw  F_CL(%bp), %bx          /* cylinder */
        shlw    $2, %bx
        andw    $0x300, %bx
        movb    F_CH(%bp), %bl
        cmpw    %cs:d_cyls, %bx
        jae     9f
        pushw   %ax
        movzwl  %bx, %eax
        movzwl  %cs:d_heads, %ebx
        imull   %ebx, %eax
        movzwl  %dx, %edx
        addl    %edx, %eax
        movzwl  %cs:d_spt, %ebx
        imull   %ebx, %eax
        popw    %dx
        movzwl  %dx, %edx
        leal    -1(%eax, %edx), %eax
        movzwl  %cx, %edx
        addl    %eax, %edx
        cmpl    %cs:d_sectors, %edx
        ja      9f
        ret
8:      addw    $2, %sp
        movb    $0x01, %al
        jmp     i13_err
9:      addw    $2, %sp
        movb    $0x04, %al
        movb    $0, F_AL(%bp)
        jmp     i13_err

i13_read:
        call    i13_chs
        movw    F_ES(%bp), %es
        movw    F_BX(%bp), %bx
        call    disk_xfer
        jc      1f
        jmp     i13_ok                  /* AL keeps the count */
1:      movb    %ah, %al
        movb    $0, F_AL(%bp)
        jmp     i13_err

i13_verify:
        call    i13_chs
        jmp     i13_ok

i13_params:
        movw    %cs:d_cyls, %ax
        decw    %ax
        movb    %al, F_CH(%bp)
        shlb    $6, %ah
        orb     %cs:d_spt, %ah
        movb    %ah, F_CL(%bp)
        movb    %cs:d_heads, %al
        decb    %al
        movb    %al, F_DH(%bp)
        pushw   $0x40
        popw    %ds
        movb    BDA_HD_COUNT, %al
        movb    %al, F_DL(%bp)
        movb    $0, F_AL(%bp)
        jmp     i13_ok

i13_type:
        movzwl  %cs:d_cyls, %eax
        movzwl  %cs:d_heads, %ebx
        imull   %ebx, %eax
        movzwl  %cs:d_spt, %ebx
        imull   %ebx, %eax
        movw    %ax, F_DX(%bp)
        shrl    $16, %eax
        movw    %ax, F_CX(%bp)
        movb    $0x03, F_AH(%bp)        /* fixed disk */
        jmp     i13_ok_ah

i13_check:
        cmpw    $0x55aa, F_BX(%bp)
        jne     1f
        movw    $0xaa55, F_BX(%bp)
        movw    $0x0001, F_CX(%bp)      /* 42h-44h, 47h, 48h */
        movb    $0x21, F_AH(%bp)        /* EDD 1.1 */
        jmp     i13_ok_ah
1:      movb    $0x01, %al
        jmp     i13_err

i13_status:
        pushw   $0x40
        popw    %ds
        movb    BDA_HD_STATUS, %al
        movb    %al, F_AH(%bp)
        testb   %al, %al
        jz      i13_ok_ah
        orw     $1, F_FLAGS(%bp)
        jmp     i13_out

i13_extread:
        movw    F_DS(%bp), %ds
        movw    F_SI(%bp), %si
        cmpb    $0x10, (%si)
        jb      8f
        movzwl  2(%si), %ecx
        testw   %cx, %cx
        jz      i13_ok
        cmpw    $127, %cx
        ja      8f
        cmpl    $0xffffffff, 4(%si)     /* 64-bit flat buffer: not served */
        je      8f
        cmpl    $0, 12(%si)
        jne     8f
        movl    8(%si), %eax
        movl    %eax, %edx
        addl    %ecx, %edx
        jc      8f
        cmpl    %cs:d_sectors, %edx
        ja      8f
        lesw    4(%si), %bx
        call    disk_xfer
        jc      9f
        jmp     i13_ok
8:      movw    $0, 2(%si)
        movb    $0x01, %al
        jmp     i13_err
9:      movw    $0, 2(%si)
        movb    %ah, %al
        jmp     i13_err

i13_extparams:
        movw    F_DS(%bp), %ds
        movw    F_SI(%bp), %si
        movw    (%si), %ax
        cmpw    $0x1a, %ax
        jb      8f
        movw    $0x1a, (%si)
        movw    $0x0002, 2(%si)         /* CHS information valid */
        movzwl  %cs:d_cyls, %eax
        movl    %eax, 4(%si)
        movzwl  %cs:d_heads, %eax
        movl    %eax, 8(%si)
        movzwl  %cs:d_spt, %eax
        movl    %eax, 12(%si)
        movl    %cs:d_sectors, %eax
        movl    %eax, 16(%si)
        movl    $0, 20(%si)
        movw    $512, 24(%si)
        cmpw    $0x1e, %ax
        jb      i13_ok
        movw    $0x1e, (%si)
        movl    $0xffffffff, 26(%si)    /* no device parameter table */
        jmp     i13_ok
8:      movb    $0x01, %al
        jmp     i13_err

i13_ok:
        movb    $0, F_AH(%bp)
i13_ok_ah:
        andw    $~1, F_FLAGS(%bp)
        xorb    %al, %al
        jmp     1f
i13_err:
        movb    %al, F_AH(%bp)
        orw     $1, F_FLAGS(%bp)
1:      pushw   $0x40
        popw    %ds
        movb    %al, BDA_HD_STATUS
i13_out:
        popw    %es
        popw    %ds
        popal
        iretw
        .endm

#endif
