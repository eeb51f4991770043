/* crt0.S: program entry, and the system-call stubs that need EBP (Ipc, ExchangeRegisters). */
#include "libkern/trapasm.h"

/* REGS_LOAD: EAX, ECX, EDX, ESI, EDI, EBX, EBP from the uint32_t regs[7] at %edi, in that order
 * of slots; EDI, which holds the array's address, is loaded last. */
        .macro REGS_LOAD
        movl    0(%edi), %eax
        movl    4(%edi), %ecx
        movl    8(%edi), %edx
        movl    12(%edi), %esi
        movl    20(%edi), %ebx
        movl    24(%edi), %ebp
        movl    16(%edi), %edi
        .endm

/* REGS_STORE: the reverse, with the array's address on top of the stack (popped): the seven
 * registers go back into their slots. */
        .macro REGS_STORE
        xchgl   %edi, (%esp)
        movl    %eax, 0(%edi)
        movl    %ecx, 4(%edi)
        movl    %edx, 8(%edi)
        movl    %esi, 12(%edi)
        movl    %ebx, 20(%edi)
        movl    %ebp, 24(%edi)
        popl    %ecx
        movl    %ecx, 16(%edi)
        .endm

        .text
        .globl _start
_start:
        xorl    %ebp, %ebp
        call    main
        pushl   %eax
        call    exit
1:      jmp     1b

/* uint32_t l4_ipc_raw(to, from, timeouts, tag, uint32_t *sender): MR1 and MR2 travel in EBX and
 * EBP both ways; the reply's MR0-MR2 are stored back into the UTCB so L4_MR(i) sees them. */
        .globl l4_ipc_raw
l4_ipc_raw:
        PUSH_CALLEE_SAVED
        movl    20(%esp), %eax
        movl    24(%esp), %edx
        movl    28(%esp), %ecx
        movl    32(%esp), %esi
        movl    %gs:0, %edi
        movl    4(%edi), %ebx
        movl    8(%edi), %ebp
        int     $0x30
        movl    %gs:0, %edi
        movl    %esi, (%edi)
        movl    %ebx, 4(%edi)
        movl    %ebp, 8(%edi)
        movl    36(%esp), %ecx
        testl   %ecx, %ecx
        jz      1f
        movl    %eax, (%ecx)
1:      movl    %esi, %eax
        POP_CALLEE_SAVED
        ret

/* uint32_t l4_exregs_raw(uint32_t regs[7]): regs = {dest, control, sp, ip, flags, exc, pager}
 * in; the same slots receive EAX, ECX, EDX, ESI, EDI, EBX, EBP out; returns EAX. */
        .globl l4_exregs_raw
l4_exregs_raw:
        PUSH_CALLEE_SAVED
        movl    20(%esp), %edi
        pushl   %edi
        REGS_LOAD
        int     $0x32
        REGS_STORE
        POP_CALLEE_SAVED
        ret

        .section .note.GNU-stack, "", @progbits

/* uint32_t l4_raw_syscall(int n, uint32_t regs[7]): int $(0x30 + n) with EAX, ECX, EDX, ESI,
 * EDI, EBX, EBP from regs (in that order), and the registers afterwards stored back. For the
 * fuzzer: no wrapper logic in between. */
        .text
        .globl l4_raw_syscall
l4_raw_syscall:
        PUSH_CALLEE_SAVED
        movl    20(%esp), %eax
        movl    raw_table(,%eax,4), %eax
        pushl   %eax                         /* the stub to run */
        movl    28(%esp), %edi
        pushl   %edi
        REGS_LOAD
        call    *4(%esp)
        REGS_STORE
        addl    $4, %esp
        POP_CALLEE_SAVED
        ret
        .irp n, 0x30,0x31,0x32,0x33,0x34,0x35,0x36,0x37,0x38
raw_int\n:
        int     $\n
        ret
        .endr
        .data
raw_table:
        .irp n, 0x30,0x31,0x32,0x33,0x34,0x35,0x36,0x37,0x38
        .long raw_int\n
        .endr
        .section .note.GNU-stack, "", @progbits
