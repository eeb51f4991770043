/* proc.c: the process table: creation (fork), termination (exit, waitpid), kill, and sleep/wakeup.
 * There are no locks: one CPU, and the kernel runs with interrupts off (see idt.c). */
#include "defs.h"
#include "module.h"
#include "proc.h"
#include "file.h"
#include "fs.h"
#include "uapi/unistd_32.h"

static struct proc proc[NPROC];
struct proc *curproc;
static struct proc *initproc;
static int nextpid = 1;

extern void trapret(void);

/* An EMBRYO with a kernel stack laid out so that swtch() to it "returns" into forkret(), which
 * returns into trapret, which pops p->tf into the user registers. The caller fills in p->tf. */
struct proc *allocproc(void) {
  struct proc *p = 0;
  for (int i = 0; i < NPROC && !p; i++)
    if (proc[i].state == UNUSED)
      p = &proc[i];
  if (!p)
    return 0;
  memset(p, 0, sizeof(*p));
  if (!(p->kstack = kallocn(KSTACKSIZE / PGSIZE)))
    return 0;
  p->state = EMBRYO;
  p->pid = nextpid++;
  fpu_initstate(p);
  *(uint32_t *)p->kstack = STACK_CANARY;
  char *sp = p->kstack + KSTACKSIZE;
  sp -= sizeof(*p->tf);
  p->tf = (struct trapframe *)sp;
  sp -= sizeof(uint32_t);
  *(uint32_t *)sp = (uint32_t)trapret;
  sp -= sizeof(*p->context);
  p->context = (struct context *)sp;
  p->context->eip = (uint32_t)forkret;
  return p;
}

static void freeproc(struct proc *p) {
  kfreepages(p->kstack, KSTACKSIZE / PGSIZE);
  if (p->pgdir)
    freevm(p->pgdir);
  memset(p, 0, sizeof(*p));             /* state = UNUSED */
}

/* The first process: runs the program named by "init=" on the command line (default /sbin/init),
 * from the root file system or else the multiboot modules, with the console on fds 0, 1, 2. */
void userinit(void) {
  static char initpath[MAXPATH] = "/sbin/init";
  cmdline_get("init", initpath, sizeof(initpath));
  struct proc *p = allocproc();
  if (!p || !(p->pgdir = setupkvm()))
    panic("userinit: out of memory");
  initproc = p;
  p->cwd = fs_root();
  safestrcpy(p->cwdpath, "/", sizeof(p->cwdpath));
  struct file *con = console_file();
  for (int fd = 0; fd < 3; fd++)
    p->ofile[fd] = fd == 0 ? con : filedup(con);
  char *argv[] = {initpath, 0};
  char *envp[] = {"HOME=/", "TERM=vt100", 0};
  curproc = p;                          /* exec works on the current process */
  int err = exec(initpath, argv, envp);
  curproc = 0;
  switchkvm();
  if (err < 0)
    panic("cannot run %s (error %d): pass it as a multiboot module", initpath, -err);
  p->state = RUNNABLE;
}

int fork(void) {
  struct proc *np = allocproc();
  if (!np)
    return -EAGAIN;
  if (!(np->pgdir = copyuvm(curproc->pgdir))) {
    freeproc(np);
    return -ENOMEM;
  }
  np->heapstart = curproc->heapstart;
  np->brk = curproc->brk;
  np->parent = curproc;
  *np->tf = *curproc->tf;
  np->tf->eax = 0;                      /* fork returns 0 in the child */
  for (int fd = 0; fd < NOFILE; fd++)
    if (curproc->ofile[fd])
      np->ofile[fd] = filedup(curproc->ofile[fd]);
  safestrcpy(np->name, curproc->name, sizeof(np->name));
  np->cwd = curproc->cwd ? idup(curproc->cwd) : 0;
  safestrcpy(np->cwdpath, curproc->cwdpath, sizeof(np->cwdpath));
  signals_fork(np, curproc);
  memmove(np->tls, curproc->tls, sizeof(np->tls));
  np->cloexec = curproc->cloexec;
  np->pgid = proc_pgid(curproc);
  np->sid = proc_sid(curproc);
  np->arg_start = curproc->arg_start;
  np->arg_end = curproc->arg_end;
  np->start_ticks = ticks;
  safestrcpy(np->exe, curproc->exe, sizeof(np->exe));
  fpu_fork(np);
  np->state = RUNNABLE;
  return np->pid;
}

/* Ends the current process with a Linux wait status ((code << 8) for exit, the signal number
 * when killed). Its memory is freed now; the parent's waitpid frees the rest. */
void exit(int wstatus) {
  struct proc *p = curproc;
  if (p == initproc)
    panic("init exited (wait status %x)", wstatus);
  for (int fd = 0; fd < NOFILE; fd++)
    if (p->ofile[fd]) {
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  iput(p->cwd);
  p->cwd = 0;
  switchkvm();                          /* we are about to free the page directory in CR3 */
  freevm(p->pgdir);
  p->pgdir = 0;
  for (int i = 0; i < NPROC; i++)
    if (proc[i].parent == p) {
      proc[i].parent = initproc;
      if (proc[i].state == ZOMBIE)
        wakeup(initproc);
    }
  p->xstatus = wstatus;
  p->state = ZOMBIE;
  p->alarm = 0;
  send_signal(p->parent, SIGCHLD);      /* ignored unless the parent has a handler */
  wakeup(p->parent);
  sched();
  panic("exit: zombie %d ran again", p->pid);
}

/* Is child p one that waitpid's pid asks for: > 0 that child, -1 any child, 0 any in the
 * caller's process group, < -1 any in group -pid? */
static bool wait_match(struct proc *p, int pid) {
  if (pid > 0)
    return p->pid == pid;
  if (pid == -1)
    return true;
  return proc_pgid(p) == (pid == 0 ? proc_pgid(curproc) : -pid);
}

/* Job control for waitpid: a stop (WUNTRACED) or continue (WCONTINUED) not yet reported, as
 * Linux encodes it ((sig << 8) | 0x7f, 0xffff), reported once; 0 when there is none. */
static int job_status(struct proc *p, int options) {
  int st = 0;
  if (p->jobreport == JOB_STOPPED && p->state == STOPPED && (options & WUNTRACED))
    st = (p->jobstop << 8) | 0x7f;
  else if (p->jobreport == JOB_CONTINUED && (options & WCONTINUED))
    st = 0xffff;
  if (st)
    p->jobreport = JOB_NONE;
  return st;
}

/* waitpid(2): reaps a child that has exited, or reports one that stopped or continued. */
int waitpid(int pid, uaddr_t ustatus, int options) {
  for (;;) {
    bool havekids = false;
    for (int i = 0; i < NPROC; i++) {
      struct proc *p = &proc[i];
      if (p->parent != curproc || p->state == UNUSED || !wait_match(p, pid))
        continue;
      havekids = true;
      int st = p->state == ZOMBIE ? 0 : job_status(p, options);
      if (st) {
        if (ustatus && put_user32(ustatus, st) < 0)
          return -EFAULT;
        return p->pid;
      }
      if (p->state != ZOMBIE)
        continue;
      if (ustatus && put_user32(ustatus, p->xstatus) < 0)
        return -EFAULT;
      int id = p->pid;
      freeproc(p);
      return id;
    }
    if (!havekids)
      return -ECHILD;
    if (options & WNOHANG)
      return 0;
    if (signal_pending(curproc))
      return -EINTR;
    sleep(curproc);                     /* a child's exit, stop or continue wakes its parent */
  }
}

/* kill(2): pid > 0 is one process, -1 every process but init and the caller (no process groups
 * yet). Signal 0 only checks that the target exists. */
int kill(int pid, int sig) {
  if (sig < 0 || sig > NSIG)
    return -EINVAL;
  int found = 0;
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &proc[i];
    if (p->state == UNUSED || p->state == EMBRYO)
      continue;
    /* pid > 0: that process; -1: all but init and the caller; 0: the caller's process group;
     * < -1: process group -pid */
    if (pid > 0 ? p->pid != pid
        : pid == -1 ? (p == initproc || p == curproc)
        : proc_pgid(p) != (pid == 0 ? proc_pgid(curproc) : -pid))
      continue;
    found++;
    /* as in Linux, init only gets the signals it has handlers for */
    if (sig == 0 || p->state == ZOMBIE || (p == initproc && p->sigactions[sig - 1].handler <= SIG_IGN))
      continue;
    send_signal(p, sig);
  }
  return found ? 0 : -ESRCH;
}

/* POSIX's orphaned process group: no member has a parent in another group of the same session,
 * so no shell is there to continue it; job control's stops (all but SIGSTOP) leave it alone. */
bool pgrp_orphaned(int pgrp) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &proc[i], *pp = p->parent;
    if (p->state == UNUSED || p->state == ZOMBIE || proc_pgid(p) != pgrp || !pp)
      continue;
    if (proc_pgid(pp) != pgrp && proc_sid(pp) == proc_sid(p))
      return false;
  }
  return true;
}

/* Sends sig to every process except init (the console's ^C until there are process groups). */
void signal_all(int sig) {
  for (int i = 0; i < NPROC; i++)
    if (proc[i].state != UNUSED && proc[i].state != ZOMBIE && proc[i].state != EMBRYO && &proc[i] != initproc)
      send_signal(&proc[i], sig);
}

/* Timer tick: deliver due alarms. */
void alarm_tick(void) {
  for (int i = 0; i < NPROC; i++)
    if (proc[i].alarm && (int32_t)(ticks - proc[i].alarm) >= 0 && proc[i].state != ZOMBIE) {
      proc[i].alarm = 0;
      send_signal(&proc[i], SIGALRM);
    }
}

/* Whether the caller may sleep: only a running process can; at boot (and in userinit, before
 * the scheduler starts) drivers poll instead. */
bool can_sleep(void) {
  return curproc && curproc->state == RUNNING;
}

/* Callers loop: "while (!condition) sleep(chan);". Safe without a lock because interrupts are
 * off in the kernel, so no wakeup can slip in between the test and the sleep. */
void sleep(void *chan) {
  curproc->chan = chan;
  curproc->state = SLEEPING;
  sched();
  curproc->chan = 0;
}

void wakeup(void *chan) {
  for (int i = 0; i < NPROC; i++)
    if (proc[i].state == SLEEPING && proc[i].chan == chan)
      proc[i].state = RUNNABLE;
}

/* Moves the program break; pages are mapped up to PGROUNDUP(brk). The heap may not grow into
 * the page below the stack (a guard gap). */
int growproc(uaddr_t newbrk) {
  struct proc *p = curproc;
  uaddr_t limit = MMAP_BASE - PGSIZE;   /* the mmap2 area starts there (mm/mmap.c) */
  if (newbrk < p->heapstart || newbrk > limit)
    return -ENOMEM;
  if (newbrk > p->brk) {
    /* growing inside the break's last page needs no new page (allocuvm refuses start > end) */
    if (PGROUNDUP(newbrk) > PGROUNDUP(p->brk) &&
        allocuvm(p->pgdir, PGROUNDUP(p->brk), newbrk, PTE_U | PTE_W) < 0) {
      deallocuvm(p->pgdir, p->brk, PGROUNDUP(newbrk));
      return -ENOMEM;
    }
  } else {
    deallocuvm(p->pgdir, newbrk, PGROUNDUP(p->brk));
  }
  p->brk = newbrk;
  return 0;
}

/* Control-P on the console: a process listing, for debugging. */
void procdump(void) {
  static const char *const states[] = {
    [UNUSED] "unused", [EMBRYO] "embryo", [SLEEPING] "sleep", [RUNNABLE] "runble",
    [RUNNING] "run", [ZOMBIE] "zombie", [STOPPED] "stop",
  };
  printk("\n");
  for (int i = 0; i < NPROC; i++)
    if (proc[i].state != UNUSED)
      printk("%d %s %s\n", proc[i].pid, states[proc[i].state], proc[i].name);
}

/* The scheduler's view of the table (sched.c). */
struct proc *proc_table(int i) {
  return i >= 0 && i < NPROC ? &proc[i] : 0;
}

EXPORT_SYMBOL(sleep);
EXPORT_SYMBOL(wakeup);
