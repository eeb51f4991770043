/* Multiboot v1 header and entry for test guests: sets up a stack and calls guest_main(magic, info). */
#include "libkern/multiboot.h"

        MULTIBOOT_HEADER                   /* page-align modules, want memory info */

        .section .bss
        .align 16
stack_bottom:
        .skip 16384
stack_top:

        .section .text
        .globl _start
_start:
        mov $stack_top, %esp
        push %ebx                          /* multiboot info pointer */
        push %eax                          /* magic: 0x2BADB002 */
        call guest_main
        push %eax
        call guest_exit                    /* never returns */
1:      hlt
        jmp 1b

        .section .note.GNU-stack, "", @progbits
