/* rings.S: code that runs in ring 3 (called by user_trampoline); *_insn labels mark faulting insns. */
        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN u_probe
        mov %cs, %eax
        mov %eax, u_cs
        mov %ss, %eax
        mov %eax, u_ss
        mov %fs, %eax
        mov %eax, u_fs
        mov %gs, %eax
        mov %eax, u_gs
        mov $1, %eax
        int $0x80               /* DPL 3 gate: allowed from ring 3 */
FN u_probe_after_int
        mov %cs, %eax
        mov %eax, u_cs_back
        ret

FN u_cli
FN u_cli_insn
        cli
        ret

FN u_hlt
FN u_hlt_insn
        hlt
        ret

FN u_int81
FN u_int81_insn
        int $0x81               /* DPL 0 gate */
        ret

FN u_read_cr0
FN u_read_cr0_insn
        mov %cr0, %eax
        ret

FN u_load_kdata
        mov $0x10, %ax
FN u_load_kdata_insn
        mov %ax, %ds            /* DPL 0 data segment from CPL 3 */
        ret

        .data
        .globl u_cs, u_ss, u_cs_back, u_fs, u_gs
u_cs:   .long 0
u_ss:   .long 0
u_cs_back: .long 0
u_fs:   .long 0xffff
u_gs:   .long 0xffff

        .section .note.GNU-stack, "", @progbits
