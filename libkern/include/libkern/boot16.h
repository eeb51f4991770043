/* boot16.h: assembler macros for the 16-bit boot sectors (the jx86 loader's MBR and stage 2, the
 * vmm's v86 test boot sectors, src-test-guests' *.boot.S): the common start and polled output on
 * COM1. Include it from a .S file built with -D__ASSEMBLER__ (or any .S: it holds macros only).
 * Each macro expands to the instructions the boot sectors used to spell out themselves, so the
 * sectors' bytes are unchanged. Their own labels are .L...\@ (unique per expansion), so they
 * never capture the numeric local labels of the code around them. */
#ifndef LIBKERN_BOOT16_H
#define LIBKERN_BOOT16_H

/* BOOT16_ENTER stack: the first instructions of a boot sector. The firmware jumps to 0:7C00 or
 * 07C0:0000 (both exist); zero DS, ES and SS, put the stack below the sector, and make CS 0 with
 * a far jump so that the sector's offsets (linked at 7C00) are right. Interrupts stay off. */
        .macro BOOT16_ENTER stack=0x7C00
        cli
        xorw    %ax, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    $\stack, %sp
        ljmp    $0, $.Lboot16_cs0\@
.Lboot16_cs0\@:
        .endm

/* BOOT16_UART_INIT: COM1 to 115200 baud 8N1 (divisor 1; DLAB on, divisor, DLAB off). */
        .macro BOOT16_UART_INIT
        mov $0x3fb, %dx; mov $0x80, %al; out %al, %dx
        mov $0x3f8, %dx; mov $1, %al; out %al, %dx
        mov $0x3f9, %dx; xor %al, %al; out %al, %dx
        mov $0x3fb, %dx; mov $3, %al; out %al, %dx
        .endm

/* BOOT16_PUTC: the body of putc: AL to COM1 once the transmitter is empty (polled); keeps every
 * register. */
        .macro BOOT16_PUTC
        pushw   %dx
        pushw   %ax
        movw    $0x3FD, %dx
.Lputc_wait\@:
        inb     %dx, %al
        testb   $0x20, %al
        jz      .Lputc_wait\@
        popw    %ax
        movw    $0x3F8, %dx
        outb    %al, %dx
        popw    %dx
        ret
        .endm

/* BOOT16_PUTS name: a routine `name` that sends the NUL-terminated string at SI straight to COM1
 * (polled, without a putc; changes SI, AX and DX). Assembles in .code16 and .code32 alike. */
        .macro BOOT16_PUTS name
\name:
        lodsb
        test %al, %al
        jz .Lputs_end\@
        mov %al, %ah
        mov $0x3fd, %dx
.Lputs_wait\@:
        in %dx, %al
        test $0x20, %al
        jz .Lputs_wait\@
        mov $0x3f8, %dx
        mov %ah, %al
        out %al, %dx
        jmp \name
.Lputs_end\@:
        ret
        .endm

/* BOOT16_CONSOLE: four routines on COM1 for a boot sector that prints values:
 *   putc   AL (polled; keeps every register)
 *   puts   the NUL-terminated string at SI (keeps AX: the value printed after a label is in it)
 *   crlf   "\r\n"
 *   hex16  AX as four lower-case hex digits (keeps every register but flags) */
        .macro BOOT16_CONSOLE
putc:
        BOOT16_PUTC

puts:   pushw   %ax
.Lputs_next\@:
        lodsb
        testb   %al, %al
        jz      .Lputs_end\@
        call    putc
        jmp     .Lputs_next\@
.Lputs_end\@:
        popw    %ax
        ret

crlf:   movb    $'\r', %al
        call    putc
        movb    $'\n', %al
        jmp     putc

hex16:  pushw   %cx
        movw    $4, %cx
.Lhex_digit\@:
        rolw    $4, %ax
        pushw   %ax
        andb    $0x0F, %al
        addb    $'0', %al
        cmpb    $'9', %al
        jbe     .Lhex_put\@
        addb    $'a' - '0' - 10, %al
.Lhex_put\@:
        call    putc
        popw    %ax
        loop    .Lhex_digit\@
        popw    %cx
        ret
        .endm

#endif /* LIBKERN_BOOT16_H */
