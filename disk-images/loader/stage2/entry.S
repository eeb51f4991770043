/*
 * entry.S: jx86 stage 2 entry (real mode), the GDT, and the BIOS thunk.
 *
 * Stage 1 jumps here (0000:8000) with DL = boot drive. We enable A20 (INT 15h AX=2401h, then the
 * port 92h "fast A20" bit), switch to 32-bit protected mode with flat segments and call the C
 * part. The C part calls the firmware through bios_thunk(), which drops to real mode, issues the
 * software interrupt described by bios_regs and comes back (the usual "thunk" of PC boot loaders:
 * Intel SDM Vol. 3, 9.9 "Mode switching"). Paging stays off throughout.
 *
 * GDT selectors: 08h code32, 10h data32 (both base 0, limit 4 GiB), 18h code16 and 20h data16
 * (base 0, limit 64 KiB: the real-mode-compatible limits loaded before clearing CR0.PE).
 */
#include "libkern/boot16.h"

        .set SEL_CODE32, 0x08
        .set SEL_DATA32, 0x10
        .set SEL_CODE16, 0x18
        .set SEL_DATA16, 0x20
        .set STACK_TOP, 0x7C00

        .section .entry, "ax"
        .code16
        .globl _start
_start:
        BOOT16_ENTER STACK_TOP
        movb    %dl, boot_drive

        movw    $0x2401, %ax            /* A20 on through the firmware (may be unsupported) */
        int     $0x15
        inb     $0x92, %al              /* and through the fast A20 gate; bit 0 would reset */
        orb     $0x02, %al
        andb    $0xFE, %al
        outb    %al, $0x92

        cli
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   $SEL_CODE32, $pm_entry

        .code32
pm_entry:
        movw    $SEL_DATA32, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        movl    $STACK_TOP, %esp
        cld
        movl    $_bss_start, %edi       /* .bss lives outside the loaded image: clear it */
        movl    $_bss_end, %ecx
        subl    %edi, %ecx
        xorl    %eax, %eax
        rep stosb
        call    stage2_main
2:      cli
        hlt
        jmp     2b

/*
 * void bios_thunk(uint32_t vector): issues INT vector in real mode with the registers in
 * bios_regs and stores the resulting registers and EFLAGS back there. Everything it touches
 * (this code, bios_regs, the stack) lies below 64 KiB, so real-mode segment 0 reaches it.
 * The interrupt is simulated with PUSHF + far CALL through the IVT entry, so no self-modifying
 * INT imm8 is needed.
 */
        .globl bios_thunk
bios_thunk:
        pushl   %ebp
        pushl   %ebx
        pushl   %esi
        pushl   %edi
        movl    20(%esp), %eax
        movl    (,%eax,4), %eax         /* IVT entry: offset in low word, segment in high */
        movl    %eax, rm_vector
        movl    %esp, saved_esp
        ljmp    $SEL_CODE16, $pm16

        .code16
pm16:
        movw    $SEL_DATA16, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        movl    %cr0, %eax
        andl    $0xFFFFFFFE, %eax
        movl    %eax, %cr0
        ljmp    $0, $rm
rm:
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        lidtl   rm_idt_desc
        movl    bios_regs+4, %ebx
        movl    bios_regs+8, %ecx
        movl    bios_regs+12, %edx
        movl    bios_regs+16, %esi
        movl    bios_regs+20, %edi
        movl    bios_regs+24, %ebp
        movw    bios_regs+30, %es
        movl    bios_regs+0, %eax
        movw    bios_regs+28, %ds
        sti
        pushfw
        lcallw  *%cs:rm_vector
        cli
        movl    %eax, %cs:bios_regs+0
        movl    %ebx, %cs:bios_regs+4
        movl    %ecx, %cs:bios_regs+8
        movl    %edx, %cs:bios_regs+12
        movl    %esi, %cs:bios_regs+16
        movl    %edi, %cs:bios_regs+20
        movl    %ebp, %cs:bios_regs+24
        movw    %ds, %cs:bios_regs+28
        movw    %es, %cs:bios_regs+30
        pushfl
        popl    %cs:bios_regs+32
        xorw    %ax, %ax
        movw    %ax, %ds
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   $SEL_CODE32, $pm_back

        .code32
pm_back:
        movw    $SEL_DATA32, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        movl    saved_esp, %esp
        cld
        popl    %edi
        popl    %esi
        popl    %ebx
        popl    %ebp
        ret

/*
 * void enter_kernel(uint32_t entry, uint32_t mbi): the Multiboot v1 hand-off (spec 3.2):
 * EAX = 2BADB002h, EBX = info, flat 4 GiB CS/DS/ES/FS/GS/SS, PE=1, PG=0, IF=0.
 */
        .globl enter_kernel
enter_kernel:
        cli
        movl    4(%esp), %ecx
        movl    8(%esp), %ebx
        movl    $0x2BADB002, %eax
        jmp     *%ecx

        .section .data
        .balign 8
gdt:
        .quad   0
        .quad   0x00CF9A000000FFFF      /* 08h: code32, base 0, limit 4 GiB */
        .quad   0x00CF92000000FFFF      /* 10h: data32 */
        .quad   0x00009A000000FFFF      /* 18h: code16, limit 64 KiB */
        .quad   0x000092000000FFFF      /* 20h: data16 */
gdt_end:
        .balign 4
        .word   0
gdt_desc:
        .word   gdt_end - gdt - 1
        .long   gdt
        .word   0
rm_idt_desc:
        .word   0x3FF
        .long   0

        .balign 4
        .globl bios_regs
bios_regs:
        .fill   36, 1, 0                /* struct bios_regs (loader.h) */
rm_vector:
        .long   0
saved_esp:
        .long   0
        .globl boot_drive
boot_drive:
        .byte   0

        .section .note.GNU-stack, "", @progbits
