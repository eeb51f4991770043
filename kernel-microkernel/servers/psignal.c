/* psignal.c: POSIX signals in the personality, with kernel-monolithic's semantics (its
 * kernel/signal.c): pending and blocked sets, rt_sigaction handlers run on the process's stack in
 * the same rt_sigframe, rt_sigreturn, default actions, alarm. The personality sees a process only
 * when it calls (a system call, a fault, an exception), so a signal is delivered when the process
 * is in the personality: on the reply to its call, or at once when it waits in a blocking call
 * (which then fails with EINTR). A default action that ends the process ends it when it is sent,
 * wherever the process is (its thread is deleted). */
#include "posix.h"
#include "uapi/unistd_32.h"

#define BIT(sig) (1ULL << ((sig) - 1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
/* default action "ignore"; stop signals are ignored too (no job control), as on the monolith */
#define DEFAULT_IGNORE (BIT(SIGCHLD) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGCONT) | \
                        BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
/* the EFLAGS bits a handler may change through the saved context (the kernel takes only these
 * arithmetic flags and DF from an exception reply anyway) */
#define FIX_EFLAGS 0x00000CD5
#define UCODE_SEL 0x1B                  /* the microkernel's user selectors (GDT entries 3 and 4, RPL 3) */
#define UDATA_SEL 0x23

/* Would delivering sig do nothing? Then it is dropped when sent (kept if blocked: the mask may
 * change before the action does). */
static bool ignored(struct proc *p, int sig) {
  uint32_t h = p->act[sig - 1].handler;
  if (sig == SIGKILL || (p->sigblocked & BIT(sig)))
    return false;
  return h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORE & BIT(sig)));
}

bool sig_handled(struct proc *p, int sig) {
  return p->act[sig - 1].handler > SIG_IGN && !(p->sigblocked & BIT(sig));
}

bool sig_deliverable(struct proc *p) {
  return (p->sigpending & ~p->sigblocked) != 0;
}

/* Sends sig to p: dropped if ignored; the default action "terminate" ends p now; otherwise
 * pending until p is in the personality and has it unblocked. */
int sig_send(struct proc *p, int sig) {
  if (sig < 1 || sig > NSIG)
    return -EINVAL;
  if (p->state != P_LIVE || ignored(p, sig))
    return 0;
  if (sig == SIGKILL || (p->act[sig - 1].handler == SIG_DFL && !(p->sigblocked & BIT(sig)))) {
    proc_end(p, sig);                   /* wait status: killed by sig */
    return 0;
  }
  p->sigpending |= BIT(sig);
  return 0;
}

/* A fault p cannot continue past (trap number): the signal Linux sends, with the default action
 * even when p blocks or ignores it (force_sig). Says why p dies when no handler takes it. */
int sig_fault(struct proc *p, int trap) {
  int sig = trap == 0 ? SIGFPE : trap == 6 ? SIGILL : SIGSEGV;
  struct k_sigaction *a = &p->act[sig - 1];
  if ((p->sigblocked & BIT(sig)) || a->handler == SIG_IGN) {
    a->handler = SIG_DFL;
    p->sigblocked &= ~BIT(sig);
  }
  if (a->handler == SIG_DFL) {
    static const char *const names[] = { [0] = "divide error", [6] = "invalid opcode", [13] = "general protection",
                                         [14] = "page fault" };
    if (trap == 14 && p->fault_addr)
      printf("posix: pid %d (%s): segmentation fault at %x, ip %x\n", p->pid, p->name, p->fault_addr, p->regs[1]);
    else
      printf("posix: pid %d (%s): %s (trap %u) at ip %x\n", p->pid, p->name,
             trap < 15 && names[trap] ? names[trap] : "exception", trap, p->regs[1]);
  }
  p->fault_addr = 0;
  return sig_send(p, sig);
}

/* Armed alarms: the main loop reads the clock (a system call) and times its receive out only
 * while there are some. */
static int nalarms;

static void set_alarm(struct proc *p, uint64_t at) {
  nalarms += (at != 0) - (p->alarm_at != 0);
  p->alarm_at = at;
}

bool sig_alarms(void) {
  return nalarms > 0;
}

/* p ends: its alarm goes. */
void sig_exit(struct proc *p) {
  set_alarm(p, 0);
}

void sig_fork(struct proc *c, struct proc *p) {
  memcpy(c->act, p->act, sizeof(c->act));
  c->sigblocked = p->sigblocked;
  c->sigpending = 0;
  c->alarm_at = 0;                      /* (c is new: no alarm counted) */
}

/* execve: handlers point into the old image, so they revert to the default; "ignore" stays. */
void sig_exec(struct proc *p) {
  for (int i = 0; i < NSIG; i++)
    if (p->act[i].handler != SIG_IGN)
      memset(&p->act[i], 0, sizeof(p->act[i]));
}

/* The interrupted registers (p->regs: what the reply will load) and the mask into a sigcontext. */
static void fill_sigcontext(struct sigcontext *sc, const uint32_t *r, uint64_t mask) {
  sc->gs = sc->fs = sc->es = sc->ds = sc->ss = UDATA_SEL;
  sc->cs = UCODE_SEL;
  sc->edi = r[5], sc->esi = r[6], sc->ebp = r[7], sc->esp = r[8];
  sc->ebx = r[9], sc->edx = r[10], sc->ecx = r[11], sc->eax = r[12];
  sc->trapno = r[3], sc->err = r[4], sc->eip = r[1];
  sc->eflags = r[2], sc->esp_at_signal = r[8];
  sc->oldmask = (uint32_t)mask;
}

/* Points p's registers at the handler with the frame at sp. */
static void enter_handler(uint32_t *r, uint32_t sp, int sig, const struct k_sigaction *a) {
  r[8] = sp;
  r[1] = a->handler;
  r[12] = sig;                          /* regparm(3) handlers get their arguments in registers too */
  r[2] &= ~0x400u;                      /* DF clear for the handler */
}

/* A handler without SA_SIGINFO: Linux's old struct sigframe, left by sigreturn (119). */
static int setup_sigframe(struct proc *p, int sig, struct k_sigaction *a) {
  uint32_t *r = p->regs;
  static struct sigframe f;
  memset(&f, 0, sizeof(f));
  uint32_t sp = ((r[8] - sizeof(f)) & ~15u) - 4;      /* (ESP + 4) 16-aligned at the handler */
  fill_sigcontext(&f.sc, r, p->sigblocked);
  f.extramask = (uint32_t)(p->sigblocked >> 32);
  f.sig = sig;
  static const uint8_t retcode[8] = { 0x58, 0xB8, __NR_sigreturn, 0, 0, 0, 0xCD, 0x80 };
  memcpy(f.retcode, retcode, sizeof(retcode));
  f.pretcode = (a->flags & SA_RESTORER) ? a->restorer : sp + offsetof(struct sigframe, retcode);
  if (uwrite(p, sp, &f, sizeof(f)) < 0)
    return -EFAULT;
  enter_handler(r, sp, sig, a);
  return 0;
}

/* An SA_SIGINFO handler: the rt_sigframe below p's stack pointer, the same frame as
 * kernel-monolithic's setup_frame. */
static int setup_frame(struct proc *p, int sig, struct k_sigaction *a) {
  uint32_t *r = p->regs;
  static struct rt_sigframe f;
  memset(&f, 0, sizeof(f));
  uint32_t sp = ((r[8] - sizeof(f)) & ~15u) - 4;      /* (ESP + 4) 16-aligned at the handler */
  fill_sigcontext(&f.uc.uc_mcontext, r, p->sigblocked);
  f.uc.uc_sigmask[0] = (uint32_t)p->sigblocked;
  f.uc.uc_sigmask[1] = (uint32_t)(p->sigblocked >> 32);
  f.info.si_signo = sig;
  f.info.si_code = SI_KERNEL;
  f.sig = sig;
  f.pinfo = sp + offsetof(struct rt_sigframe, info);
  f.puc = sp + offsetof(struct rt_sigframe, uc);
  static const uint8_t retcode[8] = { 0xB8, __NR_rt_sigreturn, 0, 0, 0, 0xCD, 0x80, 0 };
  memcpy(f.retcode, retcode, sizeof(retcode));
  f.pretcode = (a->flags & SA_RESTORER) ? a->restorer : sp + offsetof(struct rt_sigframe, retcode);
  if (uwrite(p, sp, &f, sizeof(f)) < 0)
    return -EFAULT;
  enter_handler(r, sp, sig, a);
  r[10] = f.pinfo;
  r[11] = f.puc;
  return 0;
}

/* Before p's registers go back to it: takes the lowest deliverable signal. A default action ends
 * p (false: no reply); a handler gets a frame, and the next signal waits for its rt_sigreturn. */
bool sig_deliver(struct proc *p) {
  while (sig_deliverable(p)) {
    uint64_t ready = p->sigpending & ~p->sigblocked;
    int sig = 1;
    while (!(ready & BIT(sig)))
      sig++;
    p->sigpending &= ~BIT(sig);
    struct k_sigaction *a = &p->act[sig - 1];
    if (sig == SIGKILL || a->handler == SIG_DFL) {
      if (sig != SIGKILL && (DEFAULT_IGNORE & BIT(sig)))
        continue;
      proc_end(p, sig);
      return false;
    }
    if (a->handler == SIG_IGN)
      continue;
    struct k_sigaction act = *a;
    int err = (act.flags & SA_SIGINFO) ? setup_frame(p, sig, &act) : setup_sigframe(p, sig, &act);
    if (err < 0) {
      printf("posix: pid %d (%s): bad stack for signal %d: killed\n", p->pid, p->name, sig);
      proc_end(p, SIGSEGV);
      return false;
    }
    p->sigblocked |= ((uint64_t)act.mask[1] << 32 | act.mask[0]) & ~UNBLOCKABLE;
    if (!(act.flags & SA_NODEFER))
      p->sigblocked |= BIT(sig) & ~UNBLOCKABLE;
    if (act.flags & SA_RESETHAND)
      a->handler = SIG_DFL;
    return true;
  }
  return true;
}

/* ---- system calls ---- */

int sys_rt_sigaction(struct proc *p, uint32_t sig, uint32_t uact, uint32_t uoact, uint32_t size) {
  struct k_sigaction act;
  if (size != 8)
    return -EINVAL;
  if (sig < 1 || sig > NSIG || ((sig == SIGKILL || sig == SIGSTOP) && uact))
    return -EINVAL;
  struct k_sigaction *a = &p->act[sig - 1];
  if (uact && uread(p, uact, &act, sizeof(act)) < 0)
    return -EFAULT;
  if (uoact && uwrite(p, uoact, a, sizeof(*a)) < 0)
    return -EFAULT;
  if (uact) {
    *a = act;
    if (act.handler == SIG_IGN)        /* POSIX: setting "ignore" discards a pending one */
      p->sigpending &= ~BIT(sig);
  }
  return 0;
}

int sys_rt_sigprocmask(struct proc *p, uint32_t how, uint32_t uset, uint32_t uoset, uint32_t size) {
  uint64_t set, old = p->sigblocked;
  if (size != 8)
    return -EINVAL;
  if (uset && uread(p, uset, &set, sizeof(set)) < 0)
    return -EFAULT;
  if (uoset && uwrite(p, uoset, &old, sizeof(old)) < 0)
    return -EFAULT;
  if (!uset)
    return 0;
  switch (how) {
  case SIG_BLOCK: p->sigblocked |= set; break;
  case SIG_UNBLOCK: p->sigblocked &= ~set; break;
  case SIG_SETMASK: p->sigblocked = set; break;
  default: return -EINVAL;
  }
  p->sigblocked &= ~UNBLOCKABLE;
  /* a pending signal whose default action terminates ends p once unblocked (sig_deliver) */
  return 0;
}

/* The interrupted registers back from a frame (only the harmless EFLAGS bits); the restored EAX. */
static int restore_sigcontext(uint32_t *r, const struct sigcontext *sc) {
  r[5] = sc->edi, r[6] = sc->esi, r[7] = sc->ebp, r[8] = sc->esp;
  r[9] = sc->ebx, r[10] = sc->edx, r[11] = sc->ecx, r[1] = sc->eip;
  r[2] = (r[2] & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
  return sc->eax;
}

/* Called by the restorer after the handler's ret popped pretcode: ESP points at frame->sig.
 * Restores the interrupted registers and the mask; returns the restored EAX. */
int sys_rt_sigreturn(struct proc *p) {
  static struct ucontext uc;
  uint32_t *r = p->regs;
  uint32_t frame = r[8] - 4;
  if (uread(p, frame + offsetof(struct rt_sigframe, uc), &uc, sizeof(uc)) < 0) {
    printf("posix: pid %d (%s): bad rt_sigreturn frame: killed\n", p->pid, p->name);
    proc_end(p, SIGSEGV);
    return BLOCKED;
  }
  p->sigblocked = ((uint64_t)uc.uc_sigmask[1] << 32 | uc.uc_sigmask[0]) & ~UNBLOCKABLE;
  return restore_sigcontext(r, &uc.uc_mcontext);
}

/* sigreturn(2) (119), from a non-SA_SIGINFO handler's restorer: it has popped pretcode and the
 * signal number, so ESP points just past frame->sig. */
int sys_sigreturn(struct proc *p) {
  static struct sigframe f;
  uint32_t *r = p->regs;
  if (uread(p, r[8] - 8, &f, sizeof(f)) < 0) {
    printf("posix: pid %d (%s): bad sigreturn frame: killed\n", p->pid, p->name);
    proc_end(p, SIGSEGV);
    return BLOCKED;
  }
  p->sigblocked = ((uint64_t)f.extramask << 32 | f.sc.oldmask) & ~UNBLOCKABLE;
  return restore_sigcontext(r, &f.sc);
}

/* alarm(2): SIGALRM after seconds (KIP clock); returns the seconds left of the previous alarm. */
int sys_alarm(struct proc *p, uint32_t seconds) {
  uint64_t now = l4_clock();
  uint32_t left = 0;
  if (p->alarm_at > now) {              /* (no 64-bit division without libgcc) */
    uint64_t us = p->alarm_at - now;
    left = us > 0xFFFFFFFFull ? (uint32_t)(us >> 20) : ((uint32_t)us + 999999) / 1000000;
  }
  set_alarm(p, seconds ? now + (uint64_t)seconds * 1000000 : 0);
  return left;
}

/* SIGALRM for every alarm that is due. */
void sig_timers(uint64_t now) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = &procs[i];
    if (p->state == P_LIVE && p->alarm_at && now >= p->alarm_at) {
      set_alarm(p, 0);
      sig_send(p, SIGALRM);
    }
  }
}
