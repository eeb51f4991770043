/* Entry, exit and fault-recovery stubs of the native oracle runner (see runner.c). */
    .text
    .globl _start
_start:
    xor %ebp, %ebp
    and $-16, %esp
    call main
    mov %eax, %ebx
    mov $252, %eax          /* exit_group */
    int $0x80
    hlt

/* int run_block(void): loads in_eflags and in_regs, jumps to the block at code_entry. The block ends
   with a jmp to block_done, which stores the state and returns 0 here. */
    .globl run_block
run_block:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov %esp, saved_esp
    pushl in_eflags
    popfl
    mov in_regs+0, %eax
    mov in_regs+4, %ecx
    mov in_regs+8, %edx
    mov in_regs+12, %ebx
    mov in_regs+16, %esp
    mov in_regs+20, %ebp
    mov in_regs+24, %esi
    mov in_regs+28, %edi
    jmp *code_entry

    .globl block_done
block_done:
    /* MOV leaves EFLAGS alone, so the block's flags survive until the PUSHF below. */
    mov %eax, out_regs+0
    mov %ecx, out_regs+4
    mov %edx, out_regs+8
    mov %ebx, out_regs+12
    mov %esp, out_regs+16
    mov %ebp, out_regs+20
    mov %esi, out_regs+24
    mov %edi, out_regs+28
    mov saved_esp, %esp
    pushfl
    popl out_eflags
    cld
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    xor %eax, %eax
    ret

/* The signal handler points the faulting context's EIP here. */
    .globl fault_recover
fault_recover:
    mov saved_esp, %esp
    cld
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    mov $1, %eax
    ret

    .globl signal_restorer
signal_restorer:
    mov $173, %eax          /* rt_sigreturn */
    int $0x80
    hlt
    .section .note.GNU-stack,"",@progbits
