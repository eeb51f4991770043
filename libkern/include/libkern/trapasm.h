/* trapasm.h: assembler macros for the trap entry/exit and the context switch that every kernel
 * here (kernel-monolithic, kernel-microkernel, vmm) builds the same way. Include it from a .S
 * file (built with -D__ASSEMBLER__); each macro expands to exactly the instructions the kernels
 * used to spell out themselves, so the code and its instruction counts are unchanged.
 *
 * The frame these macros build must match the kernel's C view of it (struct trapframe or
 * struct frame: edi first, then esi ... eax from PUSHAL, gs, fs, es, ds, trapno, err, and what
 * the CPU pushed); struct context for SWTCH is edi, esi, ebx, ebp, eip. */
#ifndef LIBKERN_TRAPASM_H
#define LIBKERN_TRAPASM_H
#ifdef __ASSEMBLER__

/* TRAP_VECTOR n: the entry stub of vector n, named vecN (or PREFIXn), which jumps to alltraps
 * (or TARGET). The CPU pushes an error code for 8, 10-14 and 17; for every other vector a 0
 * stands in for it, so that all frames have the same layout. */
        .macro TRAP_VECTOR n, prefix=vec, target=alltraps
        .globl \prefix\()\n
\prefix\()\n:
        .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17)
        .else
        pushl   $0
        .endif
        pushl   $\n
        jmp     \target
        .endm

/* TRAP_SAVE: after the stub's trapno and err, the data segments and the general registers;
 * the PUSHAL block is lowest in memory, where the C frame structure starts. */
        .macro TRAP_SAVE
        pushl   %ds
        pushl   %es
        pushl   %fs
        pushl   %gs
        pushal
        .endm

/* TRAP_RESTORE_IRET: the reverse of TRAP_SAVE, drop trapno and err, return from the trap. */
        .macro TRAP_RESTORE_IRET
        popal
        popl    %gs
        popl    %fs
        popl    %es
        popl    %ds
        addl    $8, %esp                   /* trapno and err */
        iret
        .endm

/* The callee-saved registers of the i386 C calling convention, in struct context's order. */
        .macro PUSH_CALLEE_SAVED
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        .endm

        .macro POP_CALLEE_SAVED
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        .endm

/* The context switch in two halves: SWTCH_SAVE pushes the callee-saved registers on the current
 * stack and stores that stack pointer where %eax points; SWTCH_RESUME continues on the stack in
 * %edx, pops its registers, and its ret resumes that context's saved EIP. The vmm's world switch
 * loads CR3 between the two halves. */
        .macro SWTCH_SAVE
        PUSH_CALLEE_SAVED
        movl    %esp, (%eax)
        .endm

        .macro SWTCH_RESUME
        movl    %edx, %esp
        POP_CALLEE_SAVED
        ret
        .endm

/* SWTCH: the whole of void swtch(struct context **old, struct context *new). */
        .macro SWTCH
        movl    4(%esp), %eax
        movl    8(%esp), %edx
        SWTCH_SAVE
        SWTCH_RESUME
        .endm

#endif /* __ASSEMBLER__ */
#endif /* LIBKERN_TRAPASM_H */
