/* trapasm.S: the 256 entry stubs of the real IDT, the common entry that saves the guest's (or,
 * while the hypervisor waits in HLT, its own) registers as a struct frame, and the way back. */
#include "layout.h"

/* Vectors for which the CPU pushes an error code: 8, 10-14, 17. */
        .macro stub n
        .globl vec\n
vec\n:
        .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17)
        .else
        pushl   $0
        .endif
        pushl   $\n
        jmp     alltraps
        .endm

        .text
        .altmacro
        .set i, 0
        .rept 256
        stub %i
        .set i, i + 1
        .endr

        .macro vecaddr n
        .long vec\n
        .endm
        .section .rodata
        .globl vectors
vectors:
        .set i, 0
        .rept 256
        vecaddr %i
        .set i, i + 1
        .endr
        .noaltmacro

        .text
alltraps:
        pushl   %ds
        pushl   %es
        pushl   %fs
        pushl   %gs
        pushal
        movw    $HDATA_SEL, %ax
        movw    %ax, %ds
        movw    %ax, %es
        xorl    %eax, %eax
        movw    %ax, %fs
        movw    %ax, %gs
        pushl   %esp                       /* vmm_trap(struct frame *f) */
        call    vmm_trap
        addl    $4, %esp
        .globl trapret
trapret:
        popal
        popl    %gs
        popl    %fs
        popl    %es
        popl    %ds
        addl    $8, %esp                   /* vector and error code */
        iret

/* enter_guest(struct frame *f): the first entry into a VM, from a frame built in C. */
        .globl enter_guest
enter_guest:
        movl    4(%esp), %esp
        jmp     trapret

        .section .note.GNU-stack, "", @progbits
