/* start.S: multiboot v1 header and entry of the IDL loopback test guest: a stack, then
 * guest_main(); its return value goes to the exit port 0xF4. */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003
        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .section .bss
        .align 16
stack_bottom:
        .skip 32768
stack_top:

        .section .text
        .globl _start
_start:
        mov $stack_top, %esp
        call guest_main
        push %eax
        call guest_exit
1:      hlt
        jmp 1b

        .section .note.GNU-stack, "", @progbits
