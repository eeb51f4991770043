/* entry.S: the test guests' Multiboot header, entry, exception stubs and fault probes. The guests
 * are linked at 1 MiB and run identity-mapped: in ring 0 on bare jx86, in ring 1 in the VMM. */
#include "libkern/trapasm.h"

#include "libkern/multiboot.h"

        MULTIBOOT_HEADER

        .text
        .globl _start
_start:
        movl    $stack + 16384, %esp
        pushl   %ebx
        pushl   %eax
        call    gmain
        pushl   %eax
        call    gexit

/* exception stubs 0..31: the vector's error code (or 0), the vector, then the registers */
        .altmacro
        .set i, 0
        .rept 32
        TRAP_VECTOR %i, gvec, common
        .set i, i + 1
        .endr
        .macro addr n
        .long gvec\n
        .endm
        .section .rodata
        .globl gvectors
gvectors:
        .set i, 0
        .rept 32
        addr %i
        .set i, i + 1
        .endr
        .noaltmacro

        .text
common:
        pushal
        pushl   %esp
        call    gtrap
        addl    $4, %esp
        popal
        addl    $8, %esp
        iret

/* uint32_t probe_read(uint32_t va): the word at va, or 0xDEADBEEF if it faulted (gtrap resumes
 * at probe_fail when probe_recover is set). probe_write(va, v) likewise. */
        .globl probe_read, probe_write
probe_read:
        movl    4(%esp), %edx
        movl    $probe_fail, probe_recover
        movl    (%edx), %eax
        movl    $0, probe_recover
        ret
probe_write:
        movl    4(%esp), %edx
        movl    8(%esp), %eax
        movl    $probe_fail, probe_recover
        movl    %eax, (%edx)
        movl    $0, probe_recover
        ret
probe_fail:
        movl    $0, probe_recover
        movl    $0xDEADBEEF, %eax
        ret

        .bss
        .align 16
stack:  .skip 16384
        .section .note.GNU-stack, "", @progbits
