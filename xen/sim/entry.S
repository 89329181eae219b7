/* xen-sim entry and exit.
 *
 * In: QEMU starts the CPU at 0xFFFFFFF0 (the top of this image) in real
 * mode with CS base 0xFFFF0000. The 16-bit code below turns on A20 and
 * protected mode and jumps to 32-bit code, which runs in place from the
 * ROM at the 4 GiB alias; data, bss and the stack live in RAM at 1 MiB
 * (where hvmloader itself is loaded), so C0000-FFFFF can become RAM later.
 *
 * Out: xsim_handoff() leaves the CPU as hvmloader's exit path does:
 * trampoline bytes copied to physical address 0, 16-bit data segments with
 * base 0 and a 4 GiB limit, every general register and ESP zero, CR0 = 0,
 * data segments 0, IDTR base 0 limit 0x3FF, IF = DF = 0, then a far jump
 * to F000:FFF0. */

#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20

/* ---- real mode, at 0xFFFFFE00 (CS offset 0xFE00) ---- */
	.section .start16, "ax"
	.code16
	.global xsim_start16
xsim_start16:
	cli
	cld
	inb	$0x92, %al		/* A20 on (Xen has no A20 gate at all) */
	orb	$0x02, %al
	andb	$0xFE, %al
	outb	%al, $0x92
	lgdtl	%cs:(boot_gdt_desc - xsim_start16 + 0xFE00)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $xsim_start32

	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 32-bit code, base 0, 4 GiB */
	.quad	0x00cf92000000ffff	/* 32-bit data, base 0, 4 GiB */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

/* ---- the reset vector, the image's last 16 bytes ---- */
	.section .resetvec, "ax"
	.code16
	jmp	xsim_start16
	.balign	16, 0xF4

/* ---- 32-bit flat ---- */
	.section .text.start32, "ax"
	.code32
xsim_start32:
	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$_data_lma, %esi	/* initialised data from the ROM */
	movl	$_data_start, %edi
	movl	$_data_end, %ecx
	subl	%edi, %ecx
	rep	movsb
	movl	$_bss_start, %edi
	movl	$_bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep	stosb
	lgdtl	gdt_desc		/* the GDT in RAM, as hvmloader's is */
	ljmpl	$SEL_CODE32, $1f
1:	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$xsim_stack_top, %esp
	call	xsim_main
2:	cli
	hlt
	jmp	2b

	.text
	.global xsim_handoff
xsim_handoff:
	cli
	cld
	movl	$tramp_start, %esi	/* trampoline to 0, over the low IVT */
	xorl	%edi, %edi
	movl	$(tramp_end - tramp_start), %ecx
	rep	movsb
	movl	$SEL_DATA16, %eax	/* 16-bit data, base 0, 4 GiB */
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esp, %esp
	xorl	%ebp, %ebp
	xorl	%esi, %esi
	xorl	%edi, %edi
	ljmpl	$SEL_CODE16, $0		/* into the copy at 0 */

/* Runs at physical address 0: first 16-bit protected mode, then real. */
tramp_start:
	.code16
	movl	%eax, %cr0		/* EAX = 0: real mode, caches on */
	ljmp	$0, $(3f - tramp_start)
3:	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	lidt	(4f - tramp_start)
	ljmp	$0xF000, $0xFFF0
4:	.word	0x3FF			/* real-mode IDT: base 0, limit 3FFh */
	.long	0
tramp_end:
	.code32

	.data
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code, base 0, 4 GiB */
	.quad	0x00cf92000000ffff	/* 0x10: 32-bit data */
	.quad	0x008f9a000000ffff	/* 0x18: 16-bit code, base 0, 4 GiB */
	.quad	0x008f92000000ffff	/* 0x20: 16-bit data, base 0, 4 GiB */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.balign 16
	.skip	0x4000
xsim_stack_top:

	.section .note.GNU-stack, "", @progbits
