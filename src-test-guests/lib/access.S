/* access.S: single memory accesses at a known EIP, for #PF tests (ring 0 or ring 3 callers).
 * access_addr holds the address; access_value the value written / last value read. */
        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN access_read
        mov access_addr, %ecx
FN access_read_insn
        mov (%ecx), %eax
        mov %eax, access_value
        ret

FN access_write
        mov access_addr, %ecx
        mov access_value, %eax
FN access_write_insn
        mov %eax, (%ecx)
        ret

FN access_exec
        mov access_addr, %ecx
FN access_exec_insn
        call *%ecx
        ret

        .data
        .globl access_addr, access_value
access_addr: .long 0
access_value: .long 0

        .section .note.GNU-stack, "", @progbits
