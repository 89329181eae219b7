/* Start of the POST blob. The reset code in the F-segment copies the blob
 * to POST_BASE and jumps to its first byte. */
#include "layout.h"
	.section .text.post_header, "ax"
	.code32
	.global post_start
post_start:
	jmp	1f
	.balign	4
	.long	post_image_end - POST_BASE	/* offset 4: bytes to copy */
	.long	POST_MAGIC			/* offset 8 */
1:	movl	$post_bss_start, %edi
	movl	$post_bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	cld
	rep	stosb
	movl	$POST_STACK_TOP, %esp
	call	post_main
2:	pause			/* never cli;hlt (Xen ends the domain) */
	jmp	2b

	.section .note.GNU-stack, "", @progbits
