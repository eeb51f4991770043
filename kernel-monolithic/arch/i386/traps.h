/* traps.h: x86 exception vectors (SDM Vol. 3A table 6-1) and the kernel's IRQ and system-call vectors. */
#pragma once

#define T_DIVIDE   0   /* divide error */
#define T_DEBUG    1
#define T_NMI      2
#define T_BRKPT    3
#define T_OFLOW    4
#define T_BOUND    5
#define T_ILLOP    6   /* invalid opcode */
#define T_DEVICE   7   /* device not available (no FPU) */
#define T_DBLFLT   8
#define T_TSS     10
#define T_SEGNP   11
#define T_STACK   12
#define T_GPFLT   13
#define T_PGFLT   14
#define T_FPERR   16
#define T_ALIGN   17
#define T_MCHK    18
#define T_SIMDERR 19

#define T_IRQ0    32   /* the PIC is remapped so IRQ n arrives at vector T_IRQ0 + n */
#define T_SYSCALL 0x80 /* Linux i386 system-call gate: int $0x80 */

#define IRQ_TIMER 0
#define IRQ_COM1  4
#define IRQ_ATA   14   /* primary ATA channel */
