/* Output routines for the small boot-sector test programs built by
 * tests/qemu/harness.py boot_sector_disk() (fsegwrite.S, apmoff.S); include
 * it where the code may hold them. To the debug console (port 402h):
 *   putc   the character in AL (DX changes)
 *   puts   the ASCIIZ string at DS:SI (SI moves past it)
 *   hex16  AX as four hex digits (BX, CX change) */
putc:	movw	$0x402, %dx
	outb	%al, %dx
	ret
puts:	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret
hex16:	movw	$4, %cx
	movw	%ax, %bx
1:	rolw	$4, %bx
	movb	%bl, %al
	andb	$15, %al
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	2f
	addb	$('a' - '0' - 10), %al
2:	call	putc
	loop	1b
	ret
