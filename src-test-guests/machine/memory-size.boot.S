/* memory-size.boot.S: a boot sector that prints what the firmware says about the RAM, as a real-mode
 * OS loader asks it: every INT 15h AX=E820h entry ("e820 BASE LENGTH TYPE", 64-bit hex base and
 * length), INT 15h AX=E801h (AX BX CX DX), INT 15h AH=88h, INT 12h, and the CMOS memory-size bytes
 * 15h-18h, 30h-31h and 34h-35h. The JUnit test compares the lines with the configured RAM size.
 * All output goes straight to the UART; the run ends through the exit port with 0. */
        .set COM1, 0x3f8
        .set SMAP, 0x534d4150

#include "libkern/boot16.h"

        .code16
        .text
        .globl _start
_start:
        BOOT16_ENTER
        sti

        BOOT16_UART_INIT

        /* E820: EBX is the continuation value, 0 before the first call and after the last entry */
        xor %ebx, %ebx
e820:   mov $0xe820, %eax
        mov $SMAP, %edx
        mov $24, %ecx
        mov $entry, %di
        int $0x15
        jc e820_end
        cmp $SMAP, %eax
        jne e820_end
        mov $m_e820, %si
        call puts
        mov entry + 4, %eax; call hex32
        mov entry + 0, %eax; call hex32
        call space
        mov entry + 12, %eax; call hex32
        mov entry + 8, %eax; call hex32
        call space
        mov entry + 16, %eax; call hex32
        call newline
        test %ebx, %ebx
        jnz e820
e820_end:

        mov $m_e801, %si        /* labels first: puts changes AL */
        call puts
        mov $0xe801, %ax
        int $0x15
        push %dx; push %cx; push %bx
        call hex16; call space
        pop %ax; call hex16; call space
        pop %ax; call hex16; call space
        pop %ax; call hex16
        call newline

        mov $m_88, %si
        call puts
        mov $0x88, %ah
        int $0x15
        call hex16
        call newline

        mov $m_12, %si
        call puts
        int $0x12
        call hex16
        call newline

        mov $m_cmos, %si
        call puts
        mov $cmos_regs, %si
2:      lodsb
        test %al, %al
        jz 3f
        out %al, $0x70
        in $0x71, %al
        call hex8
        jmp 2b
3:      call newline

        xor %eax, %eax
        out %eax, $0xf4
        cli
4:      hlt
        jmp 4b

space:  mov $' ', %al
        jmp putc
newline:
        mov $'\n', %al
        jmp putc

/* hex32: EAX as 8 digits; hex16: AX as 4; hex8: AL as 2 (all keep every register but flags) */
hex32:  push %cx
        mov $8, %cx
        jmp hexn
hex16:  push %cx
        shl $16, %eax
        mov $4, %cx
        jmp hexn
hex8:   push %cx
        shl $24, %eax
        mov $2, %cx
hexn:   rol $4, %eax
        push %ax
        and $0xf, %al
        add $'0', %al
        cmp $'9', %al
        jbe 1f
        add $'a' - '9' - 1, %al
1:      call putc
        pop %ax
        loop hexn
        pop %cx
        ret

/* puts: the NUL-terminated string at SI (changes SI and AL); putc: AL (polled, keeps every register) */
puts:   lodsb
        test %al, %al
        jz 1f
        call putc
        jmp puts
1:      ret

putc:
        BOOT16_PUTC

m_e820: .asciz "e820 "
m_e801: .asciz "e801 "
m_88:   .asciz "int15-88 "
m_12:   .asciz "int12 "
m_cmos: .asciz "cmos 15-18,30-31,34-35 "
cmos_regs:
        .byte 0x15, 0x16, 0x17, 0x18, 0x30, 0x31, 0x34, 0x35, 0

        .balign 4
entry:  .space 24

        .org 510
        .word 0xaa55
