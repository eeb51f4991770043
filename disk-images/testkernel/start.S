/* start.S: Multiboot v1 header and entry of the loader's test kernel. */
#include "libkern/multiboot.h"

        MULTIBOOT_HEADER                   /* page-aligned modules, memory information */

        .section .bss
        .align 16
stack_bottom:
        .skip 8192
stack_top:

        .section .text
        .globl _start
_start:
        mov $stack_top, %esp
        push %ebx
        push %eax
        call kernel_main
1:      cli
        hlt
        jmp 1b

        .section .note.GNU-stack, "", @progbits
