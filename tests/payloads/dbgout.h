/* Output routines of the small boot-sector test programs (bootchain.S,
 * blkio.S, keyecho.S, and fsegwrite.S and apmoff.S, which
 * tests/qemu/harness.py boot_sector_disk() builds). To the debug console,
 * port 402h:
 *   putc     the character in AL
 *   puts     the ASCIIZ string at DS:SI (SI moves past it)
 *   puthex8  AL as two hex digits (AL changes)
 *   hex16    AX as four hex digits, with DBGOUT_HEX16 defined
 * Only AX (and SI for puts) change. putc comes first: code may fall
 * through into it. */
putc:	pushw	%dx
	movw	$0x402, %dx
	outb	%al, %dx
	popw	%dx
	ret
puts:	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret
#ifdef DBGOUT_HEX16
hex16:	pushw	%ax
	movb	%ah, %al
	call	puthex8
	popw	%ax
	/* fall through */
#endif
puthex8:
	pushw	%ax
	shrb	$4, %al
	call	hexdigit
	popw	%ax
	andb	$0x0f, %al
hexdigit:
	addb	$'0', %al
	cmpb	$'9', %al
	jbe	putc
	addb	$('a' - '9' - 1), %al
	jmp	putc
