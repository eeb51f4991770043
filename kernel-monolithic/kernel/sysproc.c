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
  if (options & ~WNOHANG)
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
