/*
 * Malformed option ROMs, one per build flag; a firmware must skip them
 * (or, for the PnP cases, ignore the bad parts). Their init code only
 * reports that it ran: "TESTROM <name> ran seg=SSSS".
 *
 *   (none)            a plain legacy ROM; romtool.py spoils its size byte
 *                     or checksum
 *   WITH_PCIR         with a PCI data structure; romtool.py sets its IDs
 *                     (or wrong ones) and may spoil the header;
 *                     CODE_TYPE=n sets its code type
 *   PCIR_OUTSIDE      PCIR offset FFF0h, beyond the image and the file
 *   PCIR_PAST_IMAGE   a valid PCIR in the file but after the image's
 *                     last byte (the image is 2 blocks)
 *   PNP_BADPTR        PnP header whose BEV, BCV, product name and next
 *                     header lie beyond the image
 *   PNP_LOOP          two PnP headers with valid BEVs, each naming the
 *                     other as next; the BEVs report and return:
 *                     "TESTROM pnp-loop bev=a" / "bev=b"
 *   HANG              init reports "hang", hooks INT 13h and INT 19h to
 *                     itself, takes 1 KiB of base memory, then spins with
 *                     interrupts on and never returns
 *   SCRIBBLE          init points INT 13h and INT 16h at handlers of
 *                     its own that fail every call without chaining, and
 *                     writes 20h into the BDA's disk count at 40:75h
 *   SCRIBBLE_CODE     init writes CCh over the first 256 bytes of the
 *                     F-segment and over F000:E05B (the reset entry)
 *   HANG_BCV          init returns; the PnP header's BCV reports "bcv",
 *                     hooks INT 13h and spins with interrupts on
 */
#include "testrom.h"

#ifndef CODE_TYPE
#define CODE_TYPE 0
#endif

        .text
#if defined(PCIR_OUTSIDE)
        ROM_HEADER init, 0xfff0, 0
#elif defined(WITH_PCIR) || defined(PCIR_PAST_IMAGE)
        ROM_HEADER init, pcir, 0
#elif defined(PNP_BADPTR) || defined(PNP_LOOP) || defined(HANG_BCV)
        ROM_HEADER init, 0, pnp_a
#else
        ROM_HEADER init
#endif

#if defined(PNP_BADPTR)
        .balign 16
pnp_a:  PNP_HEADER next=0x7d00, product=0x7000, manufacturer=0x7100, bcv=0x7e00, bev=0x7f00, type=0x020000
#elif defined(PNP_LOOP)
        .balign 16
pnp_a:  PNP_HEADER next=pnp_b, product=name_a, bev=bev_a, type=0x020000
pnp_b:  PNP_HEADER next=pnp_a, product=name_b, bev=bev_b, type=0x020000
name_a: .asciz  "Kelp test loop A"
name_b: .asciz  "Kelp test loop B"
bev_a:  TAG
        PRINT   "bev=a\n"
        lret
bev_b:  TAG
        PRINT   "bev=b\n"
        lret
#elif defined(HANG_BCV)
        .balign 16
pnp_a:  PNP_HEADER product=name_h, bcv=bcv_h, type=0x010000
name_h: .asciz  "Kelp test hanging BCV"
bcv_h:  TAG
        PRINT   "bcv\n"
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    $spin, 0x13 * 4
        movw    %cs, 0x13 * 4 + 2
        sti
spin:   jmp     spin
#endif

init:
#if defined(SCRIBBLE_CODE)
        TAG
        PRINT   "scribble-code\n"
        pushw   %es
        pushw   %di
        pushw   %cx
        movw    $0xF000, %ax
        movw    %ax, %es
        xorw    %di, %di
        movw    $256, %cx
        movb    $0xCC, %al
        cld
        rep     stosb
        movw    $0xE05B, %di
        movb    $16, %cl
        rep     stosb
        popw    %cx
        popw    %di
        popw    %es
        lret
#endif
#if defined(SCRIBBLE)
        TAG
        PRINT   "scribble\n"
        pushw   %ds
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    $no_service, 0x13 * 4
        movw    %cs, 0x13 * 4 + 2
        movw    $no_service, 0x16 * 4
        movw    %cs, 0x16 * 4 + 2
        movb    $0x20, 0x475
        popw    %ds
        lret
no_service:
        movb    $0x01, %ah
        pushw   %bp
        movw    %sp, %bp
        orb     $1, 6(%bp)              /* CF in the caller's flags */
        popw    %bp
        iret
#endif
#if defined(HANG)
        TAG
        PRINT   "hang\n"
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    $1f, 0x13 * 4
        movw    %cs, 0x13 * 4 + 2
        movw    $1f, 0x19 * 4
        movw    %cs, 0x19 * 4 + 2
        decw    0x413
        sti
1:      jmp     1b
#endif
        TAG
        PRINT   "ran seg="
        HEX16   %cs
        PRINT   "\n"
        lret

        DEBUG_ROUTINES

#if defined(WITH_PCIR)
        .balign 4
pcir:   PCIR class=0x020000, code_type=CODE_TYPE
#elif defined(PCIR_PAST_IMAGE)
        .org    0x400
pcir:   PCIR class=0x020000
#endif
