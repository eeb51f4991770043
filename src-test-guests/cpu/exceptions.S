/* exceptions.S: one small function per exception; the *_insn label is the faulting instruction
 * (the saved EIP of a fault) and *_after the instruction after a trap. */
        .set SEL_NP, 0x30       /* not-present data segment */
        .set SEL_SMALL, 0x38    /* data segment, limit 0xFFF bytes */
        .set SEL_RO, 0x40       /* read-only data segment */
        .set SEL_XO, 0x48       /* execute-only code segment */
        .set KDATA, 0x10

        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN trig_de
        xor %edx, %edx
        mov $1, %eax
        xor %ecx, %ecx
FN trig_de_insn
        div %ecx
        ret

FN trig_db
        pushf
        orl $0x100, (%esp)
        popf
        nop                     /* TF set by POPF takes effect after the next instruction */
FN trig_db_after
        nop
        ret

FN trig_de_idiv
        mov $0x80000000, %eax
        cltd                    /* EDX:EAX = INT_MIN */
        mov $-1, %ecx
FN trig_de_idiv_insn
        idiv %ecx               /* quotient 2^31 does not fit */
        ret

FN trig_db_hw
        nop
FN trig_db_hw_insn
        nop                     /* DR0 points here: instruction breakpoint, a fault */
        ret

FN trig_bp
        int3
FN trig_bp_after
        ret

FN trig_of
        mov $0x7fffffff, %eax
        add $1, %eax            /* OF=1 */
        into
FN trig_of_after
        ret

FN trig_br
        mov $5, %eax
FN trig_br_insn
        bound %eax, bounds_0_3
        ret

FN trig_ud
FN trig_ud_insn
        ud2
        ret

FN trig_ud_cr1
FN trig_ud_cr1_insn
        mov %eax, %cr1          /* CR1 is reserved */
        ret

FN trig_nm
FN trig_nm_insn
        fninit
        ret

FN trig_np
        mov $SEL_NP, %ax
FN trig_np_insn
        mov %ax, %ds
        ret

FN trig_ss
        mov $SEL_NP, %ax
FN trig_ss_insn
        mov %ax, %ss
        ret

FN trig_np_gate
FN trig_np_gate_insn
        int $0x82               /* gate present bit clear */
        ret

FN trig_ts
FN trig_ts_insn
        ljmp $0x50, $0          /* TSS descriptor with limit 0x20 < 0x67 */
        ret

FN trig_gp_idt_limit
FN trig_gp_idt_limit_insn
        int $0x90               /* beyond the IDT limit set by the test */
        ret

FN trig_gp_beyond_gdt
        mov $0x80, %ax          /* index 16: past the 16-entry GDT's limit */
FN trig_gp_beyond_gdt_insn
        mov %ax, %ds
        ret

FN trig_gp_null_ss
        xor %eax, %eax
FN trig_gp_null_ss_insn
        mov %ax, %ss
        ret

FN trig_gp_null_use
        xor %eax, %eax
        mov %ax, %fs            /* loading a null selector into FS is allowed ... */
FN trig_gp_null_use_insn
        mov %fs:0, %eax         /* ... using it is not */
        ret

FN trig_gp_limit
        mov $SEL_SMALL, %ax
        mov %ax, %fs
        mov %fs:0xffc, %eax     /* last dword inside the limit: fine */
FN trig_gp_limit_insn
        mov %fs:0xffd, %eax     /* straddles the limit */
        ret

FN trig_gp_readonly
        mov $SEL_RO, %ax
        mov %ax, %fs
        mov %fs:0, %eax         /* reading is fine */
FN trig_gp_readonly_insn
        movl $0, %fs:0
        ret

FN trig_gp_exec_only
        mov $SEL_XO, %ax
FN trig_gp_exec_only_insn
        mov %ax, %ds            /* a code segment without R cannot be a data segment */
        ret

FN trig_gp_rpl
        mov $(KDATA | 3), %ax
FN trig_gp_rpl_insn
        mov %ax, %ds            /* RPL 3 > DPL 0 */
        ret

FN trig_gp_jmp_data
FN trig_gp_jmp_data_insn
        ljmp $KDATA, $1f
1:      ret

FN trig_gp_jmp_null
FN trig_gp_jmp_null_insn
        ljmp $0, $1f            /* a null code selector */
1:      ret

FN trig_pf_read
        mov pf_addr, %ecx
FN trig_pf_read_insn
        mov (%ecx), %eax
        ret

FN trig_pf_write
        mov pf_addr, %ecx
FN trig_pf_write_insn
        movl $0x1234, (%ecx)
        ret

        .data
        .align 8
bounds_0_3:
        .long 0, 3

        .section .note.GNU-stack, "", @progbits
