/* entry.S: Multiboot v1 header and kernel entry: turn on paging with 4 MiB pages, jump to the higher half. */
#include "mmu.h"

        .set MB_MAGIC, 0x1BADB002
        .set MB_FLAGS, 0x00000003          /* bit 0: page-align modules; bit 1: give us the memory map */

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

/* The boot loader jumps here with paging off, so the ELF entry point must be a physical
 * address; everything else is linked at KERNBASE + physical. */
        .globl _start
        _start = V2P_WO(entry)

        .text
        .globl entry
entry:
        /* EAX = multiboot magic and EBX = info pointer must survive until kmain. */
        movl    %cr4, %ecx
        orl     $CR4_PSE, %ecx
        movl    %ecx, %cr4
        movl    $V2P_WO(entrypgdir), %ecx
        movl    %ecx, %cr3
        movl    %cr0, %ecx
        orl     $(CR0_PG | CR0_WP), %ecx
        movl    %ecx, %cr0
        /* Still running at the low (identity-mapped) address: an indirect jump moves EIP to the
         * high half (a direct jump is PC-relative and would stay low). */
        movl    $high, %ecx
        jmp     *%ecx
high:
        movl    $(bootstack + KSTACKSIZE_BOOT), %esp
        xorl    %ebp, %ebp                 /* ends the backtrace's EBP chain */
        pushl   %ebx
        pushl   %eax
        call    kmain
1:      cli
        hlt
        jmp     1b

        .set KSTACKSIZE_BOOT, 16384
        .bss
        .align 16
        .globl bootstack
bootstack:
        .skip KSTACKSIZE_BOOT

/* The boot page directory: the first 16 MiB twice, at 0 (so the instructions right after
 * setting CR0.PG still fetch) and at KERNBASE. kvminit() replaces it with the full direct map. */
        .data
        .align PGSIZE
        .globl entrypgdir
entrypgdir:
        .long 0x00000083, 0x00400083, 0x00800083, 0x00C00083   /* P | W | PS */
        .fill (KERNBASE >> PDXSHIFT) - 4, 4, 0
        .long 0x00000083, 0x00400083, 0x00800083, 0x00C00083
        .fill NPDENTRIES - (KERNBASE >> PDXSHIFT) - 4, 4, 0

        .section .note.GNU-stack, "", @progbits
