/* swtch.S: kernel context switch: void swtch(struct context **old, struct context *new).
 * Saves the callee-saved registers on the current stack, stores that stack pointer in *old,
 * switches to new's stack and pops its registers; the final ret resumes new's saved EIP.
 * The instructions are libkern's SWTCH, shared with kernel-microkernel. */
#include "libkern/trapasm.h"

        .text
        .globl swtch
swtch:
        SWTCH

        .section .note.GNU-stack, "", @progbits
