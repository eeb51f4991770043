/* taskgate-df.S: the #DF trigger and the entry of the double-fault task. */
        .set SEL_NP, 0x38       /* not-present data segment */

        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN trig_df
        mov $SEL_NP, %eax
FN trig_df_insn
        mov %ax, %ds            /* #NP(0x38); IDT[11] is not present -> #NP(0x5A) -> #DF */
        ret

/* First instruction of the double-fault task: the error code (always 0) is on its fresh stack. */
FN df_entry
        pop %eax
        mov %eax, df_error
        mov %esp, df_esp
        call df_main
1:      hlt
        jmp 1b

        .data
        .globl df_error, df_esp
df_error: .long 0xffffffff
df_esp: .long 0

        .section .note.GNU-stack, "", @progbits
