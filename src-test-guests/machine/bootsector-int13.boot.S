/* bootsector-int13.boot.S: a boot sector that loads the rest of itself through the BIOS disk services
 * (INT 13h): AH=41h checks for the EDD extensions, AH=02h (CHS) reads sector 2 to 0:7E00, AH=42h
 * (LBA, disk address packet) reads sectors 3-4 to 0:8000. Each loaded sector starts with a magic word,
 * and the code in them runs and prints. All output goes straight to the UART (no INT 10h needed). */
        .set COM1, 0x3f8

#include "libkern/boot16.h"

        .code16
        .text
        .globl _start
_start:
        BOOT16_ENTER
        sti                     /* BIOS services may rely on interrupts */
        mov %dl, drive

        BOOT16_UART_INIT

        /* AH=41h: BX=55AAh in, BX=AA55h and CF=0 out when extensions exist */
        mov $0x41, %ah
        mov $0x55aa, %bx
        mov drive, %dl
        int $0x13
        mov $m_ext, %si
        jnc 4f
        test %sp, %sp           /* CF=1: force ZF=0 (fail) */
        jmp 5f
4:      cmp $0xaa55, %bx
5:      call result

        /* AH=02h: 1 sector, cylinder 0, head 0, sector 2 (1-based) -> ES:BX = 0:7E00 */
        mov $0x0201, %ax
        mov $0x0002, %cx
        xor %dh, %dh
        mov drive, %dl
        mov $0x7e00, %bx
        int $0x13
        mov $m_chs, %si
        jnc 4f
        test %sp, %sp           /* CF=1: force ZF=0 (fail) */
        jmp 5f
4:      cmpw $0x3202, stage2    /* "2" sector magic, see below */
5:      call result

        /* AH=42h: disk address packet, 2 sectors from LBA 2 -> 0:8000 */
        mov $0x42, %ah
        mov drive, %dl
        mov $dap, %si
        int $0x13
        mov $m_lba, %si
        jnc 4f
        test %sp, %sp           /* CF=1: force ZF=0 (fail) */
        jmp 5f
4:      cmpw $0x3303, stage3
5:      call result

        call stage2 + 2
        mov $m_done, %si
        call puts
        movzbl failed, %eax
        test %eax, %eax
        setnz %al
        out %eax, $0xf4
        cli
3:      hlt
        jmp 3b

/* ZF set = pass: prints "ok "/"FAIL " and the check name at SI. */
result:
        push %si
        mov $m_ok, %si
        je 1f
        mov $m_fail, %si
        incb failed
1:      call puts
        pop %si
        /* fall through */
        BOOT16_PUTS puts

        .align 4
dap:    .byte 16, 0             /* packet size, reserved */
        .word 2                 /* sectors */
        .word 0x8000, 0         /* buffer offset, segment */
        .quad 2                 /* first LBA */

drive:  .byte 0
failed: .byte 0
m_ok:   .asciz "ok "
m_fail: .asciz "FAIL "
m_ext:  .asciz "int13-ah41-extensions\r\n"
m_chs:  .asciz "int13-ah02-chs-read\r\n"
m_lba:  .asciz "int13-ah42-lba-read\r\n"
m_done: .asciz "done\r\n"

        .org 510
        .byte 0x55, 0xaa

/* Sector 2 (LBA 1), loaded at 0x7E00 by AH=02h. */
stage2:
        .word 0x3202
        mov $m_s2, %si
        call puts
        call stage3 + 2
        ret
m_s2:   .asciz "ok stage2-running\r\n"
        .org 1024

/* Sectors 3-4 (LBA 2-3), loaded at 0x8000 by AH=42h; the check reads both sectors' contents. */
stage3:
        .word 0x3303
        mov $m_s3, %si
        call puts
        mov $m_s4, %si
        cmpw $0x3404, stage4
        call result
        ret
m_s3:   .asciz "ok stage3-running\r\n"
m_s4:   .asciz "int13-ah42-second-sector\r\n"
        .org 1536
stage4:
        .word 0x3404
        .org 2048
