/* trap.c: the C side of every interrupt, exception and system call: dispatch on the vector number. */
#include "defs.h"
#include "module.h"
#include "proc.h"
#include "traps.h"

uint32_t ticks;

static const char *const names[] = {
  "divide error", "debug", "NMI", "breakpoint", "overflow", "BOUND range exceeded",
  "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
  "invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
  "page fault", "reserved", "x87 floating-point error", "alignment check", "machine check",
  "SIMD floating-point exception",
};

static const char *trapname(uint32_t n) {
  return n < (uint32_t)NELEM(names) ? names[n] : "unknown trap";
}

/* A user-mode exception. A write to a page that fork shares is not an error: cow_fault gives
 * the process its own copy and the instruction is retried. Anything else becomes the signal
 * Linux would send; without a handler it kills the process (wait status = signal number). */
static void user_fault(struct trapframe *tf) {
  if (tf->trapno == T_PGFLT && (tf->err & 3) == 3) {   /* write to a present page */
    int r = cow_fault(curproc->pgdir, rcr2());
    if (r == 0)
      return;
    if (r == -ENOMEM) {
      printk("%s[%d]: out of memory for a copy-on-write page: killed\n", curproc->name, curproc->pid);
      force_signal(curproc, SIGKILL);
      return;
    }
  }
  if (tf->trapno == T_FPERR)
    fpu_clear_exceptions();
  /* #NM without an FPU (CR0.EM, kernel/nofpu.c) and x87 errors (#MF): SIGFPE, like Linux */
  int sig = tf->trapno == T_DIVIDE || tf->trapno == T_DEVICE || tf->trapno == T_FPERR ? SIGFPE
          : tf->trapno == T_ILLOP ? SIGILL : SIGSEGV;
  /* like Linux's show_unhandled_signals: say why a process dies, stay quiet if it handles it */
  struct k_sigaction *a = &curproc->sigactions[sig - 1];
  if (a->handler <= SIG_IGN || (curproc->sigblocked & (1ULL << (sig - 1)))) {
    printk("%s[%d]: %s (trap %d, err %x) at eip %08x", curproc->name, curproc->pid,
           trapname(tf->trapno), tf->trapno, tf->err, tf->eip);
    if (tf->trapno == T_PGFLT)
      printk(", address %08x", rcr2());
    printk(": signal %d\n", sig);
  }
  force_signal(curproc, sig);
}

uint32_t irq_count[16];             /* /proc/interrupts */
uint32_t syscall_count;

static void irq(int n) {
  if ((n == 7 || n == 15) && picspurious(n))   /* see picspurious() */
    return;
  irq_count[n]++;
  switch (n) {
  case IRQ_TIMER:
    ticks++;
    wakeup(&ticks);
    alarm_tick();
    run_timers();
    break;
  case IRQ_COM1:
    uartintr();
    break;
  case IRQ_ATA:
    ataintr();
    break;
  default:
    printk("unexpected IRQ %d\n", n);
  }
  piceoi(n);
}

void trap(struct trapframe *tf) {
  bool fromuser = (tf->cs & 3) == DPL_USER;
  if (fromuser)
    curproc->tf = tf;

  if (tf->trapno == T_SYSCALL) {
    syscall_count++;
    syscall(tf);
  } else if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16) {
    irq(tf->trapno - T_IRQ0);
  } else if (fromuser) {
    user_fault(tf);
  } else {
    panic_trap(tf, trapname(tf->trapno));
  }

  if (!fromuser)
    return;
  /* on the way back to ring 3: give up the CPU if the tick says so, then take signals */
  if (tf->trapno == T_IRQ0 + IRQ_TIMER)
    yield();
  do_signals(tf);
}

EXPORT_SYMBOL(ticks);
EXPORT_SYMBOL(irq_count);
EXPORT_SYMBOL(syscall_count);
