/*
 * higherhalf.S: a test kernel linked at 3 GiB + 1 MiB (virtual) but loaded at 1 MiB (physical),
 * with a virtual e_entry, like higher-half kernels. The loader must translate the entry point to
 * its physical address. The code is position-independent (no memory operands) because paging is
 * off: it checks EAX, prints one line on COM1 and writes 0 to the exit port.
 */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003
        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .macro putc ch
        movb    $\ch, %al
        call    putc_al
        .endm

        .section .text
        .globl _start
_start:
        mov     %eax, %ebx
        mov     $0x7000, %esp               /* free low memory: the loader is done with it */
        cmpl    $0x2BADB002, %ebx
        jne     1f
        putc 'h'; putc 'i'; putc 'g'; putc 'h'; putc 'e'; putc 'r'; putc '-'; putc 'h'; putc 'a'; putc 'l'; putc 'f'
        putc ':'; putc ' '; putc 'o'; putc 'k'; putc '\r'; putc '\n'
        jmp     2f
1:      putc 'b'; putc 'a'; putc 'd'; putc '\r'; putc '\n'
2:      movb    $0, %al
        outb    %al, $0xF4
3:      cli
        hlt
        jmp     3b

/* Writes AL to COM1 once the transmitter holding register is empty. */
putc_al:
        mov     %al, %ah
        mov     $0x3FD, %dx
4:      inb     %dx, %al
        testb   $0x20, %al
        jz      4b
        mov     %ah, %al
        mov     $0x3F8, %dx
        outb    %al, %dx
        ret

        .section .note.GNU-stack, "", @progbits
