/*
 * mbr.S: jx86 stage 1 (the MBR boot sector, 440 bytes of code).
 *
 * The firmware loads this sector at 0000:7C00 and jumps to it with DL = boot drive. It reads
 * LBA 1..63 (stage 2 followed by the boot catalog, see docs/disk-images.md) to 0000:8000 and
 * jumps there with DL unchanged. It prefers INT 13h extended reads (AH=41h/42h) and falls back
 * to CHS reads (AH=08h/02h), one sector at a time, for firmware without the extensions.
 * Bytes 440..509 (disk signature and partition table) are written by the image builder.
 */
        .set STAGE2_SEG_ADDR, 0x8000
        .set STAGE2_SECTORS, 63

#include "libkern/boot16.h"

        .code16
        .section .text
        .globl _start
_start:
        BOOT16_ENTER                    /* some firmware enters at 07C0:0000 */
        sti
        cld
        movb    %dl, boot_drive
#ifdef FORCE_CHS
        jmp     use_chs                 /* test build: exercise the CHS path on any firmware */
#endif

        movb    $0x41, %ah              /* extensions present? */
        movw    $0x55AA, %bx
        int     $0x13
        jc      use_chs
        cmpw    $0xAA55, %bx
        jne     use_chs
        testb   $1, %cl                 /* packet (AH=42h) interface supported */
        jz      use_chs

        movw    $dap, %si
        movb    $0x42, %ah
        movb    boot_drive, %dl
        int     $0x13
        jc      read_error
        jmp     stage2

use_chs:
        movb    $0x08, %ah
        movb    boot_drive, %dl
        xorw    %di, %di                /* some firmware wants ES:DI = 0 */
        int     $0x13
        jc      read_error
        xorw    %ax, %ax
        movw    %ax, %es
        andb    $0x3F, %cl
        jz      read_error
        movb    %cl, spt
        incb    %dh
        movb    %dh, heads

        movw    $1, %di                 /* DI = LBA, BX = destination */
        movw    $STAGE2_SEG_ADDR, %bx
chs_loop:
        movw    %di, %ax
        xorw    %dx, %dx
        xorb    %ch, %ch
        movb    spt, %cl
        divw    %cx                     /* AX = LBA / spt, DX = LBA % spt */
        incw    %dx
        movb    %dl, %cl                /* sector (1-based) */
        xorw    %dx, %dx
        movb    heads, %dl
        pushw   %cx
        movw    %dx, %cx
        xorw    %dx, %dx
        divw    %cx                     /* AX = cylinder, DX = head */
        popw    %cx
        movb    %dl, %dh
        movb    %al, %ch
        shlb    $6, %ah
        orb     %ah, %cl
        movb    boot_drive, %dl
        movw    $0x0201, %ax
        int     $0x13
        jc      read_error
        addw    $512, %bx
        incw    %di
        cmpw    $STAGE2_SECTORS + 1, %di
        jb      chs_loop

stage2:
        movb    boot_drive, %dl
        ljmp    $0, $STAGE2_SEG_ADDR

read_error:
        movw    $msg, %si
1:      lodsb
        testb   %al, %al
        jz      2f
        movb    $0x0E, %ah
        movw    $0x0007, %bx
        int     $0x10
        jmp     1b
2:      cli
        hlt
        jmp     2b

msg:    .asciz  "jx86 MBR: disk read error"

        .balign 4
dap:    .byte   0x10, 0
        .word   STAGE2_SECTORS
        .word   STAGE2_SEG_ADDR, 0      /* offset, segment */
        .long   1, 0                    /* LBA 1 */

boot_drive: .byte 0
spt:        .byte 0
heads:      .byte 0

        .org    440                     /* fails to assemble if the code grew too large */
        .fill   70, 1, 0                /* disk signature + partition table: from the builder */
        .word   0xAA55
