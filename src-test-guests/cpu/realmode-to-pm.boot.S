/* realmode-to-pm.boot.S: a 512-byte boot sector started by the firmware in real mode at 0:7C00 with
 * DL = boot drive. It prints over the UART in real mode, enables A20 through port 0x92 (fast A20),
 * loads a GDT, sets CR0.PE, far-jumps into 32-bit code, prints again and exits through port 0xF4.
 * Output: one "ok <check>" / "FAIL <check>" line per check, then "done". */
        .set COM1, 0x3f8

#include "libkern/boot16.h"

        .code16
        .text
        .globl _start
_start:
        BOOT16_ENTER            /* some BIOSes jump to 07C0:0000; make CS:IP = 0000:7Cxx */
        mov %dl, boot_drive

        /* 16550: 115200 8N1, FIFOs on, no interrupts */
        mov $COM1+1, %dx; xor %al, %al; out %al, %dx
        BOOT16_UART_INIT
        mov $COM1+2, %dx; mov $0xc7, %al; out %al, %dx

        mov $m_real, %si
        call puts16

        mov $m_dl, %si
        cmpb $0x80, boot_drive
        call result16

        /* fast A20 (PS/2 system control port A): set bit 1, never bit 0 (that would reset) */
        in $0x92, %al
        or $2, %al
        and $0xfe, %al
        out %al, $0x92
        /* 0000:0600 and FFFF:0610 are the same byte when A20 is masked */
        movw $0x1234, 0x600
        mov $0xffff, %ax
        mov %ax, %es
        movw $0x5678, %es:0x610
        xor %ax, %ax
        mov %ax, %es
        mov $m_a20, %si
        cmpw $0x1234, 0x600
        call result16

        lgdt gdtr
        mov %cr0, %eax
        or $1, %eax
        mov %eax, %cr0
        ljmp $0x08, $pm32

/* Prints the NUL-terminated string at DS:SI. */
        BOOT16_PUTS puts16

/* ZF set = pass: prints "ok " or "FAIL " then the check name at SI. */
result16:
        push %si
        mov $m_ok, %si
        je 1f
        mov $m_fail, %si
        incb failed
1:      call puts16
        pop %si
        jmp puts16

        .code32
pm32:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        mov %ax, %fs
        mov %ax, %gs
        mov $0x7c00, %esp

        mov $m_pm, %esi
        mov %cr0, %eax
        test $1, %al
        setz %bl
        mov %cs, %eax
        cmp $0x08, %eax
        setne %bh
        or %bh, %bl             /* ZF = (bl == 0) = PE set and CS = 8 */
        call result32

        /* 32-bit addressing above 1 MiB: 0x100600 no longer aliases 0x600 */
        movl $0xcafebabe, 0x100600
        movl $0x11111111, 0x600
        mov $m_high, %esi
        cmpl $0xcafebabe, 0x100600
        call result32

        mov $m_done, %esi
        call puts32
        movzbl failed, %eax
        test %eax, %eax
        setnz %al
        out %eax, $0xf4
1:      hlt
        jmp 1b

        BOOT16_PUTS puts32                /* the same loop, assembled as 32-bit code */

result32:
        push %esi
        mov $m_ok, %esi
        je 1f
        mov $m_fail, %esi
        incb failed
1:      call puts32
        pop %esi
        jmp puts32

        .align 8
gdt:
        .quad 0
        .quad 0x00cf9a000000ffff        /* 0x08: flat 32-bit code, ring 0 */
        .quad 0x00cf92000000ffff        /* 0x10: flat data, ring 0 */
gdtr:
        .word gdtr - gdt - 1
        .long gdt

boot_drive: .byte 0
failed: .byte 0
m_real: .asciz "ok real-mode-serial\r\n"
m_ok:   .asciz "ok "
m_fail: .asciz "FAIL "
m_dl:   .asciz "boot-drive-dl\r\n"
m_a20:  .asciz "a20-enabled\r\n"
m_pm:   .asciz "protected-mode\r\n"
m_high: .asciz "above-1mib\r\n"
m_done: .asciz "done\r\n"

        .org 510
        .byte 0x55, 0xaa
