/* The fixed area of the F-segment, F000:E000-F000:FFFF.
 *
 * Old software reaches the BIOS at IBM's fixed addresses, so every entry
 * point and table listed in bios-data.md sits here at its exact offset.
 * Entry points hop to the runtime in segment RTSEG; the gaps between them
 * hold the mode-switch code (reset to 32-bit POST, and POST's calls back
 * into real mode). Everything here runs with CS = F000. */
#include "layout.h"

#define AT(off) .org (off) - FIXED_OFF
#define LIN(x) (0xF0000 + (x))

	.section .fixed, "ax"
	.code16

/* ---- F000:E05B: power-on / reset ------------------------------------- */
	AT(0xE05B)
	.global fx_reset
fx_reset:
	cli
	cld
	movb	$0x8F, %al		/* CMOS index 0Fh with NMI disabled */
	outb	%al, $0x70
	inb	$0x71, %al
	movb	%al, %ah
	inb	$0x92, %al		/* A20 on through port 92h, never reset */
	orb	$0x02, %al
	andb	$0xFE, %al
	outb	%al, $0x92
	cmpb	$0xFE, %ah		/* shutdown status FEh: S3 resume */
	jne	fx_reset_post
	ljmp	$RTSEG, $rt_resume_check
	.global fx_reset_post
fx_reset_post:
	cli
	cld
	lidtl	%cs:idt_null
	lgdtl	%cs:gdt_desc
	movl	%cr0, %eax
	andl	$0x1FFAFFFF, %eax	/* caches on, no paging, no WP/AM */
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $LIN(reset32)

	.code32
reset32:
	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	/* The POST blob is pristine at the 4 GiB alias on QEMU (RAM below
	 * 1 MiB may hold the previous boot's shadow); under Xen only the
	 * copy hvmloader put at E0000 exists. Take the first that carries
	 * the blob's magic. */
	movl	$(0xFFFFFFFF - IMAGE_SIZE + 1), %esi
	cmpl	$POST_MAGIC, 8(%esi)
	je	1f
	movl	$POST_IMAGE, %esi
	cmpl	$POST_MAGIC, 8(%esi)
	jne	reset_fail
1:	movl	4(%esi), %ecx		/* blob length */
	movl	$POST_BASE, %edi
	rep	movsb
	movl	$POST_BASE, %eax
	jmp	*%eax
reset_fail:
	pause			/* no blob: nothing to run; never cli;hlt */
	jmp	reset_fail

	.code16
/* ---- POST -> real mode calls ---------------------------------------- *
 * fx_call16_32 is called (32-bit near call, linear address) by POST with
 * the mailbox at RTSEG:RT_C16_BOX filled in. It drops to real mode, runs
 * the target with the mailbox registers, stores the registers it returns
 * with, and comes back to 32-bit mode. */
	.code32
	.global fx_call16_32
fx_call16_32:
	pushal
	movl	%esp, RT_ZONE + RT_C16_BOX + C16_ESP32
	ljmp	$SEL_CODE16, $c16_pm16
	.code16
c16_pm16:
	/* Real mode with 4 GiB data limits ("big real"): option ROMs that
	 * use PMM memory above 1 MiB address it with 32-bit offsets. */
	movw	$SEL_DATA16_BIG, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	$SEL_DATA16, %ax
	movw	%ax, %ss
	movl	%cr0, %eax
	andl	$~1, %eax
	movl	%eax, %cr0
	ljmp	$0xF000, $c16_real
c16_real:
	lidtl	%cs:idt_real
	movw	$CALL16_STACK_SEG, %ax
	movw	%ax, %ss
	movl	$CALL16_STACK_TOP, %esp
	movw	$RTSEG, %ax
	movw	%ax, %ds
#define BOX(f) RT_C16_BOX + f
	cmpb	$0, BOX(C16_MODE)
	je	1f
	pushw	BOX(C16_FLAGS)		/* interrupt-style: IRET frame */
1:	pushw	$0xF000
	pushw	$c16_back
	pushw	BOX(C16_SEG)
	pushw	BOX(C16_OFF)
	movw	BOX(C16_FLAGS), %ax
	cmpb	$0, BOX(C16_MODE)
	je	2f
	andw	$~0x0300, %ax		/* an INT clears IF and TF */
2:	pushw	%ax
	movl	BOX(C16_EDI), %edi
	movl	BOX(C16_ESI), %esi
	movl	BOX(C16_EBP), %ebp
	movl	BOX(C16_EBX), %ebx
	movl	BOX(C16_EDX), %edx
	movl	BOX(C16_ECX), %ecx
	movl	BOX(C16_EAX), %eax
	movw	BOX(C16_ES), %es
	movw	BOX(C16_FS), %fs
	movw	BOX(C16_GS), %gs
	pushw	BOX(C16_DS)
	popw	%ds
	popfw
	lretw
/* The timer's watchdog sends a call that ran out of time here (with its
 * stack in any state): take the call16 stack again and return to POST. */
	.global fx_c16_abort
fx_c16_abort:
	cli
	xorw	%ax, %ax
	movw	%ax, %ss
	movl	$CALL16_STACK_TOP, %esp
	movw	$RTSEG, %ax
	movw	%ax, %ds
	movb	$1, BOX(C16_ABORTED)
c16_back:
	pushfw
	pushw	%ds
	pushw	%ax
	movw	$RTSEG, %ax
	movw	%ax, %ds
	popw	%ax
	movl	%eax, BOX(C16_EAX)
	popw	BOX(C16_DS)
	popw	BOX(C16_FLAGS)
	movl	%ecx, BOX(C16_ECX)
	movl	%edx, BOX(C16_EDX)
	movl	%ebx, BOX(C16_EBX)
	movl	%ebp, BOX(C16_EBP)
	movl	%esi, BOX(C16_ESI)
	movl	%edi, BOX(C16_EDI)
	movw	%es, BOX(C16_ES)
	movw	%fs, BOX(C16_FS)
	movw	%gs, BOX(C16_GS)
	cli
	cld
	lidtl	%cs:idt_null
	lgdtl	%cs:gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $LIN(c16_pm32)
	.code32
c16_pm32:
	movl	$SEL_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	RT_ZONE + RT_C16_BOX + C16_ESP32, %esp
	popal
	ret
	.code16

	.balign 8
gdt:
	.quad	0
	.quad	0x00CF9A000000FFFF	/* 08: code 32-bit flat */
	.quad	0x00CF92000000FFFF	/* 10: data 32-bit flat */
	.quad	0x00009A0F0000FFFF	/* 18: code 16-bit, base F0000 */
	.quad	0x000092000000FFFF	/* 20: data 16-bit, base 0 */
	.quad	0x008F92000000FFFF	/* 28: data, base 0, 4 GiB limit */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	LIN(gdt)
idt_null:
	.word	0
	.long	0
idt_real:
	.word	0x3FF
	.long	0

/* Far hops from the fixed entry points into the runtime segment. */
#define HOP(name) hop_##name: ljmp $RTSEG, $rt_vec_##name
HOP(02)
HOP(13)
HOP(19)
	.global fx_iret
/* ---- fixed entry points and tables ---------------------------------- */
	AT(0xE2C3)		/* NMI */
	jmp	hop_02
	AT(0xE3FE)		/* INT 13h hard disk */
	jmp	hop_13
	AT(0xE401)		/* fixed-disk parameter table (type 47 slot) */
	.fill	16, 1, 0
	AT(0xE6F2)		/* INT 19h */
	jmp	hop_19
	AT(0xE6F5)		/* INT 15h C0h system configuration table */
	.global fx_sysconf
fx_sysconf:
	.word	8		/* bytes that follow */
	.byte	0xFC		/* model: AT class */
	.byte	0x00		/* submodel */
	.byte	0x01		/* BIOS revision */
	.byte	0x74		/* slave PIC, RTC, INT 15h 4Fh from INT 09h, EBDA */
	.byte	0x40		/* INT 16h 09h supported */
	.byte	0, 0, 0
	AT(0xE729)		/* baud-rate divisors 110..9600 */
	.word	0x417, 0x300, 0x180, 0xC0, 0x60, 0x30, 0x18, 0x0C
	AT(0xE739)		/* INT 14h */
	jmp	hop_14
HOP(14)
HOP(16)
HOP(09)
HOP(40)
HOP(0e)
HOP(17)
	AT(0xE82E)		/* INT 16h */
	jmp	hop_16
	AT(0xE987)		/* INT 09h keyboard IRQ */
	jmp	hop_09
	AT(0xEC59)		/* INT 40h diskette */
	jmp	hop_40
	AT(0xEF57)		/* INT 0Eh diskette IRQ */
	jmp	hop_0e
	AT(0xEFC7)		/* diskette parameter table (1.44 MB) */
	.global fx_dpt
fx_dpt:
	.byte	0xAF, 0x02, 0x25, 0x02, 0x12, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08
	AT(0xEFD2)		/* INT 17h */
	jmp	hop_17
HOP(10)
HOP(12)
HOP(11)
HOP(15)
	AT(0xF045)		/* IBM's INT 10h 00h-0Fh area */
	iret
	AT(0xF065)		/* INT 10h */
	jmp	hop_10
	AT(0xF0A4)		/* video parameter table (INT 1Dh) */
	.fill	88, 1, 0
	AT(0xF841)		/* INT 12h */
	jmp	hop_12
	AT(0xF84D)		/* INT 11h */
	jmp	hop_11
	AT(0xF859)		/* INT 15h */
	jmp	hop_15
HOP(1a)
HOP(08)
HOP(05)
HOP(18)
HOP(70)
HOP(hw_master)
HOP(hw_slave)
/* PMM and PnP BIOS entry points (far-called; published in $PMM/$PnP). */
	.global fx_pmm_entry, fx_pnp_entry, fx_pnp_pm_entry
fx_pmm_entry:
	ljmp	$RTSEG, $rt_far_pmm
fx_pnp_entry:
	ljmp	$RTSEG, $rt_far_pnp
fx_pnp_pm_entry:			/* 16-bit protected mode: nothing offered */
	movw	$0x82, %ax
	lretw
	.global fx_font8
	AT(0xFA6E)		/* 8x8 font, characters 00h-7Fh (blank) */
fx_font8:
	.fill	1024, 1, 0
	AT(0xFE6E)		/* INT 1Ah */
	jmp	hop_1a
	AT(0xFEA5)		/* INT 08h timer IRQ */
	jmp	hop_08
	.global fx_hw_master, fx_hw_slave, fx_int18
fx_hw_master:
	jmp	hop_hw_master
fx_hw_slave:
	jmp	hop_hw_slave
fx_int18:
	jmp	hop_18
	.global fx_int70
fx_int70:
	jmp	hop_70
	AT(0xFF53)		/* dummy IRET */
fx_iret:
	iret
	AT(0xFF54)		/* INT 05h print screen */
	jmp	hop_05
	AT(0xFFF0)		/* reset vector */
	ljmp	$0xF000, $fx_reset
	AT(0xFFF5)
	.ascii	BIOS_DATE
	AT(0xFFFE)
	.byte	0xFC		/* model: AT */
	.byte	0		/* checksum, set by scripts/layout.py */

	.section .note.GNU-stack, "", @progbits
