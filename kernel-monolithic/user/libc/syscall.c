/* syscall.c: Linux i386 system-call wrappers: int $0x80, number in EAX, arguments in EBX ECX EDX ESI EDI. */
#include "libc.h"

int errno;
char **environ;

long syscall(long n, long a, long b, long c, long d, long e) {
  long r;
  __asm__ volatile("int $0x80"
                   : "=a"(r)
                   : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                   : "memory");
  /* the kernel returns -errno in [-4095, -1]; anything else is a result (brk returns addresses) */
  if ((unsigned long)r > -4096UL) {
    errno = -r;
    return -1;
  }
  return r;
}

#define SC0(n) syscall(n, 0, 0, 0, 0, 0)
#define SC1(n, a) syscall(n, (long)(a), 0, 0, 0, 0)
#define SC2(n, a, b) syscall(n, (long)(a), (long)(b), 0, 0, 0)
#define SC3(n, a, b, c) syscall(n, (long)(a), (long)(b), (long)(c), 0, 0)

void _exit(int code) {
  SC1(__NR_exit_group, code);
  for (;;)
    ;
}
void exit(int code) { _exit(code); }
pid_t fork(void) { return SC0(__NR_fork); }
ssize_t read(int fd, void *buf, size_t n) { return SC3(__NR_read, fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return SC3(__NR_write, fd, buf, n); }
int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = va_arg(ap, int);
  va_end(ap);
  return SC3(__NR_open, path, flags, mode);
}
int close(int fd) { return SC1(__NR_close, fd); }
int lseek(int fd, int off, int whence) { return SC3(__NR_lseek, fd, off, whence); }
int stat(const char *path, struct stat64 *st) { return SC2(__NR_stat64, path, st); }
int fstat(int fd, struct stat64 *st) { return SC2(__NR_fstat64, fd, st); }
int getdents64(int fd, void *buf, unsigned count) { return SC3(__NR_getdents64, fd, buf, count); }
int chdir(const char *path) { return SC1(__NR_chdir, path); }
int mkdir(const char *path, int mode) { return SC2(__NR_mkdir, path, mode); }
int unlink(const char *path) { return SC1(__NR_unlink, path); }
int link(const char *oldpath, const char *newpath) { return SC2(__NR_link, oldpath, newpath); }
int rename(const char *oldpath, const char *newpath) { return SC2(__NR_rename, oldpath, newpath); }
int rmdir(const char *path) { return SC1(__NR_rmdir, path); }
char *getcwd(char *buf, size_t size) { return SC2(__NR_getcwd, buf, size) < 0 ? 0 : buf; }
pid_t waitpid(pid_t pid, int *status, int options) { return SC3(__NR_waitpid, pid, status, options); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }
int execve(const char *path, char *const argv[], char *const envp[]) {
  return SC3(__NR_execve, path, argv, envp);
}
pid_t getpid(void) { return SC0(__NR_getpid); }
pid_t getppid(void) { return SC0(__NR_getppid); }
int kill(pid_t pid, int sig) { return SC2(__NR_kill, pid, sig); }
int dup(int fd) { return SC1(__NR_dup, fd); }
int dup2(int oldfd, int newfd) { return SC2(__NR_dup2, oldfd, newfd); }
int pipe(int fds[2]) { return SC1(__NR_pipe, fds); }
int sched_yield(void) { return SC0(__NR_sched_yield); }
int nanosleep(const struct timespec *req, struct timespec *rem) {
  return SC2(__NR_nanosleep, req, rem);
}
unsigned sleep(unsigned seconds) {
  struct timespec t = {seconds, 0};
  return nanosleep(&t, &t) < 0 ? t.tv_sec : 0;
}
int init_module(void *image, unsigned long len, const char *params) {
  return SC3(__NR_init_module, image, len, params);
}
int delete_module(const char *name, unsigned flags) { return SC2(__NR_delete_module, name, flags); }

/* A whole file in malloc'd memory, plus one spare byte for a NUL (for insmod, lsmod, ps); 0 and
 * errno on failure. Reads to end of file: /proc files report size 0, as in Linux. */
void *readfile(const char *path, int *len) {
  struct stat64 st;
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return 0;
  int cap = fstat(fd, &st) == 0 && st.st_size > 0 ? st.st_size + 1 : 4096, n = 0, r;
  char *buf = malloc(cap);
  while (buf && (r = read(fd, buf + n, cap - n - 1)) > 0) {
    n += r;
    if (n == cap - 1) {                  /* full: grow */
      char *bigger = malloc(cap * 2);
      if (bigger)
        memcpy(bigger, buf, n);
      free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  close(fd);
  if (!buf || r < 0) {
    free(buf);
    return 0;
  }
  *len = n;
  return buf;
}

int reboot(int cmd) {
  return SC3(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd);
}

int poweroff_status(int status) {
  return syscall(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, status, 0);
}

ssize_t write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  size_t done = 0;
  while (done < n) {
    ssize_t r = write(fd, p + done, n - done);
    if (r < 0)
      return -1;
    if (r == 0) {
      errno = ENOSPC;
      return -1;
    }
    done += r;
  }
  return n;
}

int tests_done(const char *name, int failures) {
  if (failures)
    printf("%s: %d FAILED\n", name, failures);
  else
    printf("%s: all passed\n", name);
  int status = failures ? 1 : 0;
  if (getpid() == 1) {
    sync();
    poweroff_status(status);
  }
  return status;
}

/* The kernel's brk returns the (possibly unchanged) break; glibc's brk turns "unchanged" into ENOMEM. */
static uintptr_t curbrk;

int brk(void *addr) {
  uintptr_t r = syscall(__NR_brk, (long)addr, 0, 0, 0, 0);
  curbrk = r;
  if (r < (uintptr_t)addr) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
}

void *sbrk(intptr_t delta) {
  if (!curbrk)
    curbrk = syscall(__NR_brk, 0, 0, 0, 0, 0);
  uintptr_t old = curbrk;
  if (delta != 0 && brk((void *)(old + delta)) < 0)
    return (void *)-1;
  return (void *)old;
}

void sync(void) {
  SC3(__NR_sync, 0, 0, 0);
}

int fsync(int fd) {
  return SC3(__NR_fsync, fd, 0, 0);
}

int fdatasync(int fd) {
  return SC3(__NR_fdatasync, fd, 0, 0);
}
