/*
 * v86boot.S: a test boot sector for the hypervisor's real boot path (docs/vmm.md, "The boot path
 * in virtual-8086 mode"). It runs bare on jx86 (the jx86 BIOS) and as a VM booted from its disk
 * ("vm0=disk": the hypervisor's BIOS, in v86 mode) and prints one line per check on COM1, with
 * the values it got, so the Java test (V86BootTest) can compare them with what each should be.
 *
 * Disk layout (the test pads the image to 1 MiB = 2048 sectors): sector 0 this boot sector,
 * sectors 1-3 the rest of the code (read with INT 13h AH=42h), sector 4 a data pattern, sector 5
 * scratch for the write test. Every output byte goes out through IN/OUT on COM1 (in v86 mode
 * each is an exit); the checks cover INT 13h (41h, 42h, 43h, 48h, 08h, 02h, 03h), INT 15h (E820,
 * E801, 88h, 2401h/2402h), INT 10h (0Fh, 0Eh, 03h), INT 16h (01h, 00h), INT 1Ah (00h, 02h),
 * INT 12h, and the real-mode traps: INT n through the guest's own IVT and IRET, CLI/STI with
 * PUSHF/POPF (IF), IN/OUT, LGDT and the switch to protected mode and back.
 */
#include "libkern/boot16.h"

        .code16
        .section .text
        .globl _start
_start:
        BOOT16_ENTER
        sti
        cld
        movb    %dl, drive
        movw    $0x1234, %ax                    /* FS and GS: printed in part 2, so a snapshot */
        movw    %ax, %fs                        /* restored in between must have kept them */
        movw    $0x5678, %ax
        movw    %ax, %gs
        movw    $s_boot, %si
        call    puts
        movw    %dx, %ax
        call    hex16
        call    crlf

        /* INT 13h AH=41h: extensions present */
        movb    $0x41, %ah
        movw    $0x55AA, %bx
        movb    drive, %dl
        int     $0x13
        pushf
        movw    $s_41, %si
        call    puts
        movw    %bx, %ax
        call    hex16
        movw    $s_cx, %si
        call    puts
        movw    %cx, %ax
        call    hex16
        popf
        call    put_cf
        call    crlf

        /* INT 13h AH=42h: sectors 1-5 (the rest of the code, data, scratch) to 7E00 */
        movw    $dap, %si
        movb    $0x42, %ah
        movb    drive, %dl
        int     $0x13
        pushf
        movw    $s_42, %si
        call    puts
        popf
        call    put_cf
        call    crlf
        jmp     part2

/* ---- output: COM1, polled (each IN and OUT is a trap in v86 mode): putc, puts, crlf, hex16 ---- */
        BOOT16_CONSOLE

/* " cf=N" from the carry flag */
put_cf: pushw   %si
        movw    $s_cf, %si
        jmp     6f
put_zf: pushw   %si
        movw    $s_zf, %si
        jz      7f
        clc
        jmp     6f
7:      stc
6:      pushf
        call    puts
        popf
        movb    $'0', %al
        adcb    $0, %al
        call    putc
        popw    %si
        ret

s_boot: .asciz  "v86: boot sector at 0000:7c00, dx="
s_41:   .asciz  "v86: int13 41 bx="
s_cx:   .asciz  " cx="
s_cf:   .asciz  " cf="
s_zf:   .asciz  " zf="
s_42:   .asciz  "v86: int13 42 read sectors 1-5"

        .balign 4
dap:    .byte   0x10, 0
        .word   5
        .word   0x7E00, 0
        .long   1, 0
drive:  .byte   0

        .org    510
        .word   0xAA55

/* ======== sectors 1-3 ======== */
part2:
        movw    $s_data, %si
        call    puts
        movw    $0x8400, %si                    /* sector 4, read by AH=42h */
        call    put8
        call    crlf
        movw    $s_fsgs, %si
        call    puts
        movw    %fs, %ax
        call    hex16
        movb    $' ', %al
        call    putc
        movw    %gs, %ax
        call    hex16
        call    crlf

        /* INT 13h AH=48h: drive parameters */
        movw    $0x9000, %si
        movw    $26, (%si)
        movb    $0x48, %ah
        movb    drive, %dl
        int     $0x13
        pushf
        movw    $s_48, %si
        call    puts
        movw    0x9000 + 18, %ax
        call    hex16
        movw    0x9000 + 16, %ax
        call    hex16
        movw    $s_bps, %si
        call    puts
        movw    0x9000 + 24, %ax
        call    hex16
        popf
        call    put_cf
        call    crlf

        /* INT 13h AH=08h: CHS geometry */
        movb    $0x08, %ah
        movb    drive, %dl
        xorw    %di, %di
        int     $0x13
        pushf
        pushw   %dx
        pushw   %cx
        movw    $s_08, %si
        call    puts
        popw    %ax
        call    hex16
        movw    $s_dx, %si
        call    puts
        popw    %ax
        call    hex16
        popf
        call    put_cf
        call    crlf

        /* INT 13h AH=02h: CHS read of LBA 4 (C 0, H 0, S 5) to 9200 */
        movw    $0x0201, %ax
        movw    $0x0005, %cx
        movb    $0, %dh
        movb    drive, %dl
        movw    $0x9200, %bx
        int     $0x13
        pushf
        movw    $s_02, %si
        call    puts
        movw    $0x9200, %si
        call    put8
        popf
        call    put_cf
        call    crlf

        /* INT 13h AH=03h: write a line to LBA 5 (C 0, H 0, S 6), read it back with AH=42h */
        movl    written, %eax                   /* the sector to write: "written!" at 9800 */
        movl    %eax, 0x9800
        movl    written + 4, %eax
        movl    %eax, 0x9804
        movw    $0x0301, %ax
        movw    $0x0006, %cx
        movb    $0, %dh
        movb    drive, %dl
        movw    $0x9800, %bx
        int     $0x13
        pushf
        movw    $dap5, %si
        movb    $0x42, %ah
        movb    drive, %dl
        int     $0x13
        movw    $s_03, %si
        call    puts
        movw    $0x9400, %si
        call    put8
        popf
        call    put_cf
        call    crlf

        /* INT 15h E820: every entry */
        xorl    %ebx, %ebx
e820:   movl    $0xE820, %eax
        movl    $24, %ecx
        movl    $0x534D4150, %edx
        movw    $0x9600, %di
        int     $0x15
        jc      e820end
        pushl   %ebx
        movw    $s_e820, %si
        call    puts
        movw    0x9602, %ax
        call    hex16
        movw    0x9600, %ax
        call    hex16
        movb    $' ', %al
        call    putc
        movw    0x960A, %ax
        call    hex16
        movw    0x9608, %ax
        call    hex16
        movb    $' ', %al
        call    putc
        movb    0x9610, %al
        addb    $'0', %al
        call    putc
        call    crlf
        popl    %ebx
        testl   %ebx, %ebx
        jnz     e820
e820end:

        /* INT 15h E801, 88h, A20 */
        movw    $0xE801, %ax
        int     $0x15
        pushw   %bx
        movw    $s_e801, %si
        call    puts
        call    hex16
        movw    $s_bx, %si
        call    puts
        popw    %ax
        call    hex16
        call    crlf
        movb    $0x88, %ah
        int     $0x15
        movw    $s_88, %si
        call    puts
        call    hex16
        call    crlf
        movw    $0x2401, %ax
        int     $0x15
        movw    $0x2402, %ax
        int     $0x15
        pushf
        movw    $s_a20, %si
        call    puts
        call    hex16
        popf
        call    put_cf
        call    crlf

        /* INT 12h: base memory */
        int     $0x12
        movw    $s_12, %si
        call    puts
        call    hex16
        call    crlf

        /* INT 10h: mode, one teletype character, the cursor it moved */
        movb    $0x0F, %ah
        int     $0x10
        movw    $s_10, %si
        call    puts
        call    hex16
        movw    $0x0E76, %ax
        movw    $0x0007, %bx
        int     $0x10
        movb    $0x03, %ah
        movb    $0, %bh
        int     $0x10
        movw    $s_dx, %si
        call    puts
        movw    %dx, %ax
        call    hex16
        call    crlf

        /* INT 16h: a key waiting? (in the VM: the console's input; asked up to 1000 times, as
         * the input may come a little later); then read it */
        movw    $1000, %cx
14:     movb    $0x01, %ah
        int     $0x16
        jnz     15f
        loop    14b
15:     pushf
        movw    $s_16, %si
        call    puts
        popf
        pushf
        call    put_zf
        call    crlf
        popf
        jz      1f
        xorb    %ah, %ah
        int     $0x16
        movw    $s_1600, %si
        call    puts
        call    hex16
        call    crlf
1:
        /* INT 1Ah: RTC time, tick count */
        movb    $0x02, %ah
        int     $0x1A
        pushf
        movw    $s_1a02, %si
        call    puts
        popf
        call    put_cf
        call    crlf

        /* PUSHF/POPF and CLI/STI: the IF the guest set is the IF it reads */
        cli
        call    show_if
        sti
        call    show_if
        pushw   $0x0002                         /* POPF with IF = 0 */
        popf
        call    show_if
        pushw   $0x0202                         /* POPF with IF = 1 */
        popf
        call    show_if
        pushfl                                  /* 32-bit PUSHF: no VM, no RF, IOPL 0 shown */
        popl    %eax
        movw    $s_efl, %si
        call    puts
        shrl    $12, %eax
        andw    $0x23, %ax                      /* IOPL (bits 12-13), VM (bit 17 -> 5) */
        call    hex16
        call    crlf

        /* INT 60h through the guest's own IVT entry; the handler runs with IF = 0 */
        movw    $handler, 0x60 * 4
        movw    $0, 0x60 * 4 + 2
        movb    $0, hit
        int     $0x60
        movw    $s_int, %si
        call    puts
        movb    hit, %al
        call    hex16
        call    crlf
        call    show_if

        /* INT3 (CC): not IOPL-sensitive in v86 mode but through the IDT, whose gate (DPL < 3)
         * makes it a #GP for the hypervisor; the guest's own IVT handler must run */
        movw    $handler, 3 * 4
        movw    $0, 3 * 4 + 2
        movb    $0, hit
        int3
        movw    $s_int3, %si
        call    puts
        movb    hit, %al
        call    hex16
        call    crlf

        /* IN/OUT: the line status of COM1 */
        movw    $0x3FD, %dx
        inb     %dx, %al
        andb    $0x20, %al
        movw    $s_lsr, %si
        call    puts
        call    hex16
        call    crlf

        /* LGDT, MOV CR0 (PE = 1), far JMP to 32-bit code, and back to real mode */
        cli
        lgdtl   gdt_desc
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   $0x08, $pm32

        .code32
pm32:   movw    $0x10, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movzwl  %sp, %esp
        movl    $s_pm, %esi
8:      lodsb
        testb   %al, %al
        jz      9f
        movb    %al, %bl
        movw    $0x3FD, %dx
10:     inb     %dx, %al
        testb   $0x20, %al
        jz      10b
        movb    %bl, %al
        movw    $0x3F8, %dx
        outb    %al, %dx
        jmp     8b
9:      ljmp    $0x18, $pm16

        .code16
pm16:   movw    $0x20, %ax
        movw    %ax, %ds
        movw    %ax, %ss
        movl    %cr0, %eax
        andl    $0xFFFFFFFE, %eax
        movl    %eax, %cr0
        ljmp    $0, $rm
rm:     xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %ss
        sti
        movw    $s_rm, %si
        call    puts
        movw    %sp, %ax
        call    hex16
        call    crlf
        call    show_if

        movw    $s_done, %si
        call    puts
        movw    $0xF4, %dx
        xorw    %ax, %ax
        outb    %al, %dx
11:     cli
        hlt
        jmp     11b

handler:
        movb    $1, hit
        call    show_if
        iret

/* "v86: if=N" from PUSHF */
show_if:
        pushf
        popw    %ax
        movw    $s_if, %si
        call    puts
        shrw    $9, %ax
        andb    $1, %al
        addb    $'0', %al
        call    putc
        jmp     crlf

/* the 8 bytes at SI as characters */
put8:   pushw   %cx
        movw    $8, %cx
12:     lodsb
        call    putc
        loop    12b
        popw    %cx
        ret

s_data: .asciz  "v86: int13 42 data="
s_fsgs: .asciz  "v86: fs gs="
s_48:   .asciz  "v86: int13 48 sectors="
s_bps:  .asciz  " bytes/sector="
s_08:   .asciz  "v86: int13 08 cx="
s_dx:   .asciz  " dx="
s_bx:   .asciz  " bx="
s_02:   .asciz  "v86: int13 02 data="
s_03:   .asciz  "v86: int13 03 wrote, read back="
s_e820: .asciz  "v86: e820 "
s_e801: .asciz  "v86: int15 e801 ax="
s_88:   .asciz  "v86: int15 88 ax="
s_a20:  .asciz  "v86: int15 2402 ax="
s_12:   .asciz  "v86: int12 ax="
s_10:   .asciz  "v86: int10 0f ax="
s_16:   .asciz  "v86: int16 01"
s_1600: .asciz  "v86: int16 00 ax="
s_1a02: .asciz  "v86: int1a 02"
s_efl:  .asciz  "v86: pushfd iopl/vm bits="
s_int:  .asciz  "v86: int 60h through the guest's ivt, handler ran="
s_int3: .asciz  "v86: int3 through the guest's ivt, handler ran="
s_if:   .asciz  "v86: if="
s_lsr:  .asciz  "v86: in 3fd thr-empty="
s_pm:   .asciz  "v86: protected mode, 32-bit code\r\n"
s_rm:   .asciz  "v86: back in real mode, sp="
s_done: .asciz  "v86: done\r\n"
written: .ascii "written!"
hit:    .byte   0

        .balign 8
gdt:    .quad   0
        .quad   0x00CF9A000000FFFF              /* 08h: code32 */
        .quad   0x00CF92000000FFFF              /* 10h: data32 */
        .quad   0x00009A000000FFFF              /* 18h: code16 */
        .quad   0x000092000000FFFF              /* 20h: data16 */
gdt_end:
gdt_desc:
        .word   gdt_end - gdt - 1
        .long   gdt

        .balign 4
dap5:   .byte   0x10, 0
        .word   1
        .word   0x9400, 0
        .long   5, 0

/* ======== sector 4: data; sector 5: scratch ======== */
        .org    4 * 512
        .ascii  "sector-4"
        .org    5 * 512
        .ascii  "scratch."
        .org    6 * 512
