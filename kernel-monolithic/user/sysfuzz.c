/* sysfuzz.c: the system-call fuzzer (SyscallFuzzTest). Runs as init: forks children, each making
 * CALLS seeded random system calls with random and boundary arguments (valid and invalid
 * pointers, kernel addresses, paths under /fz, small numbers as fds and flags, sizes around block
 * and page boundaries), until at least 'total' calls were made by children that finished (a
 * child a signal ended made fewer, and does not count). The kernel must never panic, and the
 * file system must stay e2fsck-clean: the test checks both after the power-off.
 * Left out, because they would end or stall the fuzzing rather than test the kernel: exit,
 * fork, execve, kill, reboot, pause, alarm and the signal calls (each child's alarm is its
 * watchdog: a call that blocks for ever, such as a read of its own empty pipe, ends in SIGALRM).
 * The seed and the number of calls come from the kernel command line (init gets no arguments):
 * sysfuzz.seed=N (default 1), sysfuzz.calls=N (default 100000). */
#include "libc.h"

#define CALLS 500

static uint32_t rng;

static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static const uint32_t boundary[] = {
  0, 1, 2, 3, 7, 8, 15, 16, 63, 64, 255, 256, 511, 512, 1023, 1024, 1025, 4095, 4096, 4097,
  12 * 1024, 268 * 1024, 65535, 65536, 0x100000, 0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0xBFFFFFFF,
  0xC0000000, 0xC0100000, 0xFFFFF000, 0xFFFFFFFE, 0xFFFFFFFF,
};
#define NBOUNDARY (sizeof(boundary) / sizeof(boundary[0]))

static char longname[300];
static const char *paths[] = {
  "/fz", "/fz/a", "/fz/b", "/fz/d", "/fz/d/c", "/fz/d/e", "/fz/d/e/f", "/fz/a/x", "/fz/../fz/b",
  "/etc/motd", "/etc", "/", ".", "..", "", "/proc/modules", "/proc/1/status", "/proc", "/dev/console",
  "/nonexistent/x", "fz/rel", "/fz//a", longname,
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static char mem[8192];                  /* a valid buffer: arguments point into it */

static uint32_t arg(void) {
  switch (rnd() % 9) {
  case 0:
  case 1:
    return boundary[rnd() % NBOUNDARY];
  case 2:
  case 3:
    return (uint32_t)paths[rnd() % NPATHS];
  case 4:
    return (uint32_t)(mem + rnd() % sizeof(mem));
  case 5:
    return rnd() % 16;                  /* fds, flags, whence */
  case 6:
    return 0xC0000000 + rnd() % 0x1000000;
  case 7:
    return rnd() % 4096;
  default:
    return rnd();
  }
}

static const int calls[] = {
  __NR_read, __NR_write, __NR_open, __NR_close, __NR_link, __NR_unlink, __NR_chdir, __NR_lseek,
  __NR_getpid, __NR_sync, __NR_rename, __NR_mkdir, __NR_rmdir, __NR_dup, __NR_pipe, __NR_brk,
  __NR_dup2, __NR_getppid, __NR_wait4, __NR_waitpid, __NR_uname, __NR_fsync, __NR_fdatasync,
  __NR_init_module, __NR_delete_module, __NR_sched_yield, __NR_nanosleep, __NR_getcwd,
  __NR_stat64, __NR_lstat64, __NR_fstat64, __NR_getdents64,
  /* the file-system calls twice as often */
  __NR_open, __NR_write, __NR_read, __NR_lseek, __NR_close, __NR_unlink, __NR_mkdir, __NR_rename,
  __NR_getdents64, __NR_fsync, __NR_open, __NR_write,
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

/* One child's life: CALLS random calls, then exit 0. */
static void child(uint32_t seed) {
  rng = seed * 2654435761u + 1;
  if (!rng)
    rng = 1;
  signal(SIGPIPE, SIG_IGN);             /* a write to a pipe without readers just fails */
  alarm(5);
  close(0);                             /* fds 0-2 go to the files the fuzzing opens */
  close(1);
  close(2);
  for (int i = 0; i < CALLS; i++) {
    long n = rnd() % 200 == 0 ? (long)(rnd() % 512) : calls[rnd() % NCALLS];
    if (n == __NR_exit || n == __NR_exit_group || n == __NR_fork || n == __NR_execve || n == __NR_kill ||
        n == __NR_reboot || n == __NR_pause || n == __NR_alarm || n == __NR_rt_sigaction ||
        n == __NR_rt_sigprocmask || n == __NR_rt_sigreturn || n == 190 /* vfork */ || n == 120 /* clone */)
      continue;
    if (n == __NR_nanosleep)            /* a short sleep: the watchdog is for stalls */
      syscall(n, (long)(const struct timespec[]){{0, (int32_t)(rnd() % 20000000)}}, 0, 0, 0, 0);
    else
      syscall(n, arg(), arg(), arg(), arg(), arg());
  }
  _exit(0);
}

/* The number after "key=" in /proc/cmdline, or def. */
static uint32_t param(const char *key, uint32_t def) {
  int len;
  char *cmd = readfile("/proc/cmdline", &len);
  size_t n = strlen(key);
  for (int i = 0; cmd && i + (int)n < len; i++)
    if ((i == 0 || cmd[i - 1] == ' ') && strncmp(cmd + i, key, n) == 0 && cmd[i + n] == '=')
      def = (uint32_t)atoi(cmd + i + n + 1);
  free(cmd);
  return def;
}

int main(void) {
  uint32_t seed = param("sysfuzz.seed", 1);
  uint32_t total = param("sysfuzz.calls", 100000);
  memset(longname, 'n', sizeof(longname) - 1);
  longname[0] = '/';
  mkdir("/fz", 0755);
  mkdir("/fz/d", 0755);
  printf("sysfuzz: seed %u, %u calls, %d per child\n", seed, total, CALLS);
  uint32_t done = 0, children = 0, signaled = 0, other = 0;
  while (done < total) {
    int pid = fork();
    if (pid == 0)
      child(seed * 100003u + children);
    if (pid < 0) {
      printf("sysfuzz: FAIL fork: errno %d\n", errno);
      break;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    children++;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      done += CALLS;
    else if (WIFSIGNALED(status))
      signaled++;
    else
      other++;
    if (children % 50 == 0)
      printf("sysfuzz: %u children, %u calls\n", children, done);
  }
  chdir("/");
  sync();
  printf("sysfuzz: done: %u calls in %u children that finished, %u children ended by a signal, %u other\n",
         done, children - signaled - other, signaled, other);
  reboot(RB_POWER_OFF);
  return 0;
}
