/* trapasm.S: the interrupt vectors, the common trap entry/exit and the kernel context switch. */
        .set SEL_KDATA, 0x10

/* vectors that push an error code themselves: 8, 10-14, 17 */
.macro VEC n
        .globl vec\n
vec\n:
        .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
        .else
        pushl   $0
        .endif
        pushl   $\n
        jmp     alltraps
.endm

        .text
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
        VEC \n
        .endr
        .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        VEC \n
        .endr
        .irp n, 48,49,50,51,52,53,54,55,56,128
        VEC \n
        .endr

alltraps:
        pushl   %ds
        pushl   %es
        pushl   %fs
        pushl   %gs
        pushal                               /* lowest in memory: struct trapframe starts here */
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        pushl   %esp
        call    trap
        addl    $4, %esp
        .globl trapret
trapret:
        popal
        popl    %gs
        popl    %fs
        popl    %es
        popl    %ds
        addl    $8, %esp                     /* trapno, err */
        iret

/* swtch(struct context **old, struct context *new): save callee-saved registers on this stack,
 * store the stack pointer in *old, continue on new's stack. */
        .globl swtch
swtch:
        movl    4(%esp), %eax
        movl    8(%esp), %edx
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    %esp, (%eax)
        movl    %edx, %esp
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

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
