/*
 * A PCI Firmware 3.0 style ROM for the e1000 (8086:100Eh), matched through
 * the device list of a revision 3 PCI data structure (its primary device
 * ID is another one; -DDIRECT_ID makes the e1000 the primary ID, for
 * firmware that ignores device lists), 8 KiB at init and 1.5 KiB at run
 * time. During init
 * it checks what it was given and uses the POST Memory Manager:
 *
 *   AX           the bus/device/function of a device with its IDs
 *   ES:DI        a "$PnP" installation structure with a valid checksum
 *   $PMM         found on an F000h paragraph, checksum valid
 *   PMM calls    query, allocate (conventional, extended, aligned,
 *                permanent, with and without handles), find, deallocate,
 *                duplicate handles, bad flags, an unknown function; the
 *                blocks are written and read back, the extended one with
 *                32-bit addresses through ES = 0 (big real mode)
 *
 * then shrinks its size byte to the runtime part and fixes its checksum.
 * Its PnP header offers neither a BEV nor a BCV (firmware that runs
 * non-PnP ROMs later, as boot devices, still runs this one at init).
 *
 * Output: "TESTROM pci3 <check>=ok|bad ..." lines, then "shrunk size=NN"
 * and "done".
 */
#include "testrom.h"

#define RUNTIME_BLOCKS  3
#define IMAGE_BLOCKS    16
#define H1              0x4b4c5031
#define H2              0x4b4c5032
#define H3              0x4b4c5033
#define H4              0x4b4c5034
#define ANON            0xffffffff

#ifdef DIRECT_ID
#define PRIMARY_ID      0x100e
#else
#define PRIMARY_ID      0x10d3
#endif

        .text
        ROM_HEADER init, pcir, pnp
        .balign 4
pcir:   PCIR vendor=0x8086, device=PRIMARY_ID, rev=3, devlist=(devlist-pcir), class=0x020000, image_len=IMAGE_BLOCKS, max_runtime=RUNTIME_BLOCKS
devlist:
        .word   0x10d3, 0x100e, 0
        .balign 16
pnp:    PNP_HEADER product=product, type=0x020000
product: .asciz "Kelp test PCI 3.0 ROM, runtime part"

/* ---------------------------------------------------------------------
 * Everything below is needed only during init and is given back. */
        .org    RUNTIME_BLOCKS * 512

        .balign 4
pmm_entry:      .long   0
a1:             .long   0
a2:             .long   0
in_ax:          .word   0
in_bx:          .word   0
in_dx:          .word   0
in_es:          .word   0
in_di:          .word   0
old0d:          .long   0

/* pmm fn, args...: far-call the PMM entry, result in %eax (and DX:AX). */
        .macro PMM_CALL fn, nargs
        pushw   $\fn
        lcall   *%cs:pmm_entry
        addw    $2 + \nargs, %sp
        shll    $16, %edx
        movw    %ax, %dx
        movl    %edx, %eax
        .endm
        .macro PMM_ALLOC paras, handle, flags
        pushw   $\flags
        pushl   $\handle
        pushl   $\paras
        PMM_CALL 0, 10
        .endm
        .macro PMM_FIND handle
        pushl   $\handle
        PMM_CALL 1, 4
        .endm
        .macro PMM_FREE addr
        pushl   \addr
        PMM_CALL 2, 4
        .endm

/* Report one PMM check: "pmm.<name>=ok|bad val=<eax>" from the flags. */
        .macro REPORT name, cc
        TAG
        PRINT   "pmm.\name="
        OKBAD   \cc
        PRINT   " val="
        HEX32   %eax
        PRINT   "\n"
        .endm

init:
        pushal
        pushw   %ds
        pushw   %es
        pushw   %fs
        pushw   %gs
        cld
        movw    %ax, %cs:in_ax
        movw    %bx, %cs:in_bx
        movw    %dx, %cs:in_dx
        movw    %es, %cs:in_es
        movw    %di, %cs:in_di

        TAG
        PRINT   "ax="
        HEX16   %cs:in_ax
        PRINT   " bx="
        HEX16   %cs:in_bx
        PRINT   " dx="
        HEX16   %cs:in_dx
        movw    %cs:in_ax, %bx
        movw    $0xb10a, %ax
        xorw    %di, %di
        int     $0x1a
        PRINT   " id="
        HEX32   %ecx
        PRINT   " bdf="
        cmpl    $0x100e8086, %ecx
        OKBAD   e
        PRINT   "\n"

        TAG
        PRINT   "pnp="
        movw    %cs:in_es, %es
        movw    %cs:in_di, %di
        call    check_pnp
        OKBAD   nc
        PRINT   " at="
        HEX16   %es
        PRINT   ":"
        HEX16   %di
        PRINT   "\n"

        TAG
        PRINT   "pmm="
        call    find_pmm
        OKBAD   nc
        jnc     1f
        PRINT   "\n"
        jmp     shrink
1:      movl    %es:7(%di), %eax
        movl    %eax, %cs:pmm_entry
        PRINT   " at="
        HEX16   %es
        PRINT   ":"
        HEX16   %di
        PRINT   " entry="
        HEX32   %eax
        PRINT   "\n"

        /* the largest conventional block */
        PMM_ALLOC 0, ANON, 1
        testl   %eax, %eax
        REPORT  query, nz

        /* 4 KiB conventional, named; found by its handle; usable */
        PMM_ALLOC 0x100, H1, 1
        movl    %eax, %cs:a1
        testl   %eax, %eax
        jz      1f
        testb   $15, %al
        jnz     1f
        cmpl    $0xa0000 - 0x1000, %eax
        ja      1f
        cmpl    %eax, %eax
1:      REPORT  conv, e
        PMM_FIND H1
        cmpl    %cs:a1, %eax
        REPORT  find.conv, e
        movl    %cs:a1, %eax
        shrl    $4, %eax
        movw    %ax, %es
        xorw    %di, %di
        movw    $4096, %cx
1:      movw    %di, %ax
        xorb    $0x5a, %al
        stosb
        loop    1b
        xorw    %si, %si
        movw    $4096, %cx
1:      movw    %si, %ax
        xorb    $0x5a, %al
        cmpb    %es:(%si), %al
        jne     2f
        incw    %si
        loop    1b
        cmpw    %si, %si                /* all matched: ZF = 1 */
2:      movl    %cs:a1, %eax
        REPORT  conv.rw, e

        /* 64 KiB extended, named; written and read back with 32-bit
         * offsets from segment 0 */
        PMM_ALLOC 0x1000, H2, 2
        movl    %eax, %cs:a2
        cmpl    $0x100000, %eax
        REPORT  ext, ae
        PMM_FIND H2
        cmpl    %cs:a2, %eax
        REPORT  find.ext, e
        cmpl    $0x100000, %cs:a2
        jb      3f
        xorw    %ax, %ax                /* a fault would end the run */
        movw    %ax, %es
        cli
        movl    %es:0x0d * 4, %eax
        movl    %eax, %cs:old0d
        movw    $gp_fault, %es:0x0d * 4
        movw    %cs, %es:0x0d * 4 + 2
        movl    %cs:a2, %edi
        movl    $0x4000, %ecx
1:      movl    %edi, %eax
        xorl    $0xa5a5a5a5, %eax
        movl    %eax, %es:(%edi)
        addl    $4, %edi
        loop    1b
        movl    %cs:a2, %edi
        movl    $0x4000, %ecx
1:      movl    %edi, %eax
        xorl    $0xa5a5a5a5, %eax
        cmpl    %es:(%edi), %eax
        jne     2f
        addl    $4, %edi
        loop    1b
        cmpl    %edi, %edi              /* all matched: ZF = 1 */
2:      pushfw
        movl    %cs:old0d, %eax
        movl    %eax, %es:0x0d * 4
        popfw
        sti
        movl    %edi, %eax
        REPORT  ext.rw, e
3:
        /* a handle already in use */
        PMM_ALLOC 0x10, H1, 1
        testl   %eax, %eax
        REPORT  dup, z

        /* 4 KiB aligned to its size */
        PMM_ALLOC 0x100, ANON, 5
        testl   %eax, %eax
        jz      1f
        testw   $0xfff, %ax
1:      REPORT  align, z

        /* anonymous blocks cannot be found */
        PMM_FIND ANON
        testl   %eax, %eax
        REPORT  find.anon, z

        /* permanent conventional memory */
        PMM_ALLOC 0x10, H3, 9
        testl   %eax, %eax
        jz      1f
        cmpl    $0x100000, %eax
        jae     1f
        cmpl    %eax, %eax
1:      REPORT  perm, e

        /* no memory type */
        PMM_ALLOC 0x10, H4, 0
        testl   %eax, %eax
        REPORT  noflags, z

        /* an unknown function */
        PMM_CALL 7, 0
        cmpl    $0xffffffff, %eax
        REPORT  badfn, e

        /* give both named blocks back; they are gone afterwards */
        PMM_FREE %cs:a1
        testl   %eax, %eax
        REPORT  free.conv, z
        PMM_FIND H1
        testl   %eax, %eax
        REPORT  gone.conv, z
        PMM_FREE %cs:a2
        testl   %eax, %eax
        REPORT  free.ext, z
        PMM_FIND H2
        testl   %eax, %eax
        REPORT  gone.ext, z
        PMM_FREE $0x12345670
        testl   %eax, %eax
        REPORT  free.bogus, nz

shrink:
        movb    $RUNTIME_BLOCKS, %cs:2
        call    rom_fix_checksum
        TAG
        PRINT   "shrunk size="
        HEX8    %cs:2
        PRINT   "\n"
        TAG
        PRINT   "done\n"
        popw    %gs
        popw    %fs
        popw    %es
        popw    %ds
        popal
        lret

gp_fault:
        TAG
        PRINT   "fault=gp\n"
        EXIT    EXIT_FAIL

        DEBUG_ROUTINES
        STRUCT_ROUTINES
        CHECKSUM_ROUTINE
