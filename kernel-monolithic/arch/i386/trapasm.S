/* trapasm.S: the common interrupt entry (builds a struct trapframe, calls trap()) and the return path. */
#include "mmu.h"
#include "libkern/trapasm.h"

        .text
        .globl alltraps
alltraps:
        /* the vector stub has pushed err and trapno; save the rest of the user's state */
        TRAP_SAVE
        /* the CPU loaded CS and SS from the gate and the TSS, but not the data segments */
        movw    $KDATA_SEL, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        pushl   %esp                       /* trap(struct trapframe *tf) */
        call    trap
        addl    $4, %esp

        /* also the first return to user space of every new process (see forkret) */
        .globl trapret
trapret:
        TRAP_RESTORE_IRET

        .section .note.GNU-stack, "", @progbits
