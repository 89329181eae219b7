/* xen-sim entry and exit.
 *
 * In: QEMU starts the CPU at 0xFFFFFFF0 (the top of this image) in real
 * mode with CS base 0xFFFF0000. The 16-bit code below turns on A20 and
 * protected mode and jumps to 32-bit code, which runs in place from the
 * ROM at the 4 GiB alias; data, bss and the stack live in RAM at 1 MiB
 * (where hvmloader itself is loaded), so C0000-FFFFF can become RAM later.
 *
 * S3 wake-up: QEMU's system_wakeup resets the machine, PAM registers
 * included, so the CPU comes here again, with CMOS 0Fh = FEh (QEMU's RTC
 * sets it on suspend) and memory as the sleeping OS left it. On Xen,
 * hvmloader does not run then: Xen resets the vCPU to F000:FFF0 in real
 * mode (hvm_s3_suspend) and the BIOS copy below 1 MiB, still RAM, takes
 * over. s3_wake reproduces that without a single write to RAM: it gives
 * back what Xen keeps and QEMU's reset took (C0000-FFFFF as RAM, the PM
 * block at 0xB000) and jumps with Xen's reset state of the vCPU.
 *
 * Out: xsim_handoff() leaves the CPU as hvmloader's exit path does:
 * trampoline bytes copied to physical address 0, 16-bit data segments with
 * base 0 and a 4 GiB limit, every general register and ESP zero, CR0 = 0,
 * data segments 0, IDTR base 0 limit 0x3FF, IF = DF = 0, then a far jump
 * to F000:FFF0. */
#include "xsim.h"

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
	movb	$CMOS_SHUTDOWN, %al	/* S3 wake-up? Only read: the BIOS */
	outb	%al, $0x70		/* must find FEh there as well */
	inb	$0x71, %al
	cmpb	$CMOS_S3_RESUME, %al
	je	s3_wake
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

/* Real mode, no stack (SS:SP is QEMU's reset 0:0) and no RAM access:
 * everything below 4 GiB belongs to the sleeping OS. */
s3_wake:
	movw	$(s3_msg - xsim_start16 + 0xFE00), %si
1:	movb	%cs:(%si), %al
	testb	%al, %al
	jz	2f
	outb	%al, $0xE9
	incw	%si
	jmp	1b
	/* i440FX PAM 59h-5Fh: C0000-FFFFF read/write to RAM again (58h kept) */
2:	movl	$PCI_CFG(HOST_DEVFN, 0x58), %eax
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movw	$0xCFC, %dx
	inb	%dx, %al
	andl	$0xFF, %eax
	orl	$0x33333000, %eax		/* 59h = 30h, 5Ah-5Bh = 33h */
	outl	%eax, %dx
	movl	$PCI_CFG(HOST_DEVFN, 0x5C), %eax
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movl	$0x33333333, %eax
	movw	$0xCFC, %dx
	outl	%eax, %dx
	/* PIIX4 PM: Xen's PM1a event block and PM timer stay at 0xB000
	 * across S3; QEMU's reset switched the block off. */
	movl	$PCI_CFG(PM_DEVFN, 0x40), %eax
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movl	$(PM_IO_BASE | 1), %eax
	movw	$0xCFC, %dx
	outl	%eax, %dx
	movl	$PCI_CFG(PM_DEVFN, 0x80), %eax
	movw	$0xCF8, %dx
	outl	%eax, %dx
	movb	$1, %al
	movw	$0xCFC, %dx
	outb	%al, %dx
	movl	$MARKER_VALUE, %eax	/* the last I/O write, as on the normal path */
	movw	$MARKER_PORT, %dx
	outl	%eax, %dx
	/* Xen's reset state of the vCPU (hvm_vcpu_reset_state): real mode,
	 * segments 0 with 64 KiB limits and GDTR/IDTR 0/FFFFh as QEMU's reset
	 * left them, CR0 = ET only (QEMU's reset sets CD and NW too),
	 * EFLAGS = 2, every general register 0. No stack for PUSHF/POPF:
	 * XOR has cleared OF, SAHF clears SF ZF AF PF CF, MOV keeps them. */
	movl	$0x10, %eax
	movl	%eax, %cr0
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%esp, %esp
	movb	$0x02, %ah
	sahf
	movl	$0, %eax
	ljmp	$0xF000, $0xFFF0
s3_msg:
	.ascii	"xen-sim: S3 wake-up (CMOS 0Fh = FEh): hvmloader does not run; "
	.asciz	"C0000-FFFFF RAM again, jumping to F000:FFF0\n"

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
