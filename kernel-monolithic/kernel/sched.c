/* sched.c: the round-robin scheduler, preemptive on the timer tick, and the switches to and from it. */
#include "defs.h"
#include "proc.h"

struct proc *proc_table(int i);
static struct context *schedctx;   /* the scheduler's own context, on the boot stack */

/* The next RUNNABLE process after the one that ran last, or 0. */
static struct proc *pick(void) {
  static int last = NPROC - 1;
  for (int k = 1; k <= NPROC; k++) {
    int i = (last + k) % NPROC;
    struct proc *p = proc_table(i);
    if (p->state == RUNNABLE) {
      last = i;
      return p;
    }
  }
  return 0;
}

void scheduler(void) {
  for (;;) {
    struct proc *p = pick();
    if (!p) {
      sti_hlt();                     /* nothing to run: sleep until an interrupt wakes someone */
      cli();
      continue;
    }
    curproc = p;
    switchuvm(p);
    p->state = RUNNING;
    fpu_restore(p);
    swtch(&schedctx, p->context);
    /* back here when p sleeps, yields or exits */
    switchkvm();
    curproc = 0;
  }
}

/* Gives the CPU back to the scheduler; curproc->state must already say why. */
void sched(void) {
  if (readeflags() & FL_IF)
    panic("sched: interrupts on");
  if (curproc->state == RUNNING)
    panic("sched: %s still RUNNING", curproc->name);
  if (*(uint32_t *)curproc->kstack != STACK_CANARY)
    panic("kernel stack overflow in %s[%d]", curproc->name, curproc->pid);
  fpu_save(curproc);
  swtch(&curproc->context, schedctx);
}

void yield(void) {
  curproc->state = RUNNABLE;
  sched();
}

/* A new process's first swtch() lands here; returning goes to trapret (see allocproc). */
void forkret(void) {
}
