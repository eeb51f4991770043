/* isr.S: per-vector entry stubs, the common save/restore path, and the fault_try/fault_longjmp pair. */
        .set KDATA, 0x10
        .set UCODE, 0x1B
        .set UDATA, 0x23

/* Vectors for which the CPU pushes an error code (SDM vol. 3 table 6-1); the others get a dummy 0
 * so that every frame has the same layout. */
        .altmacro
        .macro STUB n
isr_stub_\n:
        .if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
        .else
        push $0
        .endif
        push $\n
        jmp isr_common
        .endm

        .macro STUBADDR n
        .long isr_stub_\n
        .endm

        .text
        .set i, 0
        .rept 256
        STUB %i
        .set i, i+1
        .endr

isr_common:
        pusha
        push %ds
        push %es
        push %fs
        push %gs
        mov $KDATA, %ax             /* the interrupted code may have had user or test selectors */
        mov %ax, %ds
        mov %ax, %es
        push %esp                   /* struct frame * */
        cld
        call isr_dispatch
        add $4, %esp
        pop %gs
        pop %fs
        pop %es
        pop %ds
        popa
        add $8, %esp                /* vector and error code */
        iret

        .data
        .globl isr_stubs
isr_stubs:
        .set i, 0
        .rept 256
        STUBADDR %i
        .set i, i+1
        .endr

/* The context saved by fault_try: callee-saved registers, stack pointer and return address. */
        .bss
        .align 4
        .globl fault_armed
fault_armed:    .long 0
jb_ebx: .long 0
jb_esi: .long 0
jb_edi: .long 0
jb_ebp: .long 0
jb_esp: .long 0
jb_eip: .long 0

        .text
        .globl fault_try
fault_try:
        mov (%esp), %ecx
        mov %ecx, jb_eip
        lea 4(%esp), %ecx
        mov %ecx, jb_esp
        mov %ebx, jb_ebx
        mov %esi, jb_esi
        mov %edi, jb_edi
        mov %ebp, jb_ebp
        movl $1, fault_armed
        xor %eax, %eax
        ret

        .globl fault_longjmp
fault_longjmp:
        movl $0, fault_armed
        mov $KDATA, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %fs
        mov %ax, %gs
        mov %ax, %ss
        mov jb_esp, %esp
        mov jb_ebx, %ebx
        mov jb_esi, %esi
        mov jb_edi, %edi
        mov jb_ebp, %ebp
        push $2                     /* IF=0, TF=0, IOPL=0, NT=0: a clean ring 0 state */
        popf
        mov $1, %eax
        jmp *jb_eip

/* enter_user(fn, stack_top, eflags): IRET to ring 3 at user_trampoline, which calls fn.
 * FS and GS keep the kernel's DPL 0 selector on purpose: IRET to an outer level must null them. */
        .globl enter_user
enter_user:
        mov 4(%esp), %ebx
        mov 8(%esp), %edx
        mov 12(%esp), %ecx
        mov $UDATA, %ax
        mov %ax, %ds
        mov %ax, %es
        push $UDATA
        push %edx
        push %ecx
        push $UCODE
        push $user_trampoline
        iret

        .globl user_trampoline
user_trampoline:
        call *%ebx
        xor %eax, %eax
        int $0x80
1:      jmp 1b

        .section .note.GNU-stack, "", @progbits
