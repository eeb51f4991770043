/* stack-size.S: code that runs on a 16-bit stack segment (SEL16: base 0, limit 0xFFFF, B = 0) or
 * inside a task with a 16-bit TSS. Every helper saves the caller's ESP, switches SS itself and
 * returns with SS = KDATA and the caller's ESP. Addresses below 64 KiB are free low memory. */
        .set KDATA, 0x10
        .set TSS_SEL, 0x28
        .set SEL16, 0x30

        .macro FN name
        .globl \name
\name:
        .endm

        .data
saved_esp:      .long 0
ss_value:       .long 0
        .globl enter_esp, t16_regs
enter_esp:      .long 0
t16_regs:       .fill 8, 4, 0

        .text
/* POP SS from a 16-bit stack (SP = 0xFFFC, ESP upper word 2) loading a 32-bit segment: the
 * increment follows the old stack, so SP wraps to 0 and ESP = 0x00020000. Returns ESP. */
FN pop_ss_16_to_32
        mov %esp, saved_esp
        movl $KDATA, 0xFFFC
        mov $SEL16, %ax
        mov %ax, %ss
        mov $0x2FFFC, %esp
        pop %ss
        mov %esp, %eax
        mov $KDATA, %cx
        mov %cx, %ss
        mov saved_esp, %esp
        ret

/* POP SS from a 32-bit stack at ESP = 0x1FFFC loading the 16-bit segment: ESP = 0x00020000. */
FN pop_ss_32_to_16
        mov %esp, saved_esp
        movl $SEL16, 0x1FFFC
        mov $0x1FFFC, %esp
        pop %ss
        mov %esp, %eax
        mov $KDATA, %cx
        mov %cx, %ss
        mov saved_esp, %esp
        ret

/* ENTER $8, $0 with a 32-bit operand on the 16-bit stack at ESP = 0x00010000 (SP = 0): EBP pushed
 * at 0xFFFC, EBP = FrameTemp = 0x0001FFFC, ESP = 0x0001FFF4 (in enter_esp). Returns EBP. */
FN enter_on_16bit_stack
        push %ebp
        mov %esp, saved_esp
        mov $SEL16, %ax
        mov %ax, %ss
        mov $0x10000, %esp
        mov $0x5555, %ebp
        enter $8, $0
        mov %ebp, %eax
        mov %esp, enter_esp
        mov $KDATA, %cx
        mov %cx, %ss
        mov saved_esp, %esp
        pop %ebp
        ret

/* MOV SS, then the instruction at movss_next: an instruction breakpoint there is not taken. */
FN movss_then_next
        mov %ss, %ax
        mov %ax, %ss
FN movss_next
        nop
        ret

/* The same instruction breakpoint without MOV SS before it: taken (shows the breakpoint works). */
FN plain_then_next
        nop
FN plain_next
        nop
        ret

/* MOV SS from memory with a read/write data breakpoint (DR0) on the operand: the #DB comes after
 * the next instruction (saved EIP = movss_mem_after), not right after MOV SS (movss_mem_next).
 * (A POP SS slot would do too, but the #DB frame is pushed right over it and would hit again.) */
FN movss_data_breakpoint
        mov %ss, %ax
        mov %ax, ss_value
        mov $ss_value, %eax
        mov %eax, %dr0
        mov $0x00070001, %eax   /* L0; R/W0 = 11 (read/write); LEN0 = 01 (2 bytes) */
        mov %eax, %dr7
        mov ss_value, %ss
FN movss_mem_next
        nop
FN movss_mem_after
        xor %eax, %eax
        mov %eax, %dr7
        ret

/* Entry of the task with the 16-bit TSS (reached through a code segment based so that its IP
 * fits 16 bits): stores the eight general registers as the switch loaded them, then jumps back
 * to the main task. */
FN task16_entry
        mov %eax, t16_regs
        mov %ecx, t16_regs + 4
        mov %edx, t16_regs + 8
        mov %ebx, t16_regs + 12
        mov %esp, t16_regs + 16
        mov %ebp, t16_regs + 20
        mov %esi, t16_regs + 24
        mov %edi, t16_regs + 28
        ljmp $TSS_SEL, $0
        jmp task16_entry

        .section .note.GNU-stack, "", @progbits
