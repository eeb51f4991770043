/* entry.S: Multiboot v1 header; switch on paging with 4 MiB pages (the low 16 MiB at 0 and at
 * KERNBASE) and jump to the higher half. kmain replaces this directory with the full direct map. */
        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003            /* page-aligned modules, memory map */
        .set KERNBASE, 0xC0000000

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

        .globl _start
        _start = entry - KERNBASE            /* the loader jumps here with paging off */

        .text
        .globl entry
entry:
        movl    %cr4, %ecx
        orl     $0x10, %ecx                  /* CR4.PSE */
        movl    %ecx, %cr4
        movl    $(bootpgdir - KERNBASE), %ecx
        movl    %ecx, %cr3
        movl    %cr0, %ecx
        orl     $0x80010000, %ecx            /* PG | WP */
        movl    %ecx, %cr0
        movl    $high, %ecx                  /* an absolute jump: EIP moves to the high half */
        jmp     *%ecx
high:
        movl    $(bootstack + 8192), %esp
        xorl    %ebp, %ebp                   /* ends the backtrace */
        pushl   %ebx                         /* multiboot info (physical) */
        pushl   %eax                         /* magic */
        call    kmain
1:      cli
        hlt
        jmp     1b

        .bss
        .align 16
        .globl bootstack
bootstack:
        .skip 8192

        .data
        .align 4096
        .globl bootpgdir
bootpgdir:
        .long 0x00000083, 0x00400083, 0x00800083, 0x00C00083
        .fill (KERNBASE >> 22) - 4, 4, 0
        .long 0x00000083, 0x00400083, 0x00800083, 0x00C00083
        .fill 1024 - (KERNBASE >> 22) - 4, 4, 0

        .section .note.GNU-stack, "", @progbits
