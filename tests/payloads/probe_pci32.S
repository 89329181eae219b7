/*
 * Calls into the BIOS's 32-bit interfaces (BIOS32 directory, $PCI) from
 * the real-mode probe.
 *
 * void pm32_call(u32 eip, u32 cs, struct probe_regs *r, u32 paging)
 *
 * Enters 32-bit protected mode with interrupts off, loads the general
 * registers and DS/ES/FS/GS (as selectors of the table below) from *r,
 * far-calls cs:eip, stores every register and EFLAGS back into *r and
 * returns to real mode with the caller's flags.  An exception during the
 * call abandons it: pm32_faulted is set and the registers in *r are left
 * as they were.  With paging set, paging
 * is on during the call with the 4 MiB page directory at PM32_PGDIR
 * (see probe_pci.c), which maps the low 4 MiB both at 0 and at
 * C0000000h, the way a 32-bit Linux kernel sees the BIOS.
 *
 * Selectors (PM32_* in probe_pci.c):
 *   08h code, 32-bit, base 0           10h data, 32-bit, base 0
 *   18h code, 16-bit, base 0, 64 KiB   20h data, 16-bit, base 0, 64 KiB
 *   28h code, 32-bit, base F0000h, 64 KiB (the BIOS32 calling model)
 */
	.code16

	.set	SEL_CODE32, 0x08
	.set	SEL_DATA32, 0x10
	.set	SEL_CODE16, 0x18
	.set	SEL_DATA16, 0x20
	.set	PM32_PGDIR, 0x1000

	/* struct probe_regs, see probe.h */
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

	.text
	.globl	pm32_call
pm32_call:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	pushfl
	movl	32(%esp), %eax
	movl	%eax, pm32_target
	movl	36(%esp), %eax
	movw	%ax, pm32_target + 4
	movl	40(%esp), %eax
	movl	%eax, pm32_regs
	movl	44(%esp), %eax
	movl	%eax, pm32_paging
	cli
	movl	%esp, pm32_esp
	movl	$0, pm32_faulted
	lgdtl	pm32_gdtr
	lidtl	pm32_idtr
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $1f

	.code32
1:	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	cmpl	$0, pm32_paging
	je	2f
	movl	$PM32_PGDIR, %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$0x10, %eax		/* PSE: 4 MiB pages */
	movl	%eax, %cr4
	movl	%cr0, %eax
	orl	$0x80000000, %eax
	movl	%eax, %cr0
	jmp	2f
2:	movl	pm32_regs, %esi
	pushl	R_DS(%esi)		/* DS goes in last */
	movw	R_ES(%esi), %es
	movw	R_FS(%esi), %fs
	movw	R_GS(%esi), %gs
	movl	R_EAX(%esi), %eax
	movl	R_EBX(%esi), %ebx
	movl	R_ECX(%esi), %ecx
	movl	R_EDX(%esi), %edx
	movl	R_EDI(%esi), %edi
	movl	R_EBP(%esi), %ebp
	movl	R_ESI(%esi), %esi
	popl	%ds
	lcall	*%cs:pm32_target
	pushl	%ds
	pushfl
	pushl	%esi
	movw	$SEL_DATA32, %si
	movw	%si, %ds
	movl	pm32_regs, %esi
	movl	%eax, R_EAX(%esi)
	movl	%ebx, R_EBX(%esi)
	movl	%ecx, R_ECX(%esi)
	movl	%edx, R_EDX(%esi)
	movl	%edi, R_EDI(%esi)
	movl	%ebp, R_EBP(%esi)
	popl	R_ESI(%esi)
	popl	R_EFLAGS(%esi)
	popl	%eax
	movw	%ax, R_DS(%esi)
	movw	%es, R_ES(%esi)
	movw	%fs, R_FS(%esi)
	movw	%gs, R_GS(%esi)
pm32_leave:
	movl	%cr0, %eax
	andl	$0x7FFFFFFF, %eax	/* paging off (if it was on) */
	movl	%eax, %cr0
	ljmp	$SEL_CODE16, $3f

/* Every exception vector lands here: forget the call, go back. */
pm32_fault:
	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	$1, pm32_faulted
	jmp	pm32_leave

	.code16
3:	movw	$SEL_DATA16, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	%cr0, %eax
	andb	$0xFE, %al
	movl	%eax, %cr0
	ljmp	$0, $4f
4:	lidtl	%cs:pm32_rm_idtr
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	pm32_esp, %esp
	popfl
	popw	%gs
	popw	%fs
	popw	%es
	popw	%ds
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	retl

	.data
	.balign	8
pm32_gdt:
	.quad	0
	.quad	0x00CF9A000000FFFF	/* 08h */
	.quad	0x00CF92000000FFFF	/* 10h */
	.quad	0x00009A000000FFFF	/* 18h */
	.quad	0x000092000000FFFF	/* 20h */
	.quad	0x00409A0F0000FFFF	/* 28h: base F0000h, 64 KiB, 32-bit */
pm32_gdt_end:
pm32_gdtr:
	.word	pm32_gdt_end - pm32_gdt - 1
	.long	pm32_gdt
/* 32 interrupt gates (32-bit, selector 08h), all to pm32_fault. */
	.balign	8
pm32_idt:
	.rept	32
	.word	pm32_fault, SEL_CODE32, 0x8E00, 0
	.endr
pm32_idt_end:
pm32_idtr:
	.word	pm32_idt_end - pm32_idt - 1
	.long	pm32_idt
pm32_rm_idtr:
	.word	0x3FF
	.long	0
	.balign	4
	.globl	pm32_faulted
pm32_faulted:
	.long	0
pm32_target:
	.long	0
	.word	0
	.balign	4
pm32_regs:
	.long	0
pm32_paging:
	.long	0
pm32_esp:
	.long	0
