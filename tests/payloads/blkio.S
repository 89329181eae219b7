/*
 * Boot sector of the disk I/O test (tests/qemu/test_virtio.py): INT 13h
 * writes, reads and verifies on the drive it was started from (DL), each
 * reported on the debug console as "PROBE io.<step>=<AH>/<CF>":
 *
 *   w43   AH=43h writes 2 sectors of the pattern to LBA 100
 *   n43   the block count AH=43h left in the packet (02)
 *   r42   AH=42h reads LBA 100-101 back; "same" is 1 if they match
 *   w03   AH=03h writes the pattern's first sector to C0/H0/S2 (LBA 1)
 *   v44   AH=44h verifies LBA 100-101
 *   bad   AH=42h reads LBA 300 (the test makes that sector fail)
 *   bw    AH=43h writes the pattern to LBA 400 (the test makes that fail)
 *   end   AH=42h reads LBA FFFFFFF0h (past the end of a disk under 2 TiB)
 *   hi    AH=42h reads LBA 100000005h (past 2^32 blocks) to 0000:2000;
 *         "hs" is 1 if it starts with "KELPHIGH"
 *
 * The pattern is 512 words counting up from 4B45h. The host checks what
 * reached the image after QEMU exited through isa-debug-exit (value 10h).
 */
	.code16
	.set	EXIT_PORT, 0xf4
	.set	PATTERN, 0x1000		/* 0000:1000, 2 sectors */
	.set	READBACK, 0x2000
	.set	drive, 0x500		/* the boot drive */

	.section .text
	.globl	_start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	ljmp	$0, $1f
1:	sti
	cld
	movb	%dl, drive

	movw	$PATTERN, %di		/* the pattern */
	movw	$0x4B45, %ax
	movw	$512, %cx
2:	stosw
	incw	%ax
	loop	2b

	movw	$0x4300, %ax
	movw	$dap_w, %si
	movw	$msg_w43, %bx
	call	int13
	movb	dap_w + 2, %ah		/* blocks done */
	clc
	movw	$msg_n43, %bx
	call	report

	movb	$0x42, %ah
	movw	$dap_r, %si
	movw	$msg_r42, %bx
	call	int13
	movw	$PATTERN, %si
	movw	$READBACK, %di
	movw	$512, %cx
	repe cmpsw
	setne	%ah			/* 1 when they differ */
	xorb	$1, %ah
	clc
	movw	$msg_same, %bx
	call	report

	movw	$0x0301, %ax		/* one sector to C0/H0/S2 */
	movw	$0x0002, %cx
	movb	drive, %dl
	xorb	%dh, %dh
	movw	$PATTERN, %bx
	int	$0x13
	movw	$msg_w03, %bx
	call	report

	movb	$0x44, %ah
	movw	$dap_r, %si
	movw	$msg_v44, %bx
	call	int13

	movb	$0x42, %ah
	movw	$dap_bad, %si
	movw	$msg_bad, %bx
	call	int13

	movb	$0x43, %ah
	movw	$dap_badw, %si
	movw	$msg_badw, %bx
	call	int13

	movb	$0x42, %ah
	movw	$dap_end, %si
	movw	$msg_end, %bx
	call	int13

	movb	$0x42, %ah
	movw	$dap_hi, %si
	movw	$msg_hi, %bx
	call	int13
	movw	$msg_high, %si
	movw	$READBACK, %di
	movw	$4, %cx
	repe cmpsw
	setne	%ah
	xorb	$1, %ah
	clc
	movw	$msg_hisame, %bx
	call	report

	movb	$0x10, %al
	outb	%al, $EXIT_PORT
3:	cli
	hlt
	jmp	3b

/* INT 13h with AH (AL) and DS:SI on the boot drive, then report as BX. */
int13:
	movb	drive, %dl
	int	$0x13
	/* fall through */

/* Print "PROBE io.<BX>=<AH>/<CF>". */
report:
	pushw	%ax
	setc	%cl
	movw	$msg_probe, %si
	call	puts
	movw	%bx, %si
	call	puts
	movb	$'=', %al
	call	putc
	popw	%ax
	movb	%ah, %al
	call	puthex8
	movb	$'/', %al
	call	putc
	movb	%cl, %al
	addb	$'0', %al
	call	putc
	movb	$'\n', %al
	/* fall through */

#include "dbgout.h"

/* Disk address packets: size, 0, count, offset, segment, LBA. */
	.p2align 2
dap_w:	.byte	16, 0
	.word	2, PATTERN, 0
	.quad	100
dap_r:	.byte	16, 0
	.word	2, READBACK, 0
	.quad	100
dap_bad: .byte	16, 0
	.word	1, READBACK, 0
	.quad	300
dap_badw: .byte	16, 0
	.word	1, PATTERN, 0
	.quad	400
dap_end: .byte	16, 0
	.word	1, READBACK, 0
	.quad	0xFFFFFFF0
dap_hi:	.byte	16, 0
	.word	1, READBACK, 0
	.quad	0x100000005

msg_probe: .asciz "PROBE io."
msg_w43: .asciz	"w43"
msg_n43: .asciz	"n43"
msg_r42: .asciz	"r42"
msg_same: .asciz "same"
msg_w03: .asciz	"w03"
msg_v44: .asciz	"v44"
msg_bad: .asciz	"bad"
msg_badw: .asciz "bw"
msg_end: .asciz	"end"
msg_hi:	.asciz	"hi"
msg_hisame: .asciz "hs"
msg_high: .ascii "KELPHIGH"
