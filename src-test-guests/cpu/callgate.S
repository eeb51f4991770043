/* callgate.S: ring 3 caller and ring 0 target of a 32-bit call gate with 2 parameters. */
        .set GATE3, 0x33        /* GDT index 6, RPL 3: call gate with DPL 3 */
        .set GATE0, 0x3B        /* GDT index 7, RPL 3: call gate with DPL 0 */

        .macro FN name
        .globl \name
\name:
        .endm

        .text
FN u_callgate
        mov %esp, u_esp_before
        push $0x1111
        push $0x2222
        lcall $GATE3, $0        /* the offset is ignored for a gate */
FN u_callgate_ret
        mov %esp, u_esp_after
        mov %cs, %eax
        mov %eax, u_cs_after
        ret

FN u_callgate_dpl0
FN u_callgate_dpl0_insn
        lcall $GATE0, $0
        ret

/* Runs in ring 0 on the TSS.ESP0 stack; the stack holds EIP, CS, the 2 copied parameters, ESP, SS. */
FN gate_target
        mov %esp, g_esp
        mov %cs, %eax
        mov %eax, g_cs
        mov 0(%esp), %eax
        mov %eax, g_ret_eip
        mov 4(%esp), %eax
        mov %eax, g_ret_cs
        mov 8(%esp), %eax
        mov %eax, g_param_low
        mov 12(%esp), %eax
        mov %eax, g_param_high
        mov 16(%esp), %eax
        mov %eax, g_user_esp
        mov 20(%esp), %eax
        mov %eax, g_user_ss
        lret $8                 /* pops the parameters from both stacks */

        .data
        .globl u_esp_before, u_esp_after, u_cs_after, g_esp, g_cs, g_ret_eip, g_ret_cs
        .globl g_param_low, g_param_high, g_user_esp, g_user_ss
u_esp_before: .long 0
u_esp_after: .long 0
u_cs_after: .long 0
g_esp: .long 0
g_cs: .long 0
g_ret_eip: .long 0
g_ret_cs: .long 0
g_param_low: .long 0
g_param_high: .long 0
g_user_esp: .long 0
g_user_ss: .long 0

        .section .note.GNU-stack, "", @progbits
