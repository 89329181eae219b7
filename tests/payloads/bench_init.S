/*
 * /init of the `make bench` Linux disk (x86-64, static, no C library).
 *
 * Its first instruction reads the TSC: under QEMU's -icount shift=0 that is
 * the guest time in nanoseconds from reset to Linux's init.  It prints
 * "BENCH tsc_init=<16 hex>" straight to COM1 (the kernel's tty layer
 * would still be sending it when QEMU ends) and exits QEMU through the
 * isa-debug-exit port with the OK value 10h.  Should that port be absent,
 * init exits and the kernel's panic ends the run under -no-reboot.
 */
	.set	COM1, 0x3f8
	.set	EXIT_PORT, 0xf4
	.set	EXIT_OK, 0x10
	.set	SYS_IOPL, 172
	.set	SYS_EXIT, 60

	.text
	.globl	_start
_start:
	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, %r12

	movl	$SYS_IOPL, %eax		/* ports for user mode (init is root) */
	movl	$3, %edi
	syscall

	leaq	msg(%rip), %rsi
	call	puts
	movl	$16, %ecx		/* the TSC, high nibble first */
1:	rolq	$4, %r12
	movl	%r12d, %eax
	andl	$15, %eax
	leaq	hex(%rip), %rbx
	movb	(%rbx,%rax), %al
	call	putc
	loop	1b
	movb	$'\n', %al
	call	putc

	movb	$EXIT_OK, %al
	outb	%al, $EXIT_PORT
	movl	$SYS_EXIT, %eax
	xorl	%edi, %edi
	syscall

puts:
	lodsb
	testb	%al, %al
	jz	2f
	call	putc
	jmp	puts
2:	ret

/* The transmitter is given a bounded time to take each byte. */
putc:
	pushq	%rcx
	movb	%al, %ah
	movl	$0x10000, %ecx
	movw	$COM1 + 5, %dx
3:	inb	%dx, %al
	testb	$0x20, %al		/* LSR: transmit holding register empty */
	loopz	3b
	movb	%ah, %al
	movw	$COM1, %dx
	outb	%al, %dx
	popq	%rcx
	ret

	.section .rodata
msg:	.asciz	"\nBENCH tsc_init="
hex:	.ascii	"0123456789abcdef"
