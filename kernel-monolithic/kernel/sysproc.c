/* sysproc.c: the process system calls: argument checking and copying around proc.c and exec.c. */
#include "defs.h"
#include "fs.h"
#include "proc.h"
#include "uapi/unistd_32.h"

int sys_exit(int code) {
  exit((code & 0xFF) << 8);
}

int sys_fork(void) {
  return fork();
}

int sys_waitpid(int pid, uaddr_t status, int options) {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
    return -EINVAL;
  return waitpid(pid, status, options);
}

int sys_wait4(int pid, uaddr_t status, int options, uaddr_t rusage) {
  (void)rusage;                         /* no resource accounting yet */
  return sys_waitpid(pid, status, options);
}

int sys_getpid(void) {
  return curproc->pid;
}

int sys_getppid(void) {
  return curproc->parent ? curproc->parent->pid : 0;
}

int sys_kill(int pid, int sig) {
  return kill(pid, sig);
}

int sys_sched_yield(void) {
  yield();
  return 0;
}

/* brk(2) as the kernel implements it (not as libc wraps it): brk(0) or an impossible request
 * returns the current break; success returns the new one. */
int sys_brk(uaddr_t addr) {
  if (addr != 0)
    growproc(addr);
  return curproc->brk;
}

int sys_nanosleep(uaddr_t ureq, uaddr_t urem) {
  struct { int32_t sec, nsec; } req;
  if (copyin(curproc->pgdir, &req, ureq, sizeof(req)) < 0)
    return -EFAULT;
  if (req.sec < 0 || req.nsec < 0 || req.nsec >= 1000000000)
    return -EINVAL;
  const int32_t nsec_per_tick = 1000000000 / HZ;
  uint32_t n = req.sec > 1000000 ? 1000000u * HZ
             : req.sec * HZ + (req.nsec + nsec_per_tick - 1) / nsec_per_tick;
  uint32_t start = ticks;
  while (ticks - start < n) {
    if (signal_pending(curproc)) {
      uint32_t left = n - (ticks - start);
      struct { int32_t sec, nsec; } rem = {left / HZ, (left % HZ) * nsec_per_tick};
      if (urem)
        copyout(curproc->pgdir, urem, &rem, sizeof(rem));
      return -EINTR;
    }
    sleep(&ticks);
  }
  return 0;
}

/* reboot(2): power-off (and restart, which we also treat as the end of the run) go out of the
 * debug exit port. For power-off, the fourth argument (which Linux ignores for this command) is
 * the run's exit status, 0-255: `poweroff N` makes the guest's verdict the emulator's exit status. */
int sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, uint32_t arg) {
  if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
    return -EINVAL;
  if (cmd != LINUX_REBOOT_CMD_POWER_OFF && cmd != LINUX_REBOOT_CMD_RESTART)
    return -EINVAL;
  /* the machine has no reset line the kernel drives: a restart also ends the run through the
   * exit port, with status 0, and the next boot starts from the same disk */
  int status = cmd == LINUX_REBOOT_CMD_POWER_OFF ? (int)(arg & 0xFF) : 0;
  if (cmd == LINUX_REBOOT_CMD_RESTART)
    printk("reboot: restarting system\n");
  else if (status == 0)
    printk("reboot: power down\n");
  else
    printk("reboot: power down, exit status %d\n", status);
  poweroff(status);
}

/* sync(2): every file-system change is on the disk when its system call returns (written
 * through, and on ext3 committed to the journal); this flushes the disk's write cache. */
int sys_sync(void) {
  fs_sync();
  return 0;
}

/* struct new_utsname: six 65-byte strings */
int sys_uname(uaddr_t buf) {
  static const char *const fields[6] = {
    "jx86", "jx86", "0.1-kernel-monolithic", "#1", "i386", "(none)",
  };
  char u[6][65];
  memset(u, 0, sizeof(u));
  for (int i = 0; i < 6; i++)
    safestrcpy(u[i], fields[i], 65);
  return copyout(curproc->pgdir, buf, u, sizeof(u));
}

/* Copies a user argv/envp vector into kernel strings packed in 'buf'; returns the count or -errno. */
static int fetchvec(uaddr_t uvec, char **vec, char *buf, int *used) {
  int n = 0;
  for (; uvec; n++) {
    uint32_t up;
    if (n == MAXARG)
      return -E2BIG;
    if (get_user32(&up, uvec + 4 * n) < 0)
      return -EFAULT;
    if (!up)
      break;
    int len = copyinstr(curproc->pgdir, buf + *used, up, MAXARGLEN - *used);
    if (len < 0)
      return len == -ENAMETOOLONG ? -E2BIG : len;
    vec[n] = buf + *used;
    *used += len + 1;
  }
  vec[n] = 0;
  return n;
}

int sys_execve(uaddr_t upath, uaddr_t uargv, uaddr_t uenvp) {
  char path[MAXPATH];
  char *argv[MAXARG + 1], *envp[MAXARG + 1];
  int r = copyinstr(curproc->pgdir, path, upath, sizeof(path));
  if (r < 0)
    return r;
  char *strings = kmalloc(MAXARGLEN);
  if (!strings)
    return -ENOMEM;
  int used = 0;
  if ((r = fetchvec(uargv, argv, strings, &used)) >= 0 &&
      (r = fetchvec(uenvp, envp, strings, &used)) >= 0)
    r = exec(path, argv, envp);
  kfree(strings);
  return r;
}

/* ---- clone, vfork, process groups and sessions (the Linux i386 ABI glibc uses) ---- */

#define CLONE_VM             0x00000100
#define CLONE_VFORK          0x00004000
#define CLONE_THREAD         0x00010000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000

struct proc *proc_table(int i);

static struct proc *findproc(int pid) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if (p->state != UNUSED && p->pid == pid)
      return p;
  }
  return 0;
}

int proc_pgid(struct proc *p) {
  return p->pgid ? p->pgid : p->pid;
}

int proc_sid(struct proc *p) {
  return p->sid ? p->sid : p->pid;
}

/* clone(flags, newsp, parent_tid, tls, child_tid): a new process, never a thread. glibc's fork
 * (CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD) and vfork/posix_spawn (CLONE_VM|CLONE_VFORK)
 * are served by fork's copy-on-write copy: a vfork child that writes its parent's memory
 * writes its own copy instead, which POSIX allows. Threads (CLONE_THREAD, or CLONE_VM without
 * CLONE_VFORK) are -EINVAL. CLONE_CHILD_CLEARTID is accepted and ignored: it only matters to
 * threads sharing the memory, and the process's memory is gone when it exits. */
int sys_clone(uint32_t flags, uaddr_t newsp, uaddr_t ptid, uaddr_t tls, uaddr_t ctid) {
  if ((flags & CLONE_THREAD) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))
    return -EINVAL;
  int pid = fork();
  if (pid < 0)
    return pid;
  struct proc *child = findproc(pid);
  if (newsp)
    child->tf->esp = newsp;
  if ((flags & CLONE_SETTLS) && tls_set(child, tls) < 0)
    printk("%s[%d]: clone: bad CLONE_SETTLS descriptor ignored\n", curproc->name, curproc->pid);
  if (flags & CLONE_PARENT_SETTID)        /* both copies see it, as with shared memory */
    copyout(curproc->pgdir, ptid, &pid, sizeof(pid));
  if (flags & CLONE_CHILD_SETTID) {       /* only the child's copy: take it private first */
    cow_fault(child->pgdir, ctid);
    copyout(child->pgdir, ctid, &pid, sizeof(pid));
  }
  return pid;
}

int sys_vfork(void) {
  return fork();                          /* see sys_clone */
}

/* set_tid_address(2): returns the caller's thread id (its pid); the address is not used */
int sys_set_tid_address(uaddr_t tidptr) {
  (void)tidptr;
  return curproc->pid;
}

int sys_getpgid(int pid) {
  struct proc *p = pid == 0 ? curproc : findproc(pid);
  return p ? proc_pgid(p) : -ESRCH;
}

int sys_getpgrp(void) {
  return proc_pgid(curproc);
}

int sys_getsid(int pid) {
  struct proc *p = pid == 0 ? curproc : findproc(pid);
  return p ? proc_sid(p) : -ESRCH;
}

/* setpgid(2): the caller or one of its children joins (or starts) a group in its session */
int sys_setpgid(int pid, int pgid) {
  struct proc *p = pid == 0 ? curproc : findproc(pid);
  if (!p || (p != curproc && p->parent != curproc))
    return -ESRCH;
  if (pgid < 0)
    return -EINVAL;
  if (proc_sid(p) != proc_sid(curproc) || proc_sid(p) == p->pid)
    return -EPERM;                        /* another session, or a session leader */
  p->pgid = pgid == 0 ? p->pid : pgid;
  return 0;
}

int sys_setsid(void) {
  struct proc *p = curproc;
  if (proc_pgid(p) == p->pid)
    return -EPERM;                        /* already a group leader */
  p->sid = p->pgid = p->pid;
  return p->pid;
}

/* prctl(2): only the process name (PR_SET_NAME 15, PR_GET_NAME 16; 16 bytes with the NUL) */
int sys_prctl(int option, uaddr_t arg2) {
  char name[16];
  switch (option) {
  case 15:
    if (copyin(curproc->pgdir, name, arg2, sizeof(name)) < 0)
      return -EFAULT;
    name[15] = 0;
    safestrcpy(curproc->name, name, sizeof(curproc->name));
    return 0;
  case 16:
    return copyout(curproc->pgdir, arg2, curproc->name, sizeof(curproc->name)) < 0 ? -EFAULT : 0;
  default:
    return -EINVAL;
  }
}

/* gettid(2), tkill(2), tgkill(2): one thread per process, so the thread id is the pid (glibc's
 * raise() is tgkill(getpid(), gettid(), sig)) */
int sys_gettid(void) {
  return curproc->pid;
}

int sys_tkill(int tid, int sig) {
  return tid <= 0 ? -EINVAL : kill(tid, sig);
}

int sys_tgkill(int tgid, int tid, int sig) {
  if (tgid <= 0 || tid <= 0)
    return -EINVAL;
  return tgid != tid ? -ESRCH : kill(tid, sig);
}
