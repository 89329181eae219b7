/*
 * Boot sectors of the boot-order test (tests/qemu/test_boot.py), built
 * twice from this file:
 *
 *   -DFIRST   prints "PROBE boot.first.dl=<DL>" and calls INT 18h, which
 *             must go on with the next boot device and never come back.
 *             If it does return, the sector prints "PROBE
 *             boot.int18_returned=1" and exits QEMU with status 01h.
 *   (default) prints "PROBE boot.second.dl=<DL>", reads sector 0 of drive
 *             DL with INT 13h AH=02h and prints "PROBE boot.second.readback=1"
 *             if it is this very boot sector (0 if not, "err" if the read
 *             failed), then exits QEMU through isa-debug-exit with the OK
 *             value 10h.
 *
 *   -DFIRST -DVBR  the same as -DFIRST behind the jump and BIOS parameter
 *             block of a FAT volume boot record (a disk without partitions,
 *             tests/qemu/test_int13.py).
 *
 * mkimage.py --boot-sector turns the code into a 1 MiB disk with 55AAh.
 */
	.code16
	.set	EXIT_PORT, 0xf4

	.section .text
	.globl	_start
_start:
#ifdef VBR
	jmp	1f
	nop
	.ascii	"KELPVBR "		/* 03h OEM name */
	.word	512			/* 0Bh bytes per sector */
	.byte	8			/* 0Dh sectors per cluster */
	.word	1			/* 0Eh reserved sectors */
	.byte	2			/* 10h FATs */
	.org	0x3e			/* end of the FAT16 extended BPB */
1:
#endif
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	ljmp	$0, $1f
1:	sti
	cld
	movb	%dl, %bl		/* boot drive; putc uses DX */
	movw	$msg_dl, %si
	call	puts
	movb	%bl, %al
	call	puthex8
	movb	$'\n', %al
	call	putc
#ifdef FIRST
	int	$0x18
	movw	$msg_returned, %si
	call	puts
	movb	$0x01, %al
#else
	movw	$0x0201, %ax		/* read C0/H0/S1 of drive DL to 0000:0600 */
	movw	$0x0001, %cx
	movb	%bl, %dl
	xorb	%dh, %dh
	movw	$0x0600, %bx
	int	$0x13
	movw	$msg_err, %si
	jc	3f
	movw	$0x0600, %si
	movw	$0x7c00, %di
	movw	$256, %cx
	repe cmpsw
	movw	$msg_one, %si
	je	3f
	movw	$msg_zero, %si
3:	pushw	%si			/* the whole line after the BIOS call */
	movw	$msg_readback, %si
	call	puts
	popw	%si
	call	puts
	movb	$0x10, %al
#endif
	outb	%al, $EXIT_PORT
2:	cli
	hlt
	jmp	2b

#include "dbgout.h"

#ifdef FIRST
msg_dl:	.asciz	"PROBE boot.first.dl="
msg_returned:
	.asciz	"PROBE boot.int18_returned=1\n"
#else
msg_dl:	.asciz	"PROBE boot.second.dl="
msg_readback:
	.asciz	"PROBE boot.second.readback="
msg_one:
	.asciz	"1\n"
msg_zero:
	.asciz	"0\n"
msg_err:
	.asciz	"err\n"
#endif
