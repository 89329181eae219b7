/* The protected-mode side of the PCI BIOS: the BIOS32 Service Directory
 * entry and the 32-bit PCI BIOS interface ("$PCI").
 *
 * The code is 32-bit, but it lives in the F-segment with the runtime (this
 * file is linked with the 16-bit runtime, hence its name), so that a caller
 * can find it below 1 MiB. Callers run it where it suits them: the BIOS32
 * model uses a code segment based at F0000h, Linux calls it through its
 * flat kernel CS at PAGE_OFFSET + the physical address. So nothing here
 * depends on the CS or DS base: no absolute addresses are dereferenced;
 * the code finds its own place from EIP and reads the F-segment through CS
 * relative to that. Data segments are only used as the caller passes them
 * (ES:EDI and the buffer selector of B10Eh).
 *
 * Registers and results follow INT 1Ah AH=B1h (src/rt/pcibios.c has the
 * 16-bit twin of each function): CF and AH give the status, every register
 * that is not an output is preserved, and so are the flags other than CF.
 * Interrupts are left as the caller has them. Stack use is below 64 bytes. */
#include "layout.h"
#include "std/pcibios.h"
#include "std/pirtable.h"
#include "rt/pcibios.h"

/* Links are offsets in RTSEG; this is where a label is in physical memory. */
#define PHYS(x) ((x) + RT_ZONE)
/* The same place as an offset in segment F000: published as fx_ symbols,
 * which POST sees at their linear addresses (scripts/rtsyms.py). */
#define FX(x) ((x) - RT_CODE_OFF)

	.section .text.pcibios32, "ax"
	.code32

/* Filled in by POST (src/post/pcibios.c); see rt/pcibios.h. */
	.balign	4
	.global	pcibios_info, fx_pcibios_info
pcibios_info:
	.fill	PCIBIOS_INFO_SIZE, 1, 0
	.set	fx_pcibios_info, FX(pcibios_info)

/* ---- BIOS32 Service Directory --------------------------------------- *
 * In: EAX = service name, BL = 0. Out: AL = 00h and EBX/ECX/EDX = base,
 * length and entry offset of the service, or AL = 80h/81h. Far return. */
	.balign	16
	.global	fx_bios32_entry
	.set	fx_bios32_entry, FX(bios32_entry)
bios32_entry:
	testb	%bl, %bl
	jnz	1f
	cmpl	$BIOS32_SERVICE_PCI, %eax
	jne	2f
	movl	$0xF0000, %ebx
	movl	$0x10000, %ecx
	movl	$(PHYS(pci32_entry) - 0xF0000), %edx
	movb	$BIOS32_FOUND, %al
	lret
1:	movb	$BIOS32_BAD_FUNCTION, %al
	lret
2:	movb	$BIOS32_UNKNOWN_SERVICE, %al
	lret

/* ---- 32-bit PCI BIOS ------------------------------------------------- */

/* The caller's registers, saved at the entry by PUSHFL then PUSHAL.
 * Outputs are stored here; POPAL/POPFL hand them back. */
#define FR_EDI    0
#define FR_EBX   16
#define FR_EDX   20
#define FR_ECX   24
#define FR_EAX   28
#define FR_FLAGS 32

/* Where the caller sees physical address x through CS (base in %ebp). */
#define AT(x) %cs:(x)(%ebp)

	.global	pci32_entry, fx_pci32_entry
	.set	fx_pci32_entry, FX(pci32_entry)
pci32_entry:
	pushfl
	pushal
	cld
	call	1f
1:	popl	%ebp
	subl	$PHYS(1b), %ebp		/* CS offset of physical address 0 */
	cmpb	$PCIBIOS_CALL, %ah
	jne	unsupported
	cmpb	$PCIBIOS_PRESENT, %al
	je	fn_present
	cmpb	$PCIBIOS_FIND_DEVICE, %al
	je	fn_find_device
	cmpb	$PCIBIOS_FIND_CLASS, %al
	je	fn_find_class
	cmpb	$PCIBIOS_READ_BYTE, %al
	jb	unsupported
	cmpb	$PCIBIOS_WRITE_DWORD, %al
	jbe	fn_config
	cmpb	$PCIBIOS_GET_ROUTING, %al
	je	fn_routing
	cmpb	$PCIBIOS_SET_IRQ, %al
	je	fn_set_irq
unsupported:
	movb	$PCIBIOS_FUNC_NOT_SUPPORTED, %cl
fail:					/* status in %cl */
	movb	%cl, FR_EAX+1(%esp)
	orb	$0x01, FR_FLAGS(%esp)
	jmp	out
ok:
	movb	$PCIBIOS_SUCCESSFUL, FR_EAX+1(%esp)
	andb	$0xFE, FR_FLAGS(%esp)
out:
	popal
	popfl
	lret

/* B101h: installation check. */
fn_present:
	movb	$PCIBIOS_HW_CONFIG1, FR_EAX(%esp)
	movw	$PCIBIOS_VERSION, FR_EBX(%esp)
	movb	AT(PHYS(pcibios_info) + PCIBIOS_INFO_LAST_BUS), %al
	movb	%al, FR_ECX(%esp)
	movl	$PCIBIOS_SIGNATURE, FR_EDX(%esp)
	movl	$PHYS(pci32_entry), FR_EDI(%esp)
	jmp	ok

/* B102h/B103h: the SI-th function (from 0) with this vendor and device
 * ID, or with this class code; buses 0 to the last, devfn ascending. */
fn_find_device:
	cmpw	$0xFFFF, %dx
	je	bad_vendor
	shll	$16, %ecx
	movw	%dx, %cx		/* as config dword 00h reads */
	jmp	find
fn_find_class:
	andl	$0x00FFFFFF, %ecx	/* as config dword 08h reads, shifted right 8 */
find:
	movzwl	%si, %esi		/* matches still to pass over */
	movzbl	AT(PHYS(pcibios_info) + PCIBIOS_INFO_LAST_BUS), %edi
	shll	$8, %edi
	orl	$0xFF, %edi		/* the last bus/devfn to look at */
	xorl	%ebx, %ebx
find_loop:
	testb	$7, %bl
	jnz	1f
	movb	$0x0C, %al		/* function 0: header type is bits 23-16 */
	call	cfg_read32
	movl	%eax, %ebp		/* bit 23: multi-function device */
1:	movb	$0x00, %al
	call	cfg_read32
	cmpw	$0xFFFF, %ax
	je	find_absent
	cmpb	$PCIBIOS_FIND_DEVICE, FR_EAX(%esp)
	je	2f
	movb	$0x08, %al
	call	cfg_read32
	shrl	$8, %eax
2:	cmpl	%ecx, %eax
	jne	find_next
	subl	$1, %esi
	jc	find_found
find_next:
	testb	$7, %bl
	jnz	find_step
	btl	$23, %ebp
	jc	find_step
find_skip_device:
	orb	$7, %bl
find_step:
	cmpl	%edi, %ebx
	jae	find_none
	incl	%ebx
	jmp	find_loop
find_absent:
	testb	$7, %bl
	jz	find_skip_device
	jmp	find_step
find_found:
	movw	%bx, FR_EBX(%esp)
	jmp	ok
find_none:
	movb	$PCIBIOS_DEVICE_NOT_FOUND, %cl
	jmp	fail
bad_vendor:
	movb	$PCIBIOS_BAD_VENDOR_ID, %cl
	jmp	fail

/* B108h-B10Dh: configuration reads and writes of BX's register DI. */
fn_config:
	movzbl	%al, %esi
	subl	$PCIBIOS_READ_BYTE, %esi	/* 0-2: read 1/2/4 bytes, 3-5: write */
	movl	%esi, %ecx
	cmpb	$3, %cl
	jb	1f
	subb	$3, %cl			/* log2 of the access size */
1:	movl	$1, %eax
	shll	%cl, %eax
	decl	%eax			/* the register must be aligned to it */
	testw	%ax, %di
	jnz	bad_register
	cmpw	$0xFF, %di
	ja	bad_register
	movl	%edi, %eax
	call	cfg_select
	movl	FR_ECX(%esp), %eax	/* the value, for writes */
	cmpl	$1, %esi
	jb	rd8
	je	rd16
	cmpl	$3, %esi
	jb	rd32
	je	wr8
	cmpl	$4, %esi
	je	wr16
	outl	%eax, %dx
	jmp	ok
wr16:	outw	%ax, %dx
	jmp	ok
wr8:	outb	%al, %dx
	jmp	ok
rd8:	inb	%dx, %al
	movb	%al, FR_ECX(%esp)
	jmp	ok
rd16:	inw	%dx, %ax
	movw	%ax, FR_ECX(%esp)
	jmp	ok
rd32:	inl	%dx, %eax
	movl	%eax, FR_ECX(%esp)
	jmp	ok
bad_register:
	movb	$PCIBIOS_BAD_REGISTER, %cl
	jmp	fail

/* B10Eh: copy the $PIR slot entries to the caller's buffer. ES:EDI points
 * at the request: WORD size, DWORD offset, WORD selector of the buffer. */
fn_routing:
	movl	AT(PHYS(pcibios_info) + PCIBIOS_INFO_PIR), %esi
	testl	%esi, %esi
	jz	unsupported
	addl	%ebp, %esi		/* the table, through CS */
	movzwl	%cs:PIR_SIZE(%esi), %ecx
	subl	$PIR_SLOTS, %ecx
	movw	%es:(%edi), %ax		/* room in the buffer */
	movw	%cx, %es:(%edi)		/* what is (or would be) returned */
	cmpw	%cx, %ax
	jb	too_small
	movw	%cs:PIR_EXCLUSIVE(%esi), %ax
	movw	%ax, FR_EBX(%esp)
	addl	$PIR_SLOTS, %esi
	movl	%es:2(%edi), %eax
	movw	%es:6(%edi), %dx
	pushl	%es
	movw	%dx, %es
	movl	%eax, %edi
	rep movsb %cs:(%esi), %es:(%edi)
	popl	%es
	jmp	ok
too_small:
	movb	$PCIBIOS_BUFFER_TOO_SMALL, %cl
	jmp	fail

/* B10Fh: route pin CL (0Ah = INTA#) of device BX to IRQ CH: program the
 * PIIX link the $PIR names for that pin and make the IRQ level-triggered.
 * Devices' interrupt line registers are the caller's business. */
fn_set_irq:
	movl	AT(PHYS(pcibios_info) + PCIBIOS_INFO_PIR), %esi
	testl	%esi, %esi
	jz	unsupported
	addl	%ebp, %esi
	subb	$PCIBIOS_PIN_INTA, %cl
	cmpb	$3, %cl
	ja	set_failed
	cmpb	$15, %ch
	ja	set_failed
	leal	PIR_SLOTS(%esi), %edi
	movzwl	%cs:PIR_SIZE(%esi), %ebp
	addl	%esi, %ebp		/* end of the table */
	andb	$0xF8, %bl
1:	cmpl	%ebp, %edi
	jae	set_failed
	movb	%cs:PIR_SLOT_BUS(%edi), %ah
	movb	%cs:PIR_SLOT_DEVFN(%edi), %al
	andb	$0xF8, %al
	cmpw	%bx, %ax
	je	2f
	addl	$PIR_SLOT_SIZE, %edi
	jmp	1b
2:	movzbl	%cl, %eax
	leal	PIR_SLOT_PINS(%edi,%eax,2), %edi
	addl	%eax, %edi		/* this pin's link and bitmap */
	movzbl	%ch, %ecx		/* the IRQ */
	movzwl	%cs:1(%edi), %eax
	btl	%ecx, %eax
	jnc	set_failed
	movb	%cs:(%edi), %al
	subb	$PIIX_PIRQ_FIRST, %al
	cmpb	$PIIX_PIRQ_LAST - PIIX_PIRQ_FIRST, %al
	ja	set_failed
	movb	%cs:PIR_ROUTER_BUS(%esi), %bh
	movb	%cs:PIR_ROUTER_DEVFN(%esi), %bl
	movb	%cs:(%edi), %al
	call	cfg_select
	movb	%cl, %al
	outb	%al, %dx
	movw	$PORT_ELCR, %dx
	cmpb	$8, %cl
	jb	3f
	incl	%edx
	subb	$8, %cl
3:	inb	%dx, %al
	btsl	%ecx, %eax
	outb	%al, %dx
	jmp	ok
set_failed:
	movb	$PCIBIOS_SET_FAILED, %cl
	jmp	fail

/* Select register %al of bus/devfn %bx at CF8h (mechanism #1);
 * returns the data port for it in %dx. Clobbers %eax. */
cfg_select:
	movzbl	%al, %edx
	movzwl	%bx, %eax
	shll	$8, %eax
	orl	%edx, %eax
	orl	$0x80000000, %eax
	andb	$0xFC, %al
	andb	$3, %dl
	pushl	%edx
	movw	$0xCF8, %dx
	outl	%eax, %dx
	popl	%edx
	addw	$0xCFC, %dx
	ret

/* Dword register %al of bus/devfn %bx, into %eax. Clobbers %edx. */
cfg_read32:
	call	cfg_select
	inl	%dx, %eax
	ret

	.section .note.GNU-stack, "", @progbits
