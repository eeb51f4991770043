/*
 * v86hostile.S: a boot sector that misuses the real boot path (V86BootTest). The byte at offset
 * 1FDh, which the test writes into the image, picks what it does after the common checks:
 *
 *   0  nothing more: power off with status 0
 *   1  LIDT with limit 0, then INT 20h: no vector in the IVT (a triple fault on a real CPU)
 *   2  MOV CR0 with PE = 1 not followed by a far JMP
 *   3  the far JMP into protected mode beyond its 16-bit code segment's 64 KiB
 *   4  back to real mode with a data segment whose base is no paragraph ("unreal mode")
 *
 * 1-4 must end the VM with a message (status 3), never the hypervisor. The common checks: POPF
 * cannot raise IOPL or set VM in v86 mode, and the disk service refuses sectors beyond the disk
 * and buffers beyond the VM's memory with an error status instead of writing anywhere.
 */
#include "libkern/boot16.h"

        .code16
        .section .text
        .globl _start
_start:
        BOOT16_ENTER
        cld

        /* POPF with IOPL 3 and VM: PUSHF shows IOPL 3 (real mode may set it) and no VM (POPF
         * never sets it); in the VM the real IOPL stays 0, so CLI, STI, INT n still trap */
        pushl   $0x00023202
        popfl
        pushfl
        popl    %eax
        shrl    $12, %eax
        andw    $0x23, %ax
        movw    $s_iopl, %si
        call    puts
        call    hex16
        call    crlf

        /* INT 13h AH=42h: a sector beyond the disk, then a flat buffer beyond the VM's memory */
        movl    $0x100000, dap + 8
        movw    $dap, %si
        movb    $0x42, %ah
        movb    $0x80, %dl
        int     $0x13
        call    show_status
        movl    $0, dap + 8
        movw    $1, dap + 2                     /* the call wrote back 0 sectors done */
        movw    $0xFFFF, dap + 4
        movw    $0xFFFF, dap + 6
        movw    $dap, %si
        movb    $0x42, %ah
        movb    $0x80, %dl
        int     $0x13
        call    show_status

        movzbw  scenario, %ax
        movw    $s_scen, %si
        call    puts
        call    hex16
        call    crlf
        cmpb    $1, scenario
        je      no_vector
        cmpb    $2, scenario
        je      no_jump
        cmpb    $3, scenario
        je      far_beyond
        cmpb    $4, scenario
        je      unreal
        movw    $0xF4, %dx
        xorw    %ax, %ax
        outb    %al, %dx
        jmp     .

no_vector:
        lidt    idt0
        int     $0x20
        jmp     .

no_jump:
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        nop
        jmp     .

far_beyond:
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   $0x18, $0x12345
        jmp     .

unreal:
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmp    $0x18, $pm16
pm16:   movw    $0x28, %ax                      /* a data segment based at 12345h */
        movw    %ax, %ds
        movl    %cr0, %eax
        andl    $0xFFFFFFFE, %eax
        movl    %eax, %cr0
        jmp     .

/* "v86h: int13 42 cf/status=" CF, status */
show_status:
        pushf
        pushw   %ax
        movw    $s_42, %si
        call    puts
        popw    %ax
        movb    %ah, %al
        xorb    %ah, %ah
        popf
        adcb    $0, %ah                         /* AH = CF, AL = the status */
        call    hex16
        jmp     crlf

/* putc, puts (keeps AX), crlf, hex16 on COM1 */
        BOOT16_CONSOLE

s_iopl: .asciz  "v86h: iopl/vm after popf="
s_42:   .asciz  "v86h: int13 42 cf/status="
s_scen: .asciz  "v86h: scenario "

        .balign 8
gdt:    .quad   0
        .quad   0x00CF9A000000FFFF              /* 08h: code32 */
        .quad   0x00CF92000000FFFF              /* 10h: data32 */
        .quad   0x00009A000000FFFF              /* 18h: code16 */
        .quad   0x000092000000FFFF              /* 20h: data16 */
        .quad   0x000092012345FFFF              /* 28h: data16 based at 12345h */
gdt_end:
gdt_desc:
        .word   gdt_end - gdt - 1
        .long   gdt
idt0:   .word   0
        .long   0

        .balign 4
dap:    .byte   0x18, 0
        .word   1
        .word   0x9000, 0
        .long   0, 0
        .long   0x7F000000, 0                   /* the flat buffer: far beyond the VM's memory */

        .org    0x1FD
scenario:
        .byte   0
        .org    510
        .word   0xAA55
