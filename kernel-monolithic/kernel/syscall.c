/* syscall.c: int $0x80 dispatch with the Linux i386 ABI: EAX = number, EBX ECX EDX ESI EDI EBP = arguments,
 * result (or -errno) back in EAX. */
#include "defs.h"
#include "proc.h"
#include "uapi/unistd_32.h"

/* handlers: kernel/sysproc.c and fs/sysfile.c */
int sys_exit(int code);
int sys_fork(void);
int sys_read(int fd, uaddr_t buf, int n);
int sys_write(int fd, uaddr_t buf, int n);
int sys_open(uaddr_t path, int flags, int mode);
int sys_close(int fd);
int sys_waitpid(int pid, uaddr_t status, int options);
int sys_execve(uaddr_t path, uaddr_t argv, uaddr_t envp);
int sys_getpid(void);
int sys_kill(int pid, int sig);
int sys_dup(int fd);
int sys_brk(uaddr_t addr);
int sys_dup2(int oldfd, int newfd);
int sys_getppid(void);
int sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, uint32_t arg);
int sys_sync(void);
int sys_fsync(int fd);
int sys_wait4(int pid, uaddr_t status, int options, uaddr_t rusage);
int sys_uname(uaddr_t buf);
int sys_sched_yield(void);
int sys_nanosleep(uaddr_t req, uaddr_t rem);
int sys_pipe(uaddr_t fds);
int sys_alarm(uint32_t seconds);
int sys_init_module(uaddr_t image, uint32_t len, uaddr_t params);
int sys_delete_module(uaddr_t name, uint32_t flags);
int sys_chdir(uaddr_t path);
int sys_unlink(uaddr_t path);
int sys_link(uaddr_t oldpath, uaddr_t newpath);
int sys_rename(uaddr_t oldpath, uaddr_t newpath);
int sys_mkdir(uaddr_t path, int mode);
int sys_rmdir(uaddr_t path);
int sys_lseek(int fd, int32_t off, int whence);
int sys_getcwd(uaddr_t buf, uint32_t size);
int sys_stat64(uaddr_t path, uaddr_t buf);
int sys_fstat64(int fd, uaddr_t buf);
int sys_getdents64(int fd, uaddr_t buf, uint32_t count);
int sys_pause(void);
int sys_rt_sigreturn(void);
int sys_rt_sigaction(int sig, uaddr_t act, uaddr_t oact, uint32_t sigsetsize);
int sys_rt_sigprocmask(int how, uaddr_t set, uaddr_t oset, uint32_t sigsetsize);

/* Every handler is called with all six argument registers; the i386 cdecl convention lets a
 * handler declare fewer (the caller pops the arguments), which is also how Linux's table works. */
typedef int (*syscall_t)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);

static const struct {
  syscall_t fn;
  const char *name;
} table[NR_SYSCALLS] = {
#define S(n, f) [__NR_##n] = {(syscall_t)f, #n}
  S(exit, sys_exit),            /* (code) */
  S(fork, sys_fork),            /* () */
  S(read, sys_read),            /* (fd, buf, count) */
  S(write, sys_write),          /* (fd, buf, count) */
  S(open, sys_open),            /* (path, flags, mode) */
  S(close, sys_close),          /* (fd) */
  S(waitpid, sys_waitpid),      /* (pid, status, options) */
  S(link, sys_link),            /* (oldpath, newpath) */
  S(unlink, sys_unlink),        /* (path) */
  S(execve, sys_execve),        /* (path, argv, envp) */
  S(chdir, sys_chdir),          /* (path) */
  S(lseek, sys_lseek),          /* (fd, offset, whence) */
  S(getpid, sys_getpid),        /* () */
  S(alarm, sys_alarm),          /* (seconds) */
  S(pause, sys_pause),          /* () */
  S(kill, sys_kill),            /* (pid, sig) */
  S(sync, sys_sync),            /* (): flushes the disk's write cache */
  S(fsync, sys_fsync),          /* (fd): see fs/sysfile.c */
  S(fdatasync, sys_fsync),      /* (fd): the same (data and metadata commit together) */
  S(rename, sys_rename),        /* (oldpath, newpath) */
  S(mkdir, sys_mkdir),          /* (path, mode) */
  S(rmdir, sys_rmdir),          /* (path) */
  S(dup, sys_dup),              /* (fd) */
  S(pipe, sys_pipe),            /* (int fds[2]) */
  S(brk, sys_brk),              /* (addr): returns the new break, or the old one on failure */
  S(dup2, sys_dup2),            /* (oldfd, newfd) */
  S(getppid, sys_getppid),      /* () */
  S(reboot, sys_reboot),        /* (magic1, magic2, cmd, arg) */
  S(wait4, sys_wait4),          /* (pid, status, options, rusage) */
  S(uname, sys_uname),          /* (struct new_utsname *) */
  S(init_module, sys_init_module),     /* (image, len, params) */
  S(delete_module, sys_delete_module), /* (name, flags) */
  S(sched_yield, sys_sched_yield), /* () */
  S(nanosleep, sys_nanosleep),  /* (req, rem) */
  S(getcwd, sys_getcwd),        /* (buf, size): returns the length with the NUL */
  S(stat64, sys_stat64),        /* (path, struct stat64 *) */
  S(lstat64, sys_stat64),       /* (path, struct stat64 *): no symbolic links yet */
  S(fstat64, sys_fstat64),      /* (fd, struct stat64 *) */
  S(getdents64, sys_getdents64), /* (fd, buf, count) */
  S(rt_sigreturn, sys_rt_sigreturn),     /* (): only from a signal frame's restorer */
  S(rt_sigaction, sys_rt_sigaction),     /* (sig, act, oact, sigsetsize = 8) */
  S(rt_sigprocmask, sys_rt_sigprocmask), /* (how, set, oset, sigsetsize = 8) */
  S(exit_group, sys_exit),      /* (code): one thread per process, so the same as exit */
#undef S
};

void syscall(struct trapframe *tf) {
  uint32_t n = tf->eax;
  if (n >= NR_SYSCALLS || !table[n].fn) {
    printk("%s[%d]: unknown system call %u\n", curproc->name, curproc->pid, n);
    tf->eax = -ENOSYS;
    return;
  }
  int r = table[n].fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp);
  if (cmdline_has("strace"))
    printk("[%d] %s(%x, %x, %x) = %d\n", curproc->pid, table[n].name, tf->ebx, tf->ecx, tf->edx, r);
  tf->eax = r;
}
