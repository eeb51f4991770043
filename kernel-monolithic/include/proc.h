/* proc.h: the process table entry and the saved kernel context used by swtch(). */
#pragma once
#include "types.h"
#include "param.h"
#include "mmu.h"
#include "x86.h"
#include "uapi/signal.h"

/* Callee-saved registers as swtch() leaves them on a kernel stack. The caller-saved ones
 * (eax, ecx, edx) are saved by the C calling convention; esp is the context's own address. */
struct context {
  uint32_t edi, esi, ebx, ebp;
  uint32_t eip;
};

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

/* The lowest word of every kernel stack: the direct map has no guard pages (4 MiB pages), so
 * sched() checks this word instead and panics when a deep call chain has overwritten it. */
#define STACK_CANARY 0x57AC4C0D

struct proc {
  enum procstate state;
  int pid;
  struct proc *parent;
  pde_t *pgdir;              /* user half private, kernel half shared */
  uaddr_t heapstart;         /* the lowest break: end of the loaded image */
  uaddr_t brk;               /* the program break; pages are mapped up to PGROUNDUP(brk) */
  char *kstack;              /* bottom of the KSTACKSIZE kernel stack */
  struct trapframe *tf;      /* at the top of kstack: the user registers of the current trap */
  struct context *context;   /* where swtch() resumes this process */
  void *chan;                /* sleeping on chan, if SLEEPING */
  uint64_t sigpending;       /* bit sig-1: signal sig has been sent and not yet delivered */
  uint64_t sigblocked;       /* the signal mask */
  struct k_sigaction sigactions[NSIG];   /* index sig-1 */
  uint32_t alarm;            /* tick at which SIGALRM is due, 0 = none */
  int xstatus;               /* wait status for the parent, Linux encoding */
  struct file *ofile[NOFILE];
  struct inode *cwd;         /* current directory, 0 without a root file system */
  char cwdpath[MAXPATH];     /* its absolute path, for getcwd */
  char name[16];
};

extern struct proc *curproc;   /* the one CPU's running process, 0 in the scheduler */
