/*
 * Boot sector of the serial console test (tests/qemu/test_bootmgr.py).
 *
 * It draws on the text screen through INT 10h the ways boot loaders do,
 * each of which the serial console mirrors as ANSI sequences:
 *   00h  mode 3 (clears the screen)
 *   02h  cursor to row 5, column 10; 09h "X" three times, attribute 1Fh
 *   13h  "hi" at row 7, column 0, attribute 4Eh, cursor moved after it
 *   0Eh  "ok" CR LF
 * then prints "PROBE keyecho.ready=1" on the debug console and reads
 * KEYS keys with INT 16h 10h, printing "PROBE key.<n>=<AX>" (hex) for
 * each, and exits QEMU through isa-debug-exit with the OK value 10h.
 *
 * mkimage.py --boot-sector turns the code into a 1 MiB disk with 55AAh.
 */
	.code16
	.set	EXIT_PORT, 0xf4
	.set	KEYS, 10

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

	movw	$0x0003, %ax		/* mode 3 */
	int	$0x10
	movw	$0x0200, %ax		/* cursor to 5,10 on page 0 */
	xorb	%bh, %bh
	movw	$0x050a, %dx
	int	$0x10
	movw	$0x0958, %ax		/* "X" x 3, white on blue */
	movw	$0x001f, %bx
	movw	$3, %cx
	int	$0x10
	movw	$0x1301, %ax		/* "hi" at 7,0, yellow on red, move */
	movw	$0x004e, %bx
	movw	$2, %cx
	movw	$0x0700, %dx
	movw	$str_hi, %bp
	int	$0x10
	movw	$str_ok, %si
2:	lodsb				/* teletype "ok\r\n" */
	testb	%al, %al
	jz	3f
	movb	$0x0e, %ah
	movw	$0x0007, %bx
	int	$0x10
	jmp	2b

3:	movw	$msg_ready, %si
	call	puts
	xorw	%di, %di		/* keys read */
4:	movb	$0x10, %ah
	int	$0x16
	movw	%ax, %bx
	movw	$msg_key, %si
	call	puts
	movw	%di, %ax
	call	putdec
	movb	$'=', %al
	call	putc
	movb	%bh, %al
	call	puthex8
	movb	%bl, %al
	call	puthex8
	movb	$'\n', %al
	call	putc
	incw	%di
	cmpw	$KEYS, %di
	jb	4b
	movb	$0x10, %al
	outb	%al, $EXIT_PORT
5:	cli
	hlt
	jmp	5b

#include "dbgout.h"

putdec:					/* AL < 100 */
	aam
	testb	%ah, %ah
	jz	1f
	pushw	%ax
	movb	%ah, %al
	addb	$'0', %al
	call	putc
	popw	%ax
1:	addb	$'0', %al
	jmp	putc


str_hi:	.ascii	"hi"
str_ok:	.asciz	"ok\r\n"
msg_ready:
	.asciz	"PROBE keyecho.ready=1\n"
msg_key:
	.asciz	"PROBE key."
