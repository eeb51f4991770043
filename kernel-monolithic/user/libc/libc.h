/* libc.h: the tiny user C library: Linux i386 system-call wrappers, printf-lite, strings, malloc. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include "uapi/errno.h"
#include "uapi/unistd_32.h"
#include "uapi/signal.h"
#include "uapi/stat.h"

typedef int pid_t;
typedef int ssize_t;

extern int errno;
extern char **environ;

/* syscall.c: return -1 and set errno on failure, like glibc */
void exit(int code) __attribute__((noreturn));
void _exit(int code) __attribute__((noreturn));
pid_t fork(void);
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int open(const char *path, int flags, ...);
int close(int fd);
int lseek(int fd, int off, int whence);
int stat(const char *path, struct stat64 *st);
int fstat(int fd, struct stat64 *st);
int getdents64(int fd, void *buf, unsigned count);
int chdir(const char *path);
int mkdir(const char *path, int mode);
int unlink(const char *path);
int link(const char *oldpath, const char *newpath);
int rename(const char *oldpath, const char *newpath);
int rmdir(const char *path);
char *getcwd(char *buf, size_t size);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
int execve(const char *path, char *const argv[], char *const envp[]);
pid_t getpid(void);
pid_t getppid(void);
int kill(pid_t pid, int sig);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
int brk(void *addr);
void *sbrk(intptr_t delta);
int sched_yield(void);
struct timespec { int32_t tv_sec, tv_nsec; };
int nanosleep(const struct timespec *req, struct timespec *rem);
unsigned sleep(unsigned seconds);
int reboot(int cmd);
/* reboot(2) with LINUX_REBOOT_CMD_POWER_OFF and a status in the fourth argument, which Linux
 * ignores for power-off: kernel-monolithic ends the run with it as the exit-port value. */
int poweroff_status(int status);
void sync(void);
/* write(2) until all n bytes are written: n, or -1 with errno at the first failure (a short
 * write that makes no progress is ENOSPC, as Linux's write of a full disk) */
ssize_t write_all(int fd, const void *buf, size_t n);
/* A test program's last words: prints "NAME: all passed" or "NAME: N FAILED"; as process 1 (the
 * kernel's init=) it powers off with status 0 or 1, else it returns that status for exit. */
int tests_done(const char *name, int failures);
int fsync(int fd);
int fdatasync(int fd);
int init_module(void *image, unsigned long len, const char *params);
int delete_module(const char *name, unsigned flags);
void *readfile(const char *path, int *len);
long syscall(long n, long a, long b, long c, long d, long e);

#define RB_POWER_OFF LINUX_REBOOT_CMD_POWER_OFF
#define RB_AUTOBOOT  LINUX_REBOOT_CMD_RESTART

/* wait status decoding (Linux encoding) */
#define WIFEXITED(s)   (((s) & 0x7F) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xFF)
#define WIFSIGNALED(s) (((s) & 0x7F) != 0 && ((s) & 0x7F) != 0x7F)
#define WTERMSIG(s)    ((s) & 0x7F)
#define WIFSTOPPED(s)  (((s) & 0xFF) == 0x7F)
#define WSTOPSIG(s)    WEXITSTATUS(s)
#define WIFCONTINUED(s) ((s) == 0xFFFF)

/* signal.c */
typedef uint64_t sigset_t;
typedef void (*sighandler_t)(int);
/* the kernel's struct k_sigaction, field for field */
struct sigaction {
  union {
    sighandler_t sa_handler;
    void (*sa_sigaction)(int, struct siginfo *, void *);
  };
  uint32_t sa_flags;
  void (*sa_restorer)(void);
  sigset_t sa_mask;
};
/* uapi/signal.h has the kernel's integer values; user code passes them as handlers */
#undef SIG_DFL
#undef SIG_IGN
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int raise(int sig);
int pause(void);
unsigned alarm(unsigned seconds);

/* printf.c: %d %i %u %x %p %s %c, width, '-' and '0' flags */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);

/* string.c */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
char *strstr(const char *s, const char *sub);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int atoi(const char *s);
const char *strerror(int err);

/* malloc.c: first-fit over sbrk */
void *malloc(size_t n);
void free(void *p);
