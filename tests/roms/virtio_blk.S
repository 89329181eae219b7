/*
 * A disk ROM for a legacy virtio block device (PCI 1AF4:1001, I/O BAR 0),
 * in the way a SCSI HBA ROM works: init only remembers its device; the
 * boot connection vector (PnP BCV) brings the device up, takes base
 * memory for one virtqueue (lowering 40:13h), hooks INT 13h and adds its
 * disk after the drives already counted in 40:75h. Reads are polled; the
 * disk is read only.
 *
 * Output: "TESTROM virtio init ax=BDF id=DEVVEND", then
 * "TESTROM virtio bcv drive=XX io=XXXX qsize=N ring=ADDR sectors=N mem=KB"
 * (or "bcv failed=NN", NN the step that failed).
 *
 * Legacy virtio PCI I/O registers (virtio 0.9.5 / 1.0 legacy interface):
 * 00h host features, 04h guest features, 08h queue PFN, 0Ch queue size,
 * 0Eh queue select, 10h queue notify, 12h status, 13h ISR, 14h device
 * configuration (virtio-blk: 64-bit capacity in sectors) while MSI-X is off.
 */
#include "testrom.h"
#include "int13disk.h"

#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN   0x08
#define VIO_QUEUE_NUM   0x0c
#define VIO_QUEUE_SEL   0x0e
#define VIO_NOTIFY      0x10
#define VIO_STATUS      0x12
#define VIO_ISR         0x13
#define VIO_CONFIG      0x14

#define ST_ACK          1
#define ST_DRIVER       2
#define ST_DRIVER_OK    4

#define DESC_NEXT       1
#define DESC_WRITE      2
#define AVAIL_NO_INTERRUPT 1

#define POLL_LIMIT      0x20000000      /* loops, seconds of emulation */

        .text
        ROM_HEADER init, pcir, pnp

        .balign 4
pcir:   PCIR class=0x018000
        .balign 16
pnp:    PNP_HEADER product=product, manufacturer=maker, bcv=bcv, type=0x018000
product: .asciz "Kelp test virtio-blk"
maker:  .asciz  "Kelp tests"

        .balign 4
v_ringphys:     .long   0       /* physical base of the queue memory */
v_bdf:          .word   0
v_io:           .word   0
v_ringseg:      .word   0       /* the same, as a segment */
v_qsize:        .word   0
v_avail:        .word   0       /* offsets in the queue memory */
v_used:         .word   0
v_req:          .word   0       /* request header, then the status byte */

        INT13_FRONTEND

/* ------------------------------------------------------------ init */
init:
        pushal
        pushw   %ds
        pushw   %es
        movw    %ax, %cs:v_bdf
        PRINT   "TESTROM virtio init ax="
        HEX16   %ax
        movw    %ax, %bx
        movw    $0xb10a, %ax
        xorw    %di, %di
        int     $0x1a
        PRINT   " id="
        HEX32   %ecx
        PRINT   "\n"
        call    rom_fix_checksum
        popw    %es
        popw    %ds
        popal
        lret

/* ------------------------------------------------------------ BCV */
#define FAIL(step) movb $step, %al; jmp bcv_fail

bcv:
        pushal
        pushw   %ds
        pushw   %es
        cld
        movw    %cs:v_bdf, %bx
        movw    $0xb10a, %ax            /* BAR 0: I/O */
        movw    $0x10, %di
        int     $0x1a
        jc      1f
        testb   $1, %cl
        jnz     2f
1:      FAIL(1)
2:      andw    $0xfffc, %cx
        movw    %cx, %cs:v_io
        movw    %cs:v_bdf, %bx          /* command: I/O space, bus master */
        movw    $0xb109, %ax
        movw    $0x04, %di
        int     $0x1a
        orw     $0x0005, %cx
        movw    %cs:v_bdf, %bx
        movw    $0xb10c, %ax
        movw    $0x04, %di
        int     $0x1a

        movw    %cs:v_io, %dx           /* reset, acknowledge, driver */
        addw    $VIO_STATUS, %dx
        xorb    %al, %al
        outb    %al, %dx
        movb    $ST_ACK, %al
        outb    %al, %dx
        movb    $ST_ACK | ST_DRIVER, %al
        outb    %al, %dx
        movw    %cs:v_io, %dx           /* no features */
        addw    $VIO_GUEST_FEATURES, %dx
        xorl    %eax, %eax
        outl    %eax, %dx
        movw    %cs:v_io, %dx           /* queue 0 */
        addw    $VIO_QUEUE_SEL, %dx
        xorw    %ax, %ax
        outw    %ax, %dx
        movw    %cs:v_io, %dx
        addw    $VIO_QUEUE_NUM, %dx
        inw     %dx, %ax
        testw   %ax, %ax
        jnz     1f
        FAIL(2)
1:      movw    %ax, %cs:v_qsize

        /* Queue layout: descriptors (16 bytes each), the available ring
         * (4 + 2n + 2 bytes), the used ring on the next 4 KiB boundary
         * (4 + 8n + 2 bytes); then our request header and status. */
        movzwl  %ax, %ecx               /* n */
        movl    %ecx, %eax
        shll    $4, %eax
        movw    %ax, %cs:v_avail
        imull   $18, %ecx, %eax
        addl    $6 + 4095, %eax
        andl    $~4095, %eax
        movw    %ax, %cs:v_used
        leal    6 + 15(%eax, %ecx, 8), %eax
        andl    $~15, %eax
        movw    %ax, %cs:v_req
        addl    $32, %eax               /* bytes needed */
        cmpl    $0xf000, %eax
        jbe     1f
        FAIL(3)
1:      movl    %eax, %esi
        addl    $1023, %eax
        shrl    $10, %eax               /* KiB */
        pushw   $0x40
        popw    %ds
        movw    BDA_MEM_KB, %dx
        subw    %ax, %dx
        andw    $~3, %dx                /* 4 KiB aligned */
        cmpw    $256, %dx
        jae     1f
        FAIL(4)
1:      movw    %dx, BDA_MEM_KB
        movzwl  %dx, %eax
        shll    $10, %eax
        movl    %eax, %cs:v_ringphys
        shll    $6, %edx
        movw    %dx, %cs:v_ringseg
        movw    %dx, %es
        xorw    %di, %di
        movw    %si, %cx
        xorb    %al, %al
        rep stosb
        movw    %cs:v_avail, %di
        movw    $AVAIL_NO_INTERRUPT, %es:(%di)

        movw    %cs:v_io, %dx
        addw    $VIO_QUEUE_PFN, %dx
        movl    %cs:v_ringphys, %eax
        shrl    $12, %eax
        outl    %eax, %dx
        movw    %cs:v_io, %dx
        addw    $VIO_STATUS, %dx
        movb    $ST_ACK | ST_DRIVER | ST_DRIVER_OK, %al
        outb    %al, %dx

        movw    %cs:v_io, %dx           /* capacity, capped at 2^32 - 1 */
        addw    $VIO_CONFIG, %dx
        inl     %dx, %eax
        movl    %eax, %ebx
        addw    $4, %dx
        inl     %dx, %eax
        testl   %eax, %eax
        jz      1f
        movl    $0xffffffff, %ebx
1:      testl   %ebx, %ebx
        jnz     1f
        FAIL(5)
1:      movl    %ebx, %cs:d_sectors
        movw    $16, %cs:d_heads        /* 16 heads, 63 sectors, <= 1024 cylinders */
        movw    $63, %cs:d_spt
        movl    %ebx, %eax
        xorl    %edx, %edx
        movl    $16 * 63, %ecx
        divl    %ecx
        cmpl    $1024, %eax
        jbe     1f
        movl    $1024, %eax
1:      testl   %eax, %eax
        jnz     1f
        incl    %eax
1:      movw    %ax, %cs:d_cyls

        movb    BDA_HD_COUNT, %al       /* the next drive number */
        movb    %al, %ah
        addb    $0x80, %al
        movb    %al, %cs:d_drive
        incb    %ah
        movb    %ah, BDA_HD_COUNT
        xorw    %ax, %ax                /* hook INT 13h */
        movw    %ax, %es
        cli
        movl    %es:0x13 * 4, %eax
        movl    %eax, %cs:d_old13
        movw    $int13_entry, %es:0x13 * 4
        movw    %cs, %es:0x13 * 4 + 2
        sti

        PRINT   "TESTROM virtio bcv drive="
        HEX8    %cs:d_drive
        PRINT   " io="
        HEX16   %cs:v_io
        PRINT   " qsize="
        HEX16   %cs:v_qsize
        PRINT   " ring="
        HEX32   %cs:v_ringphys
        PRINT   " sectors="
        HEX32   %cs:d_sectors
        PRINT   " mem="
        HEX16   BDA_MEM_KB
        PRINT   "\n"
        call    rom_fix_checksum
        jmp     bcv_out
bcv_fail:
        PRINT   "TESTROM virtio bcv failed="
        HEX8    %al
        PRINT   "\n"
bcv_out:
        popw    %es
        popw    %ds
        popal
        lret

/* ------------------------------------------------------------ reads */
/* %cx sectors from LBA %eax to %es:%bx through the virtqueue. */
disk_xfer:
        pushw   %ds
        pushl   %edi
        pushl   %esi
        pushl   %ebp
        pushl   %edx
        pushl   %ecx
        pushl   %ebx
        movzwl  %bx, %edi               /* the buffer's physical address */
        movw    %es, %dx
        movzwl  %dx, %edx
        shll    $4, %edx
        addl    %edx, %edi
        movw    %cs:v_ringseg, %dx
        movw    %dx, %ds
        movw    %cs:v_req, %si
        movl    $0, (%si)               /* VIRTIO_BLK_T_IN */
        movl    $0, 4(%si)
        movl    %eax, 8(%si)
        movl    $0, 12(%si)
        movb    $0xff, 16(%si)
        movzwl  %si, %edx
        addl    %cs:v_ringphys, %edx
        movl    %edx, 0                 /* descriptor 0: the header */
        movl    $0, 4
        movl    $16, 8
        movw    $DESC_NEXT, 12
        movw    $1, 14
        movl    %edi, 16                /* descriptor 1: the data */
        movl    $0, 20
        movzwl  %cx, %eax
        shll    $9, %eax
        movl    %eax, 24
        movw    $DESC_WRITE | DESC_NEXT, 28
        movw    $2, 30
        addl    $16, %edx               /* descriptor 2: the status byte */
        movl    %edx, 32
        movl    $0, 36
        movl    $1, 40
        movw    $DESC_WRITE, 44
        movw    $0, 46
        movw    %cs:v_avail, %bx        /* offer chain 0 */
        movw    2(%bx), %ax
        movw    %ax, %bp
        xorw    %dx, %dx
        divw    %cs:v_qsize
        shlw    $1, %dx
        addw    %dx, %bx
        movw    $0, 4(%bx)
        movw    %cs:v_avail, %bx
        incw    %bp
        movw    %bp, 2(%bx)
        movw    %cs:v_io, %dx
        addw    $VIO_NOTIFY, %dx
        xorw    %ax, %ax
        outw    %ax, %dx
        movw    %cs:v_used, %bx         /* wait until it is used */
        movl    $POLL_LIMIT, %ecx
1:      cmpw    2(%bx), %bp
        je      2f
        decl    %ecx
        jnz     1b
        movb    $0x80, %ah              /* timeout */
        jmp     3f
2:      movw    %cs:v_io, %dx
        addw    $VIO_ISR, %dx
        inb     %dx, %al
        movb    $0x20, %ah              /* controller failure */
        cmpb    $0, 16(%si)
        jne     3f
        xorb    %ah, %ah
3:      popl    %ebx
        popl    %ecx
        popl    %edx
        popl    %ebp
        popl    %esi
        popl    %edi
        popw    %ds
        cmpb    $1, %ah                 /* CF = (AH == 0) -> invert */
        cmc
        ret

        DEBUG_ROUTINES
        CHECKSUM_ROUTINE
