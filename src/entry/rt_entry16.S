/* Runtime entry and exit: every BIOS interrupt comes through here.
 *
 * A caller may have any segment registers and only a few bytes of stack.
 * rt_enter copies the little it pushed into the RW zone (interrupts are
 * off), moves to the runtime stack in RTSEG (or stays on it when an IRQ
 * nests inside a runtime handler), and builds a struct bregs frame there.
 * The C handler gets a near pointer to it and edits it; rt_exit puts the
 * caller's IRET frame back on the caller's stack and returns. The caller's
 * stack holds at most 14 bytes while this runs. */
#include "layout.h"
#define RESUME_MAGIC 0x4D52504B	/* src/rtdata.h */

	.code16
	.section .text.rt_entry, "ax"

/* Frame offsets (struct bregs in src/rt/bregs.h). */
#define F_DS	0
#define F_ES	2
#define F_FS	4
#define F_GS	6
#define F_EDI	8
#define F_IP	40
#define F_CS	42
#define F_FLAGS	44
#define F_LINK	46

	.section .bss.rt_in, "aw", @nobits
rt_in:
rt_in_bp:	.skip 2
rt_in_ax:	.skip 2
rt_in_ds:	.skip 2
rt_in_fn:	.skip 2
rt_in_ip:	.skip 2
rt_in_cs:	.skip 2
rt_in_flags:	.skip 2
rt_in_sp:	.skip 2
rt_in_ss:	.skip 2

	.section .text.rt_entry, "ax"
	.global rt_enter
rt_enter:			/* caller stack: fn, ip, cs, flags */
	cli
	pushw	%ds
	pushw	%ax
	pushw	%bp
	movw	%sp, %bp
	movw	$RTSEG, %ax
	movw	%ax, %ds
	movw	0(%bp), %ax
	movw	%ax, rt_in_bp
	movw	2(%bp), %ax
	movw	%ax, rt_in_ax
	movw	4(%bp), %ax
	movw	%ax, rt_in_ds
	movw	6(%bp), %ax
	movw	%ax, rt_in_fn
	movw	8(%bp), %ax
	movw	%ax, rt_in_ip
	movw	10(%bp), %ax
	movw	%ax, rt_in_cs
	movw	12(%bp), %ax
	movw	%ax, rt_in_flags
	leaw	14(%bp), %ax
	movw	%ax, rt_in_sp
	movw	%ss, %ax
	movw	%ax, rt_in_ss
	cmpw	$RTSEG, %ax
	je	1f
	movw	%ds, %ax
	movw	%ax, %ss
	movl	$RT_STACK_TOP, %esp
	jmp	2f
1:	movzwl	%bp, %esp		/* nested: go on below the caller */
2:	pushw	rt_in_ss
	pushw	rt_in_sp
	pushw	rt_in_flags
	pushw	rt_in_cs
	pushw	rt_in_ip
	movw	rt_in_ax, %ax
	movw	rt_in_bp, %bp
	pushal
	pushw	%gs
	pushw	%fs
	pushw	%es
	pushw	rt_in_ds
	movzwl	rt_in_fn, %ecx
	pushw	%ds
	popw	%es
	cld
	movzwl	%sp, %eax
	calll	*%ecx
rt_exit:
	movw	%sp, %bp
	lesw	F_LINK(%bp), %di
	subw	$6, %di
	movw	F_IP(%bp), %ax
	movw	%ax, %es:0(%di)
	movw	F_CS(%bp), %ax
	movw	%ax, %es:2(%di)
	movw	F_FLAGS(%bp), %ax
	movw	%ax, %es:4(%di)
	movw	%di, F_LINK(%bp)
	popw	%ds
	popw	%es
	popw	%fs
	popw	%gs
	popal
	addl	$6, %esp
	lssw	(%esp), %sp
	iretw

/* One stub per vector: push the C handler, go to rt_enter. */
#define VEC(name, fn) .global rt_vec_##name; rt_vec_##name: pushw $fn; jmp rt_enter
VEC(02, handle_02)
VEC(05, handle_05)
VEC(08, handle_08)
VEC(09, handle_09)
VEC(0e, handle_0e)
VEC(10, handle_10)
VEC(11, handle_11)
VEC(12, handle_12)
VEC(13, handle_13)
VEC(14, handle_14)
VEC(15, handle_15)
VEC(16, handle_16)
VEC(17, handle_17)
VEC(18, handle_18)
VEC(19, handle_19)
VEC(1a, handle_1a)
VEC(40, handle_40)
VEC(70, handle_70)

/* Far-called entries (PMM, PnP BIOS): the stub makes the stack look like
 * an INT frame that returns to a RETF, so the handler gets the same frame
 * and finds the caller's arguments at caller_ss:caller_sp + 4. */
#define FARVEC(name, fn) .global rt_far_##name; rt_far_##name: pushfw; \
	pushw $RTSEG; pushw $rt_far_ret; pushw $fn; jmp rt_enter
FARVEC(pmm, handle_pmm)
FARVEC(pnp, handle_pnp)
rt_far_ret:
	lretw

/* Unclaimed hardware IRQs: acknowledge and return, without a frame. */
	.global rt_vec_hw_master, rt_vec_hw_slave
rt_vec_hw_slave:
	pushw	%ax
	movb	$0x20, %al
	outb	%al, $0xA0
	jmp	1f
rt_vec_hw_master:
	pushw	%ax
1:	movb	$0x20, %al
	outb	%al, $0x20
	popw	%ax
	iretw

/* rt_jump_boot(seg:off in eax, drive in edx): leave the runtime for good and
 * start a boot program the way a PC BIOS does: CS:IP = target, DL = drive,
 * DS = ES = SS = 0, SP just below 7C00h, interrupts on. */
	.global rt_jump_boot
rt_jump_boot:
	cli
	xorw	%cx, %cx
	movw	%cx, %ss
	movl	$0x7C00, %esp
	pushl	%eax			/* far target: off (low), seg (high) */
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %fs
	movw	%cx, %gs
	xorl	%ebx, %ebx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	movl	$0xAA55, %eax
	movzbl	%dl, %edx
	xorl	%ecx, %ecx
	sti
	lretw

/* rt_jump_bev(seg:off in eax, $PnP offset in edx): start a bootstrap
 * entry vector the way ROMs expect: on a stack in segment 0 (QEMU's loader
 * ROMs take SS = 0 for granted), ES:DI at the $PnP structure, interrupts
 * on. The runtime stack is left for good: interrupts taken while the BEV
 * runs use it from its top. A BEV that returns comes back to
 * rt_bev_returned, which enters the runtime like an interrupt (on a fresh
 * runtime stack) and lets handle_bev_return() go on with the next boot
 * entry. */
	.global rt_jump_bev
rt_jump_bev:
	cli
	xorw	%cx, %cx
	movw	%cx, %ss
	movl	$CALL16_STACK_TOP, %esp
	pushw	$RTSEG
	pushw	$rt_bev_returned
	pushl	%eax
	movw	%dx, %di
	movw	$0xF000, %ax
	movw	%ax, %es
	movw	%cx, %ds
	movw	%cx, %fs
	movw	%cx, %gs
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%ebp, %ebp
	sti
	lretw
rt_bev_returned:
	pushfw
	pushw	%cs
	pushw	$1f
	pushw	$handle_bev_return
	jmp	rt_enter
1:	pause				/* not reached: the handler boots on */
	jmp	1b

/* rt_call_far(seg:off in eax, struct bregs *in edx): far-call real-mode
 * code (a boot entry vector) with the frame's registers; results land back
 * in the frame. */
	.global rt_call_far
rt_call_far:
	pushal
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	pushw	%dx
	pushw	%cs
	pushw	$3f
	pushl	%eax
	jmp	rt_call_common

/* rt_call_int(vector in al, struct bregs *in edx): run an interrupt as if the
 * runtime executed INT n, with the registers and segments of the frame, and
 * store what it returns back into the frame. Used for hooks (INT 1Ch, 15h
 * 4Fh) and for disks owned by option ROMs. rt_call_vec(seg:off in eax,
 * struct bregs *in edx) does the same for a handler at seg:off (the VGA
 * BIOS's INT 10h behind the serial console). */
	.global rt_call_int, rt_call_vec
rt_call_int:
	pushw	%fs
	movzbl	%al, %eax
	shlw	$2, %ax
	xorw	%cx, %cx
	movw	%cx, %fs
	movl	%fs:(%eax), %eax	/* vector: off, seg */
	popw	%fs
rt_call_vec:
	pushal
	pushw	%ds
	pushw	%es
	pushw	%fs
	pushw	%gs
	movl	%eax, %ebx
	pushw	%dx			/* frame pointer, for afterwards */
	movw	%dx, %bp
	movw	F_FLAGS(%bp), %ax	/* IRET frame for the handler: the */
	pushw	%ax			/* frame's flags, as INT would push */
	pushw	%cs
	pushw	$3f
	pushl	%ebx			/* handler: off, seg */
	andw	$~0x0300, %ax		/* entered with IF and TF clear */
	pushw	%ax
	popfw
rt_call_common:
	movw	%dx, %bp
	movl	F_EDI(%bp), %edi
	movl	F_EDI+4(%bp), %esi
	movl	F_EDI+16(%bp), %ebx
	movl	F_EDI+20(%bp), %edx
	movl	F_EDI+24(%bp), %ecx
	movl	F_EDI+28(%bp), %eax
	movw	F_ES(%bp), %es
	movw	F_FS(%bp), %fs
	movw	F_GS(%bp), %gs
	pushw	F_DS(%bp)
	movl	F_EDI+8(%bp), %ebp
	popw	%ds
	lretw				/* IF is off on the way in, as for INT */
3:	pushw	%bp
	movw	%sp, %bp
	pushw	%ds
	pushw	%ax
	movw	$RTSEG, %ax
	movw	%ax, %ds
	movw	2(%bp), %bp		/* the frame pointer pushed earlier */
	popw	%ax
	movl	%eax, F_EDI+28(%bp)
	popw	F_DS(%bp)
	movl	%ecx, F_EDI+24(%bp)
	movl	%edx, F_EDI+20(%bp)
	movl	%ebx, F_EDI+16(%bp)
	movl	%esi, F_EDI+4(%bp)
	movl	%edi, F_EDI(%bp)
	movw	%es, F_ES(%bp)
	movw	%fs, F_FS(%bp)
	movw	%gs, F_GS(%bp)
	pushfw
	popw	F_FLAGS(%bp)
	popw	%ax			/* caller's bp (low half) */
	movw	%ax, F_EDI+8(%bp)
	addw	$2, %sp			/* drop frame pointer */
	popw	%gs
	popw	%fs
	popw	%es
	popw	%ds
	popal
	retl

/* rt_block_move(gdt segment in ax, gdt offset in dx, word count in cx):
 * INT 15h 87h. Fills the caller's GDT slots the BIOS owns (08h alias, 20h
 * code, 28h stack), copies in 16-bit protected mode with interrupts off,
 * and comes back with 64 KiB limits in every data segment. */
	.section .bss.rt_bm, "aw", @nobits
rt_bm_gdtr:	.skip 6
	.section .text.rt_entry, "ax"
	.global rt_block_move
rt_block_move:
	pushal
	pushw	%ds
	pushw	%es
	pushfw
	cli
	movzwl	%cx, %ecx
	movw	%ax, %es
	movw	%dx, %bx
	movzwl	%ax, %eax
	shll	$4, %eax
	movzwl	%dx, %edx
	addl	%edx, %eax			/* linear address of the GDT */
	movw	$47, %es:8(%bx)
	movl	%eax, %es:10(%bx)		/* base 0-23 (+ byte 13 below) */
	movb	$0x93, %es:13(%bx)
	movb	$0, %es:14(%bx)
	roll	$8, %eax
	movb	%al, %es:15(%bx)		/* base 24-31 */
	rorl	$8, %eax
	movw	$0xFFFF, %es:0x20(%bx)		/* 20h: our code */
	movl	$(RTSEG * 16), %es:0x22(%bx)
	movb	$0x9B, %es:0x25(%bx)
	movw	$0, %es:0x26(%bx)
	movw	$0xFFFF, %es:0x28(%bx)		/* 28h: our stack */
	movl	$(RTSEG * 16), %es:0x2A(%bx)
	movb	$0x93, %es:0x2D(%bx)
	movw	$0, %es:0x2E(%bx)
	movw	$47, rt_bm_gdtr
	movl	%eax, rt_bm_gdtr + 2
	lgdtl	rt_bm_gdtr
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	ljmp	$0x20, $1f
1:	movw	$0x28, %ax
	movw	%ax, %ss
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	$0x18, %ax
	movw	%ax, %es
	xorl	%esi, %esi
	xorl	%edi, %edi
	cld
	rep	movsw
	movw	$0x28, %ax			/* 64 KiB limits before real mode */
	movw	%ax, %ds
	movw	%ax, %es
	movl	%cr0, %eax
	andb	$0xFE, %al
	movl	%eax, %cr0
	ljmp	$RTSEG, $2f
2:	movw	$RTSEG, %ax
	movw	%ax, %ss
	popfw
	popw	%es
	popw	%ds
	popal
	retl

/* int flat_enter(void): give GS base 0 and a 4 GiB limit for the drivers
 * that reach MMIO and high memory from real mode (src/lib/flat.h). The
 * caller's GDTR is put back; GS's value is restored by rt_exit, and a real
 * mode segment load keeps the big limit. Returns 0, or -1 (nothing done)
 * in virtual-8086 or protected mode. */
	.section .bss.rt_flat, "aw", @nobits
rt_flat_save:	.skip 6
	.section .text.rt_entry, "ax"
	.p2align 3
rt_flat_gdt:
	.quad	0
	.quad	0x00CF93000000FFFF		/* 08h: data, base 0, 4 GiB, accessed */
rt_flat_gdtr:
	.word	15
	.long	rt_flat_gdt + RTSEG * 16
	.global flat_enter
flat_enter:
	smsw	%ax
	testb	$1, %al
	jnz	1f
	pushfl
	cli
	sgdtl	rt_flat_save
	lgdtl	%cs:rt_flat_gdtr
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	movw	$0x08, %ax
	movw	%ax, %gs
	movl	%cr0, %eax
	andb	$0xFE, %al
	movl	%eax, %cr0
	xorw	%ax, %ax
	movw	%ax, %gs
	lgdtl	rt_flat_save
	popfl
	xorl	%eax, %eax
	retl
1:	movl	$-1, %eax
	retl

/* Wake-up from S3: memory is intact. Clear the status so that a plain
 * reset never comes this way, find POST's data in the RW zone (QEMU reset
 * the PAM registers to ROM: map the shadow RAM back first) and let the
 * runtime jump to the OS. Anything missing: a normal POST. Until the PAM
 * registers are set this code runs from the ROM copy of the F-segment. */
	.global rt_resume_check
rt_resume_check:
	movb	$0x8F, %al
	outb	%al, $0x70
	xorb	%al, %al
	outb	%al, $0x71
	movw	$RTSEG, %ax
	movw	%ax, %ds
	cmpl	$RESUME_MAGIC, RT_DATA_OFF
	je	rt_resume_entry
	movl	$0x80000000, %eax	/* host bridge 00:00.0 an i440FX? */
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movw	$0xCFC, %dx
	inl	%dx, %eax
	cmpl	$0x12378086, %eax
	jne	1f
	movl	$0x80000058, %eax	/* PAM0-2 (59h-5Bh): RAM read/write */
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movl	$0x33333300, %eax
	movw	$0xCFC, %dx
	inb	%dx, %al		/* keep register 58h */
	outl	%eax, %dx
	movl	$0x8000005C, %eax	/* PAM3-6 (5Ch-5Fh) */
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movl	$0x33333333, %eax
	movw	$0xCFC, %dx
	outl	%eax, %dx
	cmpl	$RESUME_MAGIC, RT_DATA_OFF
	jne	1f
	jmp	rt_resume_entry
1:	ljmp	$0xF000, $fx_reset_post

/* S3 resume: the reset code comes here once RTSEG holds POST's data again.
 * rt_resume() jumps to the OS and returns only when it cannot. */
	.global rt_resume_entry
rt_resume_entry:
	movw	$RTSEG, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$RT_STACK_TOP, %esp
	calll	rt_resume
	ljmp	$0xF000, $fx_reset_post

/* rt_wake(vector in eax): real-mode jump to the ACPI waking vector
 * (segment = vector >> 4, offset = vector & 0Fh), interrupts off. */
	.section .bss.rt_wake, "aw", @nobits
rt_wake_ptr:	.skip 4
	.section .text.rt_entry, "ax"
	.global rt_wake
rt_wake:
	cli
	movl	%eax, %edx
	shrl	$4, %edx
	andw	$0x0F, %ax
	movw	%ax, rt_wake_ptr
	movw	%dx, rt_wake_ptr + 2
	ljmpw	*rt_wake_ptr

	.section .note.GNU-stack, "", @progbits
