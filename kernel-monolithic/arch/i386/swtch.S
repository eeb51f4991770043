/* swtch.S: kernel context switch: void swtch(struct context **old, struct context *new).
 * Saves the callee-saved registers on the current stack, stores that stack pointer in *old,
 * switches to new's stack and pops its registers; the final ret resumes new's saved EIP. */
        .text
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

        .section .note.GNU-stack, "", @progbits
