/* start.S: Multiboot v1 header and entry of the loader's test kernel. */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003          /* page-aligned modules, memory information */
        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

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
