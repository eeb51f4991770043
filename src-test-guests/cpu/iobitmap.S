/* iobitmap.S: ring 3 port accesses checked against the TSS I/O permission bitmap. */
        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN u_out_e9
        mov $'o', %al
        out %al, $0xe9
        mov $'k', %al
        mov $0xe9, %dx
        out %al, (%dx)
        in $0xe9, %al
        ret

FN u_out_80
        mov $0, %al
FN u_out_80_insn
        out %al, $0x80
        ret

FN u_in_80
        mov $0x80, %dx
FN u_in_80_insn
        in (%dx), %al
        ret

FN u_outw_e9
        mov $0xe9, %dx
FN u_outw_e9_insn
        out %ax, (%dx)          /* also needs port 0xEA's bit */
        ret

        .section .note.GNU-stack, "", @progbits
