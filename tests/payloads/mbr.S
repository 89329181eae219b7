/*
 * Boot sector of the probe disk (out/test/probe.img).
 *
 * Loads PROBE_SECTORS sectors starting at LBA 1 to 0800:0000 (linear 8000h)
 * one sector at a time with INT 13h AH=02h, converting each LBA to CHS with
 * the geometry reported by INT 13h AH=08h, then enters the probe at
 * 0000:8000 with DS = ES = SS = 0, SP = 7C00h and DL = boot drive.
 *
 * Only the code lives here; mkimage.py adds the disk signature, the
 * partition table and the 55AAh signature.  The code must stay below 1B8h.
 *
 * On a read error it prints a line to the debug console (port 402h) and
 * writes 01h to the isa-debug-exit port, so the test ends at once instead
 * of timing out.
 */
	.code16
	.set	PROBE_SECTORS, 64	/* 32 KiB */
	.set	PROBE_SEG, 0x0800
	.set	DEBUG_PORT, 0x402
	.set	EXIT_PORT, 0xf4

	.section .text
	.globl	_start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	ljmp	$0, $1f
1:	sti
	cld
	movb	%dl, drive

	/* Geometry: keep the defaults (16 heads, 63 sectors) if 08h fails. */
	movb	$0x08, %ah
	xorw	%di, %di
	int	$0x13
	jc	2f
	andw	$0x3f, %cx
	jz	2f
	movw	%cx, spt
	movzbw	%dh, %ax
	incw	%ax
	movw	%ax, heads
2:	xorw	%ax, %ax
	movw	%ax, %es

	movw	$1, %si			/* LBA of the next sector */
	movw	$PROBE_SEG, %bp		/* destination segment */
next_sector:
	movb	$3, tries
retry:
	movw	%si, %ax
	xorw	%dx, %dx
	divw	spt			/* ax = track, dx = sector - 1 */
	movw	%dx, %cx
	incw	%cx			/* cl = sector (1-based, < 64) */
	xorw	%dx, %dx
	divw	heads			/* ax = cylinder, dx = head */
	movb	%dl, %dh
	movb	%al, %ch
	shlb	$6, %ah
	orb	%ah, %cl
	movb	drive, %dl
	movw	%bp, %es
	xorw	%bx, %bx
	movw	$0x0201, %ax
	int	$0x13
	jnc	read_ok
	decb	tries
	jz	fail
	xorb	%ah, %ah		/* reset, then try again */
	movb	drive, %dl
	int	$0x13
	jmp	retry
read_ok:
	addw	$0x20, %bp
	incw	%si
	cmpw	$PROBE_SECTORS + 1, %si
	jb	next_sector

	xorw	%ax, %ax
	movw	%ax, %es
	movb	drive, %dl
	ljmp	$0, $(PROBE_SEG << 4)

fail:
	movw	$msg, %si
	movw	$DEBUG_PORT, %dx
3:	lodsb
	testb	%al, %al
	jz	4f
	outb	%al, %dx
	jmp	3b
4:	movb	$0x01, %al
	outb	%al, $EXIT_PORT
5:	cli
	hlt
	jmp	5b

msg:	.asciz	"PROBE-MBR: disk read failed\n"
drive:	.byte	0x80
tries:	.byte	0
	.balign	2
spt:	.word	63
heads:	.word	16
