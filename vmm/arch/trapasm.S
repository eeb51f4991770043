/* trapasm.S: the 256 entry stubs of the real IDT, the common entry that saves the guest's (or,
 * while the hypervisor waits in HLT, its own) registers as a struct frame, and the way back. */
#include "layout.h"
#include "libkern/trapasm.h"

        .text
        .altmacro
        .set i, 0
        .rept 256
        TRAP_VECTOR %i
        .set i, i + 1
        .endr

        .macro vecaddr n
        .long vec\n
        .endm
        .section .rodata
        .globl vectors
vectors:
        .set i, 0
        .rept 256
        vecaddr %i
        .set i, i + 1
        .endr
        .noaltmacro

        .text
alltraps:
        TRAP_SAVE
        movw    $HDATA_SEL, %ax
        movw    %ax, %ds
        movw    %ax, %es
        xorl    %eax, %eax
        movw    %ax, %fs
        movw    %ax, %gs
        pushl   %esp                       /* vmm_trap(struct frame *f) */
        call    vmm_trap
        addl    $4, %esp
        .globl trapret
trapret:
        TRAP_RESTORE_IRET

/* enter_guest(struct frame *f): the first entry into a VM, from a frame built in C. */
        .globl enter_guest
enter_guest:
        movl    4(%esp), %esp
        jmp     trapret

/* swtch(uint32_t *save_esp, uint32_t cr3, uint32_t esp): the world switch between two VMs'
 * hypervisor threads. Saves the callee-saved registers on this VM's hypervisor stack, loads the
 * other VM's shadow page directory (which maps VMWIN to the other VM's window: its stack, its
 * GDT, IDT, TSS, its virtual CPU) and continues on its stack where it last called swtch. */
        .globl swtch
swtch:
        movl    4(%esp), %eax
        movl    8(%esp), %ecx
        movl    12(%esp), %edx
        SWTCH_SAVE
        movl    %ecx, %cr3
        SWTCH_RESUME

        .section .note.GNU-stack, "", @progbits
