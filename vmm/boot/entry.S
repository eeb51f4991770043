/* entry.S: Multiboot v1 header and hypervisor entry: map host RAM at HYPBASE with 4 MiB pages,
 * turn on paging, jump to the top of the address space, call vmm_main. */
#include "layout.h"

        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003          /* page-aligned modules, memory map */

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

        .globl _start
        _start = entry - HYPBASE

        .text
entry:
        movl    %cr4, %ecx
        orl     $CR4_PSE, %ecx
        movl    %ecx, %cr4
        movl    $(bootpgdir - HYPBASE), %ecx
        movl    %ecx, %cr3
        movl    %cr0, %ecx
        orl     $(CR0_PG | CR0_WP), %ecx
        movl    %ecx, %cr0
        movl    $high, %ecx                /* indirect: a direct jump would stay low */
        jmp     *%ecx
high:
        movl    $(hypstack + HYPSTACK), %esp
        xorl    %ebp, %ebp
        pushl   %ebx
        pushl   %eax
        call    vmm_main
1:      cli
        hlt
        jmp     1b

        .bss
        .align 16
        .globl hypstack
hypstack:
        .skip HYPSTACK

/* Boot page directory: host physical [0, 4 MiB) at 0 (for the instructions right after CR0.PG)
 * and [0, HOSTMAX) at HYPBASE. vmm_main copies the high half into every shadow page directory. */
        .data
        .align 4096
        .globl bootpgdir
bootpgdir:
        .long 0x00000083
        .fill (HYPBASE >> 22) - 1, 4, 0
        .set pa, 0
        .rept (HOSTMAX >> 22)
        .long pa + 0x183                   /* P | W | PS | G */
        .set pa, pa + 0x400000
        .endr

        .section .note.GNU-stack, "", @progbits
