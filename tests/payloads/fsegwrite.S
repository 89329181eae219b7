/* Boot sector that tries to overwrite firmware memory: for each address in
 * the table it inverts a dword (interrupts off), reads it back, restores it
 * if the write took, and prints "FSEGWRITE ssss:oooo unchanged|changed" on
 * the debug console; then it ends QEMU through isa-debug-exit (port F4h).
 * Built by tests/qemu/test_fseg.py. */
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
	movw	$targets, %si
1:	lodsw				/* segment, 0 ends the list */
	testw	%ax, %ax
	jz	done
	movw	%ax, %es
	lodsw
	movw	%ax, %di		/* offset */
	movl	%es:(%di), %ebx		/* the firmware's bytes */
	cli
	movl	%ebx, %eax
	notl	%eax
	movl	%eax, %es:(%di)		/* try to overwrite them */
	wbinvd
	movl	%es:(%di), %eax
	movw	$s_ok, %bp
	cmpl	%eax, %ebx
	je	2f
	movw	$s_changed, %bp
	movl	%ebx, %es:(%di)		/* put them back if it worked */
2:	sti
	pushw	%si
	movw	$s_pre, %si
	call	puts
	movw	%es, %ax
	call	hex16
	movb	$':', %al
	call	putc
	movw	%di, %ax
	call	hex16
	movw	%bp, %si
	call	puts
	popw	%si
	jmp	1b
done:	movb	$0x10, %al
	outb	%al, $0xf4
	hlt
	jmp	done

#define DBGOUT_HEX16
#include "dbgout.h"

s_pre:	.asciz	"FSEGWRITE "
s_ok:	.asciz	" unchanged\n"
s_changed: .asciz " changed\n"
targets:
	.word	0xF000, 0x0000		/* runtime code */
	.word	0xF000, 0x8000
	.word	0xF000, 0xE05B		/* reset entry */
	.word	0xF000, 0xFFF0		/* reset vector */
	.word	0xC000, 0x0000		/* the VGA ROM's header */
	.word	0xEE00, 0x1000		/* the runtime RW zone: must stay writable */
	.word	0
	.org	510
	.byte	0x55, 0xaa
