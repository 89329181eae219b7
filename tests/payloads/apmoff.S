/* Boot sector that switches the machine off the DOS way, through the APM
 * real-mode interface: 5300h (installation check), 5301h (connect), 530Eh
 * (driver version 1.2), 5307h BX=1 CX=3 (all devices off). Each step prints
 * "APMOFF <fn> cf=<0|1> ax=<hex>" on the debug console. If the machine is
 * still running after 5307h, it ends QEMU through isa-debug-exit (port
 * F4h, status 35). Built by tests/qemu/test_power.py. */
	.code16
	.text
	.globl	_start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	movw	$0x7c00, %sp
	sti
	cld
	movw	$0x5300, %ax
	xorw	%bx, %bx
	int	$0x15
	movw	$s_5300, %si
	call	report
	movw	$0x5301, %ax
	xorw	%bx, %bx
	int	$0x15
	movw	$s_5301, %si
	call	report
	movw	$0x530e, %ax
	xorw	%bx, %bx
	movw	$0x0102, %cx
	int	$0x15
	movw	$s_530e, %si
	call	report
	movw	$0x5307, %ax
	movw	$1, %bx
	movw	$3, %cx
	int	$0x15
	movw	$s_5307, %si
	call	report
1:	movb	$0x11, %al
	outb	%al, $0xf4
	hlt
	jmp	1b

/* Print the label at SI, then cf= and ax= of the call just made. */
report:
	pushw	%ax
	pushf
	call	puts
	movw	$s_cf, %si
	call	puts
	popw	%ax
	andb	$1, %al
	addb	$'0', %al
	call	putc
	movw	$s_ax, %si
	call	puts
	popw	%ax
	call	hex16
	movb	$'\n', %al
	jmp	putc
#define DBGOUT_HEX16
#include "dbgout.h"

s_5300:	.asciz	"APMOFF 5300"
s_5301:	.asciz	"APMOFF 5301"
s_530e:	.asciz	"APMOFF 530e"
s_5307:	.asciz	"APMOFF 5307"
s_cf:	.asciz	" cf="
s_ax:	.asciz	" ax="
	.org	510
	.byte	0x55, 0xaa
