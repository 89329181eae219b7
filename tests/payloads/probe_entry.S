/*
 * Real-mode entry of the probe body and the intcall() helper.
 *
 * The boot sector jumps to 0000:8000 with DL = boot drive.  Everything
 * (code, data, stack) lives in the first 64 KiB with every segment
 * register zero, so the flat 32-bit pointers that gcc -m16 produces are
 * valid offsets.
 *
 * The C side is compiled with gcc -m16: calls push a 32-bit return
 * address, arguments sit in 32-bit stack slots and EBX, ESI, EDI, EBP are
 * callee-saved.
 */
	.code16

	.set	EXIT_PORT, 0xf4
	.set	EXIT_OK, 0x10

	/* struct probe_regs layout, see probe.h */
	.set	R_EAX, 0
	.set	R_EBX, 4
	.set	R_ECX, 8
	.set	R_EDX, 12
	.set	R_ESI, 16
	.set	R_EDI, 20
	.set	R_EBP, 24
	.set	R_EFLAGS, 28
	.set	R_DS, 32
	.set	R_ES, 34
	.set	R_FS, 36
	.set	R_GS, 38

	.section .text.entry, "ax"
	.globl	_start
_start:
	jmp	start_body
	/* Image header at fixed offsets of the body (mkimage.py patches it):
	 * +4 magic "PMOD", +8 mode byte (0 = full probe, see probe.h). */
	.org	4
	.ascii	"PMOD"
	.globl	probe_mode
probe_mode:
	.byte	0
	.org	16
start_body:
	cli
	xorl	%eax, %eax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movl	$0x7c00, %esp
	ljmp	$0, $1f
1:	cld
	movw	$__bss_start, %di
	movw	$__bss_end, %cx
	subw	%di, %cx
	rep stosb
	movb	%dl, probe_boot_drive
	sti
	calll	probe_main
	/* finished: ask QEMU to exit with the OK status */
	movb	$EXIT_OK, %al
	outb	%al, $EXIT_PORT
2:	cli
	hlt
	jmp	2b

/*
 * void intcall(unsigned vector, struct probe_regs *r)
 *
 * Loads every general, segment and flags register from *r, executes a real
 * INT instruction for the vector (through a table of "int $n; ret" stubs,
 * because the vector of INT is an immediate) and stores all registers,
 * including the returned EFLAGS, back into *r.
 *
 * void farcall(u32 segoff, struct probe_regs *r)
 *
 * The same, but instead of INT it executes PUSHF and a far CALL to
 * segoff (segment in the high word), the way old programs enter the BIOS
 * at its fixed addresses.  Unlike INT this leaves IF as *r has it.
 */
	.text
	.globl	intcall
intcall:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	/* 24 bytes saved + 4 bytes return address */
	movzbl	28(%esp), %eax
	shll	$2, %eax
	addl	$intvec_stubs, %eax
	movw	%ax, intcall_target
	jmp	call_common

	.globl	farcall
farcall:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	movl	28(%esp), %eax
	movl	%eax, farcall_ptr
	movw	$farcall_stub, intcall_target

call_common:
	movl	32(%esp), %esi
	movl	%esi, intcall_regs

	pushl	R_EFLAGS(%esi)
	pushw	R_DS(%esi)
	pushl	R_ESI(%esi)
	movw	R_ES(%esi), %es
	movw	R_FS(%esi), %fs
	movw	R_GS(%esi), %gs
	movl	R_EAX(%esi), %eax
	movl	R_EBX(%esi), %ebx
	movl	R_ECX(%esi), %ecx
	movl	R_EDX(%esi), %edx
	movl	R_EDI(%esi), %edi
	movl	R_EBP(%esi), %ebp
	popl	%esi
	popw	%ds
	popfl
	call	*%cs:intcall_target

	pushfl
	pushw	%ds
	pushl	%esi
	pushw	$0
	popw	%ds
	movl	intcall_regs, %esi
	movl	%eax, R_EAX(%esi)
	movl	%ebx, R_EBX(%esi)
	movl	%ecx, R_ECX(%esi)
	movl	%edx, R_EDX(%esi)
	movl	%edi, R_EDI(%esi)
	movl	%ebp, R_EBP(%esi)
	movw	%es, R_ES(%esi)
	movw	%fs, R_FS(%esi)
	movw	%gs, R_GS(%esi)
	popl	R_ESI(%esi)
	popw	R_DS(%esi)
	popl	R_EFLAGS(%esi)

	popw	%gs
	popw	%fs
	popw	%es
	popw	%ds
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	retl

farcall_stub:
	pushfw
	lcallw	*%cs:farcall_ptr
	ret

/*
 * INT 1Ch hook used by the probe: counts the calls in int1c_count, then
 * continues at the previous handler (int1c_next, a far pointer).
 */
	.globl	int1c_hook
int1c_hook:
	incw	%cs:int1c_count
	ljmpw	*%cs:int1c_next

/* One 4-byte stub per vector: CD nn (int $nn), C3 (16-bit ret), pad. */
	.balign	4
intvec_stubs:
	.set	vecno, 0
	.rept	256
	.byte	0xcd, vecno, 0xc3, 0x90
	.set	vecno, vecno + 1
	.endr

	.data
	.balign	4
intcall_regs:
	.long	0
intcall_target:
	.word	0
	.balign	4
farcall_ptr:
	.long	0
	.globl	int1c_next, int1c_count
int1c_next:
	.long	0
int1c_count:
	.word	0
