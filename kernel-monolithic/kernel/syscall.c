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

/* the Linux i386 ABI for glibc: kernel/tls.c, kernel/random.c, kernel/systime.c,
 * kernel/sysproc.c, kernel/signal.c, mm/mmap.c, fs/sysfile.c, drivers/tty.c */
int sys_set_thread_area(uaddr_t uinfo);
int sys_get_thread_area(uaddr_t uinfo);
int sys_getrandom(uaddr_t buf, uint32_t count, uint32_t flags);
int sys_clock_gettime(int id, uaddr_t ts);
int sys_clock_gettime64(int id, uaddr_t ts);
int sys_clock_getres(int id, uaddr_t ts);
int sys_clock_nanosleep(int id, int flags, uaddr_t req, uaddr_t rem);
int sys_gettimeofday(uaddr_t tv, uaddr_t tz);
int sys_time(uaddr_t t);
int sys_sysinfo(uaddr_t info);
int sys_getuid(void);
int sys_setuid(uint32_t id);
int sys_getresuid(uaddr_t r, uaddr_t e, uaddr_t s);
int sys_getgroups(int size, uaddr_t list);
int sys_umask(uint32_t mask);
int sys_ugetrlimit(int res, uaddr_t rlim);
int sys_prlimit64(int pid, int res, uaddr_t newlim, uaddr_t oldlim);
int sys_clone(uint32_t flags, uaddr_t newsp, uaddr_t ptid, uaddr_t tls, uaddr_t ctid);
int sys_vfork(void);
int sys_set_tid_address(uaddr_t tidptr);
int sys_getpgid(int pid);
int sys_getpgrp(void);
int sys_getsid(int pid);
int sys_setpgid(int pid, int pgid);
int sys_setsid(void);
int sys_sigreturn(void);
int sys_rt_sigsuspend(uaddr_t mask, uint32_t sigsetsize);
int sys_mmap2(uaddr_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff);
int sys_old_mmap(uaddr_t args);
int sys_munmap(uaddr_t addr, uint32_t len);
int sys_mprotect(uaddr_t addr, uint32_t len, int prot);
int sys_readv(int fd, uaddr_t iov, int iovcnt);
int sys_writev(int fd, uaddr_t iov, int iovcnt);
int sys_openat(int dirfd, uaddr_t path, int flags, int mode);
int sys_ftruncate(int fd, int32_t len);
int sys_mkdirat(int dirfd, uaddr_t path, int mode);
int sys_unlinkat(int dirfd, uaddr_t path, int flags);
int sys_ftruncate64(int fd, uint32_t lenlo, uint32_t lenhi);
int sys_fstatat64(int dirfd, uaddr_t path, uaddr_t buf, int flags);
int sys_access(uaddr_t path, int mode);
int sys_faccessat(int dirfd, uaddr_t path, int mode);
int sys_pipe2(uaddr_t fds, int flags);
int sys_dup3(int oldfd, int newfd, int flags);
int sys_llseek(int fd, uint32_t high, uint32_t low, uaddr_t result, int whence);
int sys_fcntl64(int fd, int cmd, uint32_t arg);
int sys_ioctl(int fd, uint32_t cmd, uaddr_t arg);
int sys_readlink(uaddr_t path, uaddr_t buf, int size);
int sys_prctl(int option, uaddr_t arg2);
int sys_poll(uaddr_t fds, uint32_t nfds, int timeout);
int sys_gettid(void);
int sys_tkill(int tid, int sig);
int sys_tgkill(int tgid, int tid, int sig);
int sys_statfs64(uaddr_t path, uint32_t size, uaddr_t buf);
int sys_fstatfs64(int fd, uint32_t size, uaddr_t buf);

/* set_robust_list(2): the robust-futex list only matters to threads; accepted */
static int sys_set_robust_list(void) { return 0; }
/* -ENOSYS on purpose, quietly: glibc tries these first and falls back (statx to fstatat64,
 * the _time64 calls to their 32-bit forms) or does without (rseq) */
static int sys_enosys(void) { return -ENOSYS; }

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
  S(readlink, sys_readlink),    /* (path, buf, size): no symbolic links: -EINVAL or -ENOENT */
  S(poll, sys_poll),            /* (fds, nfds, timeout_ms): pipes and the console; files always ready */
  S(prctl, sys_prctl),          /* (option, arg2): PR_SET_NAME and PR_GET_NAME */
  S(time, sys_time),            /* (time_t *) */
  S(setuid, sys_setuid),        /* (uid): everyone is root; only 0 succeeds */
  S(getuid, sys_getuid),        /* () = 0 */
  S(access, sys_access),        /* (path, mode) */
  S(setgid, sys_setuid),        /* (gid) */
  S(getgid, sys_getuid),        /* () = 0 */
  S(geteuid, sys_getuid),       /* () = 0 */
  S(getegid, sys_getuid),       /* () = 0 */
  S(ioctl, sys_ioctl),          /* (fd, cmd, arg): the console's termios, window size, pgrp */
  S(fcntl, sys_fcntl64),        /* (fd, cmd, arg) */
  S(setpgid, sys_setpgid),      /* (pid, pgid) */
  S(umask, sys_umask),          /* (mask) */
  S(getpgrp, sys_getpgrp),      /* () */
  S(setsid, sys_setsid),        /* () */
  S(gettimeofday, sys_gettimeofday), /* (tv, tz) */
  S(getgroups, sys_getgroups),  /* (size, list) = 0 */
  S(mmap, sys_old_mmap),        /* (struct mmap_arg_struct *) */
  S(munmap, sys_munmap),        /* (addr, len) */
  S(sysinfo, sys_sysinfo),      /* (struct sysinfo *) */
  S(sigreturn, sys_sigreturn),  /* (): from a non-SA_SIGINFO handler's restorer */
  S(clone, sys_clone),          /* (flags, newsp, ptid, tls, ctid): processes only */
  S(mprotect, sys_mprotect),    /* (addr, len, prot) */
  S(getpgid, sys_getpgid),      /* (pid) */
  S(_llseek, sys_llseek),       /* (fd, high, low, loff_t *result, whence) */
  S(readv, sys_readv),          /* (fd, iov, iovcnt) */
  S(writev, sys_writev),        /* (fd, iov, iovcnt) */
  S(getsid, sys_getsid),        /* (pid) */
  S(getresuid, sys_getresuid),  /* (r, e, s) */
  S(getresgid, sys_getresuid),  /* (r, e, s) */
  S(rt_sigsuspend, sys_rt_sigsuspend), /* (mask, sigsetsize = 8) */
  S(vfork, sys_vfork),          /* (): fork (see kernel/sysproc.c) */
  S(ugetrlimit, sys_ugetrlimit), /* (resource, rlimit *) */
  S(mmap2, sys_mmap2),          /* (addr, len, prot, flags, fd, pgoff) */
  S(ftruncate, sys_ftruncate),  /* (fd, len) */
  S(ftruncate64, sys_ftruncate64), /* (fd, len low, len high) */
  S(getuid32, sys_getuid),
  S(getgid32, sys_getuid),
  S(geteuid32, sys_getuid),
  S(getegid32, sys_getuid),
  S(getgroups32, sys_getgroups),
  S(getresuid32, sys_getresuid),
  S(getresgid32, sys_getresuid),
  S(setuid32, sys_setuid),
  S(setgid32, sys_setuid),
  S(fcntl64, sys_fcntl64),      /* (fd, cmd, arg) */
  S(set_thread_area, sys_set_thread_area), /* (struct user_desc *) */
  S(get_thread_area, sys_get_thread_area), /* (struct user_desc *) */
  S(set_tid_address, sys_set_tid_address), /* (tidptr) = pid */
  S(clock_gettime, sys_clock_gettime),     /* (clock, timespec *) */
  S(clock_getres, sys_clock_getres),       /* (clock, timespec *) */
  S(clock_nanosleep, sys_clock_nanosleep), /* (clock, flags, req, rem) */
  S(openat, sys_openat),        /* (dirfd, path, flags, mode) */
  S(fstatat64, sys_fstatat64),  /* (dirfd, path, stat64 *, flags) */
  S(mkdirat, sys_mkdirat),      /* (dirfd, path, mode) */
  S(unlinkat, sys_unlinkat),    /* (dirfd, path, flags): AT_REMOVEDIR */
  S(faccessat, sys_faccessat),  /* (dirfd, path, mode) */
  S(set_robust_list, sys_set_robust_list), /* (head, len) = 0 */
  S(dup3, sys_dup3),            /* (oldfd, newfd, flags) */
  S(pipe2, sys_pipe2),          /* (fds, flags) */
  S(prlimit64, sys_prlimit64),  /* (pid, resource, new, old) */
  S(getrandom, sys_getrandom),  /* (buf, count, flags) */
  S(statfs64, sys_statfs64),    /* (path, size = 84, buf) */
  S(fstatfs64, sys_fstatfs64),  /* (fd, size = 84, buf) */
  S(gettid, sys_gettid),        /* () = pid (one thread per process) */
  S(tkill, sys_tkill),          /* (tid, sig) */
  S(tgkill, sys_tgkill),        /* (tgid, tid, sig): raise() */
  S(sendfile64, sys_enosys),    /* ENOSYS on purpose: busybox copies with read/write instead */
  S(statx, sys_enosys),         /* ENOSYS on purpose: glibc falls back to fstatat64 */
  S(rseq, sys_enosys),          /* ENOSYS on purpose: glibc runs without restartable sequences */
  S(clock_gettime64, sys_clock_gettime64), /* (clock, __kernel_timespec *) */
  S(clock_nanosleep_time64, sys_enosys),   /* ENOSYS on purpose: glibc falls back to 267 */
#undef S
};

void syscall(struct trapframe *tf) {
  uint32_t n = tf->eax;
  if (n >= NR_SYSCALLS || !table[n].fn) {
    printk("%s[%d]: unknown system call %u\n", curproc->name, curproc->pid, n);
    tf->eax = -ENOSYS;
    return;
  }
  curproc->sysnr = n;                  /* for a restart after a stop (kernel/signal.c) */
  int r = table[n].fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp);
  if (cmdline_has("strace"))
    printk("[%d] %s(%x, %x, %x) = %d\n", curproc->pid, table[n].name, tf->ebx, tf->ecx, tf->edx, r);
  tf->eax = r;
}
