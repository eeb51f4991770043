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

/* STOPPED: job control (kernel/signal.c): a stop signal's default action; SIGCONT or SIGKILL
 * makes the process RUNNABLE again */
enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE, STOPPED };

/* what a job-control change leaves for the parent's waitpid (struct proc's jobreport) */
enum { JOB_NONE, JOB_STOPPED, JOB_CONTINUED };

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
  struct inode *atdir;       /* while an *at call runs: where its relative path starts */
  char name[16];
  /* the Linux i386 ABI for glibc (kernel/tls.c, fs/sysfile.c, kernel/signal.c) */
  struct segdesc tls[NTLS];  /* set_thread_area descriptors, GDT entries 6-8 while running */
  uint32_t cloexec;          /* bit fd: close on exec (FD_CLOEXEC) */
  uint64_t saved_sigmask;    /* rt_sigsuspend: the mask to restore after the handler */
  bool restore_sigmask;
  int pgid, sid;             /* process group and session; 0 = the process's own pid */
  uaddr_t arg_start, arg_end; /* the argument strings on the user stack (/proc/<pid>/cmdline) */
  uint32_t start_ticks;      /* when it was forked (/proc/<pid>/stat) */
  char exe[MAXPATH];         /* the executable's path: what /proc/self/exe runs again */
  int jobstop;               /* the signal that stopped it (wait status while STOPPED) */
  int jobreport;             /* JOB_STOPPED or JOB_CONTINUED not yet seen by waitpid */
  uint32_t sysnr;            /* the system call in progress: restarted after a stop */
  uint8_t fpu[108];          /* x87 state (FNSAVE image) while not running, see fpu.c */
};

extern struct proc *curproc;   /* the one CPU's running process, 0 in the scheduler */
