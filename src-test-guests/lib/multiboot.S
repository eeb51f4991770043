/* Multiboot v1 header and entry for test guests: sets up a stack and calls guest_main(magic, info). */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003          /* page-align modules, want memory info */
        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

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
