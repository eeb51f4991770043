/* signal.c: POSIX signals with Linux i386 semantics: pending and blocked sets, rt_sigaction handlers
 * run on the user stack in an rt_sigframe, rt_sigreturn, and the default actions, including
 * job control's stop and continue. */
#include "defs.h"
#include "proc.h"
#include "traps.h"
#include "uapi/signal.h"
#include "uapi/unistd_32.h"

#define BIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define DEFAULT_IGNORE (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT))
/* default action "stop" (job control) */
#define STOP_SIGNALS (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
/* the EFLAGS bits a handler may change through the saved context (CF PF AF ZF SF TF DF OF RF AC) */
#define FIX_EFLAGS 0x00050DD5

bool signal_pending(struct proc *p) {
  return (p->sigpending & ~p->sigblocked) != 0;
}

/* Would delivering sig do nothing? Then it is dropped when sent (Linux's sig_ignored), so an
 * ignored SIGCHLD cannot interrupt a sleeping waitpid. A blocked signal is kept: the mask may
 * change before the action does. */
static bool ignored(struct proc *p, int sig) {
  uint32_t h = p->sigactions[sig - 1].handler;
  if (sig == SIGKILL || (p->sigblocked & BIT(sig)))
    return false;
  return h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORE & BIT(sig)));
}

/* A child stopped or continued: the parent gets SIGCHLD (unless its SIGCHLD action says
 * SA_NOCLDSTOP) and its waitpid wakes to look (WUNTRACED, WCONTINUED). */
static void notify_parent(struct proc *p) {
  struct proc *pp = p->parent;
  if (!pp)
    return;
  if (!(pp->sigactions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
    send_signal(pp, SIGCHLD);
  wakeup(pp);
}

/* SIGCONT continues a stopped process whatever its action, even blocked or ignored (POSIX), and
 * cancels the stop signals still pending; a stop signal cancels a pending SIGCONT. */
static void job_control_on_send(struct proc *p, int sig) {
  if (sig == SIGCONT) {
    p->sigpending &= ~STOP_SIGNALS;
    if (p->state == STOPPED) {
      p->state = RUNNABLE;
      p->jobreport = JOB_CONTINUED;
      notify_parent(p);
    }
  } else if (BIT(sig) & STOP_SIGNALS) {
    p->sigpending &= ~BIT(SIGCONT);
  }
}

/* Marks sig pending and wakes p if it sleeps and may take it. Returns 0 or -EINVAL. */
int send_signal(struct proc *p, int sig) {
  if (sig < 1 || sig > NSIG)
    return -EINVAL;
  job_control_on_send(p, sig);
  if (ignored(p, sig))
    return 0;
  p->sigpending |= BIT(sig);
  if (p->state == SLEEPING && (BIT(sig) & ~p->sigblocked))
    p->state = RUNNABLE;              /* every sleep loop re-checks its condition and signals */
  if (p->state == STOPPED && sig == SIGKILL)
    p->state = RUNNABLE;              /* SIGKILL ends even a stopped process */
  return 0;
}

/* Whether sig, with its default action, would stop p (SIGTTIN from a background read). */
bool signal_would_stop(struct proc *p, int sig) {
  return (STOP_SIGNALS & BIT(sig)) && !(p->sigblocked & BIT(sig)) &&
         p->sigactions[sig - 1].handler != SIG_IGN;
}

/* A fault the process cannot continue past: if it blocks or ignores sig, it gets the default
 * action anyway (Linux's force_sig). */
void force_signal(struct proc *p, int sig) {
  struct k_sigaction *a = &p->sigactions[sig - 1];
  if ((p->sigblocked & BIT(sig)) || a->handler == SIG_IGN) {
    a->handler = SIG_DFL;
    p->sigblocked &= ~BIT(sig);
  }
  send_signal(p, sig);
}

void signals_fork(struct proc *child, struct proc *parent) {
  memmove(child->sigactions, parent->sigactions, sizeof(child->sigactions));
  child->sigblocked = parent->sigblocked;
  child->sigpending = 0;
}

/* execve: handlers point into the old image, so they revert to the default; "ignore" stays. */
void signals_exec(struct proc *p) {
  for (int i = 0; i < NSIG; i++)
    if (p->sigactions[i].handler != SIG_IGN)
      memset(&p->sigactions[i], 0, sizeof(p->sigactions[i]));
}

static void fill_sigcontext(struct sigcontext *sc, struct trapframe *tf, uint64_t mask) {
  sc->gs = tf->gs, sc->fs = tf->fs, sc->es = tf->es, sc->ds = tf->ds;
  sc->edi = tf->edi, sc->esi = tf->esi, sc->ebp = tf->ebp, sc->esp = tf->esp;
  sc->ebx = tf->ebx, sc->edx = tf->edx, sc->ecx = tf->ecx, sc->eax = tf->eax;
  sc->trapno = tf->trapno, sc->err = tf->err, sc->eip = tf->eip, sc->cs = tf->cs;
  sc->eflags = tf->eflags, sc->esp_at_signal = tf->esp, sc->ss = tf->ss;
  sc->oldmask = (uint32_t)mask;
}

/* The mask the handler's return restores: after rt_sigsuspend, the one from before it. */
static uint64_t saved_mask(struct proc *p) {
  return p->restore_sigmask ? p->saved_sigmask : p->sigblocked;
}

/* Points the trap frame at the handler, with its stack at sp. %fs and %gs stay as they are:
 * they hold the thread-local-storage selector (set_thread_area), which the handler needs too. */
static void enter_handler(struct trapframe *tf, uaddr_t sp, int sig, struct k_sigaction *a) {
  tf->esp = sp;
  tf->eip = a->handler;
  tf->eax = sig;                      /* regparm(3) handlers get their arguments in registers too */
  tf->eflags &= ~(0x100 | 0x400);     /* clear TF and DF for the handler */
  tf->cs = UCODE_SEL;
  tf->ds = tf->es = tf->ss = UDATA_SEL;
}

/* A handler without SA_SIGINFO gets Linux's old struct sigframe (uapi/signal.h). */
static int setup_sigframe(struct proc *p, struct trapframe *tf, int sig, struct k_sigaction *a) {
  struct sigframe f;
  memset(&f, 0, sizeof(f));
  uaddr_t sp = ((tf->esp - sizeof(f)) & ~15u) - 4;
  uint64_t mask = saved_mask(p);
  fill_sigcontext(&f.sc, tf, mask);
  f.extramask = (uint32_t)(mask >> 32);
  f.sig = sig;
  static const uint8_t retcode[8] = {0x58, 0xB8, __NR_sigreturn, 0, 0, 0, 0xCD, 0x80};
  memmove(f.retcode, retcode, sizeof(retcode));
  f.pretcode = (a->flags & SA_RESTORER) ? a->restorer : sp + offsetof(struct sigframe, retcode);
  if (copyout(p->pgdir, sp, &f, sizeof(f)) < 0)
    return -EFAULT;
  enter_handler(tf, sp, sig, a);
  return 0;
}

/* Builds an rt_sigframe below the interrupted ESP and points the trap frame at the handler. */
static int setup_frame(struct proc *p, struct trapframe *tf, int sig, struct k_sigaction *a) {
  struct rt_sigframe f;
  memset(&f, 0, sizeof(f));
  /* the ABI wants (ESP + 4) 16-aligned at the handler's first instruction */
  uaddr_t sp = ((tf->esp - sizeof(f)) & ~15u) - 4;
  uint64_t mask = saved_mask(p);
  fill_sigcontext(&f.uc.uc_mcontext, tf, mask);
  f.uc.uc_sigmask[0] = (uint32_t)mask;
  f.uc.uc_sigmask[1] = (uint32_t)(mask >> 32);
  f.info.si_signo = sig;
  f.info.si_code = SI_KERNEL;
  f.sig = sig;
  f.pinfo = sp + offsetof(struct rt_sigframe, info);
  f.puc = sp + offsetof(struct rt_sigframe, uc);
  static const uint8_t retcode[8] = {0xB8, __NR_rt_sigreturn, 0, 0, 0, 0xCD, 0x80, 0};
  memmove(f.retcode, retcode, sizeof(retcode));
  f.pretcode = (a->flags & SA_RESTORER) ? a->restorer : sp + offsetof(struct rt_sigframe, retcode);
  if (copyout(p->pgdir, sp, &f, sizeof(f)) < 0)
    return -EFAULT;
  enter_handler(tf, sp, sig, a);
  tf->edx = f.pinfo;
  tf->ecx = f.puc;
  return 0;
}

/* A stop signal's default action: the process stops here, on its way back to ring 3 (so it holds
 * nothing in the kernel), until SIGCONT or SIGKILL makes it runnable (send_signal). */
static void job_stop(struct proc *p, int sig) {
  p->jobstop = sig;
  p->jobreport = JOB_STOPPED;
  p->state = STOPPED;
  notify_parent(p);
  sched();
}

/* A system call that a stop interrupted (-EINTR) starts again once the process continues, as
 * Linux restarts a call when no handler ran: back over the 2-byte int $0x80 with the call's
 * number in EAX. (A restarted nanosleep sleeps its whole time again.) */
static void restart_syscall(struct proc *p, struct trapframe *tf) {
  if (tf->trapno == T_SYSCALL && (int32_t)tf->eax == -EINTR) {
    tf->eax = p->sysnr;
    tf->eip -= 2;
  }
}

/* On every return to ring 3: take the lowest deliverable signal. Default actions end or stop the
 * process here; a handler gets a frame, and the next one waits for its rt_sigreturn. */
void do_signals(struct trapframe *tf) {
  struct proc *p = curproc;
  bool stopped = false;
  while (signal_pending(p)) {
    uint64_t ready = p->sigpending & ~p->sigblocked;
    int sig = 1;
    while (!(ready & BIT(sig)))
      sig++;
    p->sigpending &= ~BIT(sig);
    struct k_sigaction *a = &p->sigactions[sig - 1];
    if (sig == SIGKILL || a->handler == SIG_DFL) {
      if (sig != SIGKILL && (STOP_SIGNALS & BIT(sig))) {
        if ((sig != SIGSTOP && pgrp_orphaned(proc_pgid(p))) || p->pid == 1)
          continue;                   /* as Linux: nobody would continue it; init never stops */
        job_stop(p, sig);
        stopped = true;
        continue;
      }
      if (sig != SIGKILL && (DEFAULT_IGNORE & BIT(sig)))
        continue;
      exit(sig);                      /* wait status: killed by sig */
    }
    if (a->handler == SIG_IGN)
      continue;
    struct k_sigaction act = *a;
    int r = (act.flags & SA_SIGINFO) ? setup_frame(p, tf, sig, &act) : setup_sigframe(p, tf, sig, &act);
    p->restore_sigmask = false;
    if (r < 0) {
      printk("%s[%d]: bad stack for signal %d: killed\n", p->name, p->pid, sig);
      exit(SIGSEGV);
    }
    p->sigblocked |= ((uint64_t)act.mask[1] << 32 | act.mask[0]) & ~UNBLOCKABLE;
    if (!(act.flags & SA_NODEFER))
      p->sigblocked |= BIT(sig) & ~UNBLOCKABLE;
    if (act.flags & SA_RESETHAND)
      a->handler = SIG_DFL;
    return;
  }
  if (p->restore_sigmask) {           /* rt_sigsuspend woke for a signal no handler took */
    p->sigblocked = p->saved_sigmask;
    p->restore_sigmask = false;
  }
  if (stopped)
    restart_syscall(p, tf);
}

/* ---- system calls ---- */

int sys_rt_sigaction(int sig, uaddr_t uact, uaddr_t uoact, uint32_t sigsetsize) {
  struct k_sigaction act;
  if (sigsetsize != 8)
    return -EINVAL;
  if (sig < 1 || sig > NSIG || ((sig == SIGKILL || sig == SIGSTOP) && uact))
    return -EINVAL;
  struct k_sigaction *a = &curproc->sigactions[sig - 1];
  if (uact && copyin(curproc->pgdir, &act, uact, sizeof(act)) < 0)
    return -EFAULT;
  if (uoact && copyout(curproc->pgdir, uoact, a, sizeof(*a)) < 0)
    return -EFAULT;
  if (uact) {
    *a = act;
    if (act.handler == SIG_IGN)       /* POSIX: setting "ignore" discards a pending one */
      curproc->sigpending &= ~BIT(sig);
  }
  return 0;
}

int sys_rt_sigprocmask(int how, uaddr_t uset, uaddr_t uoset, uint32_t sigsetsize) {
  uint64_t set;
  if (sigsetsize != 8)
    return -EINVAL;
  uint64_t old = curproc->sigblocked;
  if (uset && copyin(curproc->pgdir, &set, uset, sizeof(set)) < 0)
    return -EFAULT;
  if (uoset && copyout(curproc->pgdir, uoset, &old, sizeof(old)) < 0)
    return -EFAULT;
  if (!uset)
    return 0;
  switch (how) {
  case SIG_BLOCK: curproc->sigblocked |= set; break;
  case SIG_UNBLOCK: curproc->sigblocked &= ~set; break;
  case SIG_SETMASK: curproc->sigblocked = set; break;
  default: return -EINVAL;
  }
  curproc->sigblocked &= ~UNBLOCKABLE;
  return 0;
}

/* Restores the interrupted registers from sc, with user selectors and only the harmless EFLAGS
 * bits; %fs and %gs stay (see enter_handler). Returns the restored EAX, which syscall() puts
 * back in place. */
static int restore_sigcontext(struct trapframe *tf, const struct sigcontext *sc) {
  tf->edi = sc->edi, tf->esi = sc->esi, tf->ebp = sc->ebp, tf->esp = sc->esp;
  tf->ebx = sc->ebx, tf->edx = sc->edx, tf->ecx = sc->ecx, tf->eip = sc->eip;
  tf->eflags = (tf->eflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
  tf->cs = UCODE_SEL;
  tf->ds = tf->es = tf->ss = UDATA_SEL;
  return sc->eax;
}

/* Called by the restorer after the handler's "ret" popped pretcode: ESP points at frame->sig.
 * Restores the interrupted registers (with user selectors and only the harmless EFLAGS bits)
 * and the signal mask. Returns the restored EAX, which syscall() puts back in place. */
int sys_rt_sigreturn(void) {
  struct proc *p = curproc;
  struct trapframe *tf = p->tf;
  struct ucontext uc;
  uaddr_t frame = tf->esp - 4;
  if (copyin(p->pgdir, &uc, frame + offsetof(struct rt_sigframe, uc), sizeof(uc)) < 0) {
    printk("%s[%d]: bad rt_sigreturn frame: killed\n", p->name, p->pid);
    exit(SIGSEGV);
  }
  p->sigblocked = ((uint64_t)uc.uc_sigmask[1] << 32 | uc.uc_sigmask[0]) & ~UNBLOCKABLE;
  return restore_sigcontext(tf, &uc.uc_mcontext);
}

/* sigreturn(2) (119), from a non-SA_SIGINFO handler's restorer: it has popped pretcode and
 * the signal number, so ESP points just past frame->sig. */
int sys_sigreturn(void) {
  struct proc *p = curproc;
  struct trapframe *tf = p->tf;
  struct sigframe f;
  if (copyin(p->pgdir, &f, tf->esp - 8, sizeof(f)) < 0) {
    printk("%s[%d]: bad sigreturn frame: killed\n", p->name, p->pid);
    exit(SIGSEGV);
  }
  p->sigblocked = ((uint64_t)f.extramask << 32 | f.sc.oldmask) & ~UNBLOCKABLE;
  return restore_sigcontext(tf, &f.sc);
}

/* rt_sigsuspend(2): wait for a signal with a temporary mask; the handler returns to the old
 * mask (saved_mask), and without a handler do_signals restores it. Always -EINTR. */
int sys_rt_sigsuspend(uaddr_t umask, uint32_t sigsetsize) {
  struct proc *p = curproc;
  uint64_t mask;
  if (sigsetsize != 8)
    return -EINVAL;
  if (copyin(p->pgdir, &mask, umask, sizeof(mask)) < 0)
    return -EFAULT;
  p->saved_sigmask = p->sigblocked;
  p->restore_sigmask = true;
  p->sigblocked = mask & ~UNBLOCKABLE;
  while (!signal_pending(p))
    sleep(&p->sigpending);
  return -EINTR;
}

/* pause(2): sleep until a signal is delivered; always -EINTR */
int sys_pause(void) {
  while (!signal_pending(curproc))
    sleep(&curproc->sigpending);
  return -EINTR;
}

/* alarm(2): SIGALRM after 'seconds'; returns the seconds left of the previous alarm */
int sys_alarm(uint32_t seconds) {
  uint32_t left = curproc->alarm ? (curproc->alarm - ticks + HZ - 1) / HZ : 0;
  curproc->alarm = seconds ? ticks + seconds * HZ : 0;
  if (curproc->alarm == 0 && seconds)
    curproc->alarm = 1;               /* 0 means "none" */
  return left;
}
