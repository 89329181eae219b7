/*
 * Boot sector of `make bench` (scripts/bench.py).
 *
 * Its first instruction but one (which keeps DL) is RDTSC: under QEMU's -icount shift=0 the TSC
 * counts nanoseconds of guest time since reset, so the value is the
 * firmware's time from reset to 0000:7C00.  What it does next depends on
 * the parameter block at 1B2h (`params` below, patched by bench.py).
 *
 * The program is two sectors: the boot sector keeps the partition table
 * area empty (firmware checks it before booting) and, unless it exits at
 * once, loads the second sector to 7E00h with INT 13h 02h.
 *
 *   MODE_EXIT   exits QEMU at once (isa-debug-exit), touching no other port:
 *               a trace of the run counts the firmware's accesses only.
 *   MODE_REPORT prints the reset-to-7C00 TSC, INT 12h and the EBDA size on
 *               COM1, then exits.
 *   MODE_READ   the same, then looks for the hard disk whose INT 13h 48h
 *               sector count is <sectors> and reads its first <mib> MiB
 *               through INT 13h 42h, 128 sectors (64 KiB) a call into
 *               1000:0000, and prints the TSC ticks the reads took.
 *
 * Output lines, all on COM1: "BENCH tsc7c00=<16 hex>", "BENCH int12=<4 hex>",
 * "BENCH ebda=<seg 4 hex>:<KiB 2 hex>", then for MODE_READ
 * "BENCH drive=<2 hex>" and "BENCH read_tsc=<16 hex>", or "BENCH read=none"
 * when no drive has that size (the firmware does not drive its controller),
 * or "BENCH read_error=<AH> lba=<8 hex>".  The run always ends with the OK
 * value 10h on the isa-debug-exit port.
 */
	.code16
	.set	COM1, 0x3f8
	.set	EXIT_PORT, 0xf4
	.set	EXIT_OK, 0x10
	.set	BUF_SEG, 0x1000
	.set	CHUNK, 128		/* sectors per call: 64 KiB */

	.set	MODE_EXIT, 0
	.set	MODE_REPORT, 1
	.set	MODE_READ, 2

	.section .text
	.globl	_start
_start:
	movb	%dl, %bl		/* the boot drive: RDTSC takes EDX */
	rdtsc
	cli
	xorw	%cx, %cx
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %ss
	movw	$0x7c00, %sp		/* only near jumps: any CS:IP for 7C00 works */
	cmpb	$MODE_EXIT, mode
	je	exit
	movl	%eax, t_boot
	movl	%edx, t_boot + 4
	sti
	cld
	movb	%bl, %dl
	movw	$0x0201, %ax		/* the second sector, to 7E00h */
	movw	$0x0002, %cx
	xorb	%dh, %dh
	movw	$0x7e00, %bx
	int	$0x13
	jnc	part2
exit:
	movb	$EXIT_OK, %al
	outb	%al, $EXIT_PORT
1:	hlt
	jmp	1b

/* Parameter block: bench.py finds it by its magic and patches it. */
	.org	0x1b2
params:		.ascii	"KBNC"
mode:		.byte	MODE_REPORT
		.byte	0
mib:		.word	64
sectors:	.long	0
	.org	0x1fe
	.byte	0x55, 0xaa

/* ---- second sector, at 7E00h ---- */
part2:

	movw	$msg_tsc, %si
	movw	$t_boot, %di
	call	put_field64

	int	$0x12
	movw	$msg_int12, %si
	call	put_key
	call	puthex16
	call	newline

	/* EBDA: segment at 40:0Eh, its size in KiB in its first byte. */
	movw	0x40e, %ax
	movw	$msg_ebda, %si
	call	put_key
	call	puthex16
	movb	$':', %al
	call	putc
	movw	0x40e, %ax
	testw	%ax, %ax		/* no EBDA: size 0 */
	jz	2f
	movw	%ax, %es
	movb	%es:0, %al
2:	call	puthex8
	call	newline

	cmpb	$MODE_READ, mode
	jne	exit

	/* The drive under test: the one with exactly <sectors> sectors. */
	movb	$0x80, %bl
3:	movw	$0x1a, edd_buf		/* buffer size */
	movw	$edd_buf, %si
	movb	$0x48, %ah
	movb	%bl, %dl
	int	$0x13
	jc	4f
	movl	edd_buf + 0x10, %eax
	cmpl	sectors, %eax
	je	found
4:	incb	%bl
	cmpb	$0x90, %bl
	jb	3b
	movw	$msg_none, %si
	call	put_key
	jmp	exit

found:
	movb	%bl, drive
	movw	$msg_drive, %si
	call	put_key
	movb	%bl, %al
	call	puthex8
	call	newline
	movzwl	mib, %eax
	shll	$11, %eax		/* 2048 sectors a MiB */
	movl	%eax, left
	rdtsc
	movl	%eax, t_read
	movl	%edx, t_read + 4
5:	movw	$CHUNK, dap_count
	movw	$dap, %si
	movb	$0x42, %ah
	movb	drive, %dl
	int	$0x13
	jc	read_error
	addl	$CHUNK, dap_lba
	subl	$CHUNK, left
	ja	5b
	rdtsc
	subl	t_read, %eax
	sbbl	t_read + 4, %edx
	movl	%eax, t_read
	movl	%edx, t_read + 4
	movw	$msg_read, %si
	movw	$t_read, %di
	call	put_field64
	jmp	exit

read_error:
	movb	%ah, %al
	movw	$msg_error, %si
	call	put_key
	call	puthex8
	movw	$msg_lba, %si
	call	puts
	movl	dap_lba, %eax
	call	puthex32
	call	newline


/* "BENCH " and the string at SI; AX is kept. */
put_key:
	pushw	%ax
	pushw	%si
	movw	$msg_bench, %si
	call	puts
	popw	%si
	call	puts
	popw	%ax
	ret

/* The key at SI, the qword at DI in hex and a newline. */
put_field64:
	call	put_key
	movl	4(%di), %eax
	call	puthex32
	movl	(%di), %eax
	call	puthex32
newline:
	movb	$'\n', %al
/* The transmitter is given a bounded time to take each byte. */
putc:
	pushw	%cx
	pushw	%dx
	pushw	%ax
	movw	$0xffff, %cx
	movw	$COM1 + 5, %dx
7:	inb	%dx, %al
	testb	$0x20, %al		/* LSR: transmit holding register empty */
	loopz	7b
	popw	%ax
	movw	$COM1, %dx
	outb	%al, %dx
	popw	%dx
	popw	%cx
	ret

puts:
	lodsb
	testb	%al, %al
	jz	8f
	call	putc
	jmp	puts
8:	ret

puthex32:
	rorl	$16, %eax
	call	puthex16
	rorl	$16, %eax
puthex16:
	xchgb	%al, %ah
	call	puthex8
	xchgb	%al, %ah
puthex8:
	pushw	%ax
	shrb	$4, %al
	call	hexdigit
	popw	%ax
	pushw	%ax
	andb	$0x0f, %al
	call	hexdigit
	popw	%ax
	ret
/* 0-15 in AL to '0'-'9', 'A'-'F' (the DAS idiom). */
hexdigit:
	cmpb	$10, %al
	sbbb	$0x69, %al
	das
	jmp	putc

msg_bench:	.asciz	"BENCH "
msg_tsc:	.asciz	"tsc7c00="
msg_int12:	.asciz	"int12="
msg_ebda:	.asciz	"ebda="
msg_drive:	.asciz	"drive="
msg_read:	.asciz	"read_tsc="
msg_none:	.asciz	"read=none\n"
msg_error:	.asciz	"read_error="
msg_lba:	.asciz	" lba="

dap:		.byte	0x10, 0		/* INT 13h 42h disk address packet */
dap_count:	.word	CHUNK
		.word	0, BUF_SEG
dap_lba:	.quad	0


/* Variables past the program. */
	.set	t_boot, 0x8000
	.set	t_read, 0x8008
	.set	left, 0x8010
	.set	drive, 0x8014
	.set	edd_buf, 0x8040		/* INT 13h 48h result */
