/* trapasm.S: the interrupt vectors, the common trap entry/exit and the kernel context switch. */
#include "libkern/trapasm.h"
        .set SEL_KDATA, 0x10
        .set SEL_UDATA, 0x23                 /* flat, DPL 3: the kernel can use it as it is */

        .text
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
        TRAP_VECTOR \n
        .endr
        .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        TRAP_VECTOR \n
        .endr
        .irp n, 48,49,50,51,52,53,54,55,56,128
        TRAP_VECTOR \n
        .endr

alltraps:
        TRAP_SAVE                            /* the PUSHAL block is where struct trapframe starts */
        /* A segment-register load is expensive (300 cycles in jx86's cost model, a descriptor
         * fetch on a real CPU). The user's flat data segment serves the kernel as well, so DS
         * and ES are only replaced when the user left something else in them. */
        movw    %ds, %ax
        cmpw    $SEL_UDATA, %ax
        je      1f
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
1:      movw    %es, %ax
        cmpw    $SEL_UDATA, %ax
        je      2f
        movw    $SEL_KDATA, %ax
        movw    %ax, %es
2:      pushl   %esp
        call    trap
        addl    $4, %esp
        .globl trapret
trapret:
        /* restore a segment register only when it differs from the saved selector; %gs is
         * reloaded by switch_context() when the UTCB segment's base changes */
        movl    32(%esp), %eax
        movw    %gs, %cx
        cmpw    %ax, %cx
        je      1f
        movw    %ax, %gs
1:      movl    36(%esp), %eax
        movw    %fs, %cx
        cmpw    %ax, %cx
        je      2f
        movw    %ax, %fs
2:      movl    40(%esp), %eax
        movw    %es, %cx
        cmpw    %ax, %cx
        je      3f
        movw    %ax, %es
3:      movl    44(%esp), %eax
        movw    %ds, %cx
        cmpw    %ax, %cx
        je      4f
        movw    %ax, %ds
4:      popal
        addl    $24, %esp                    /* gs, fs, es, ds, trapno, err */
        iret

/* swtch(struct context **old, struct context *new): save callee-saved registers on this stack,
 * store the stack pointer in *old, continue on new's stack. */
        .globl swtch
swtch:
        SWTCH

        .data
        .globl vectors
vectors:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
        .long vec\n
        .endr
        .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        .long vec\n
        .endr
        .irp n, 48,49,50,51,52,53,54,55,56,128
        .long vec\n
        .endr

        .section .note.GNU-stack, "", @progbits
