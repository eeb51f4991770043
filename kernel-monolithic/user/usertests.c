/* usertests.c: exercises the kernel's process and system-call paths from user space; runs as
 * init=/usertests (then powers off with status 0 or 1) or from the shell (then exits with it). */
#include "libc.h"

static int failures;
static const char *self;        /* this program's path, for the exec test */

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "usertests: ok   " : "usertests: FAIL ");          \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

/* Runs fn in a child and returns the child's wait status. */
static int inchild(void (*fn)(void)) {
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    exit(0);
  }
  int status = -1;
  waitpid(pid, &status, 0);
  return status;
}

static void null_deref(void) { *(volatile int *)0 = 1; }
static void kernel_write(void) { *(volatile int *)0xC0100000 = 1; }
static void priv_insn(void) { __asm__ volatile("cli"); }
static void int13(void) { __asm__ volatile("int $13"); }
static void port_io(void) { __asm__ volatile("outb %%al, $0x80" : : "a"(0)); }
static void divzero(void) {
  volatile int z = 0;
  printf("%d", 100 / z);   /* not 1 / z: gcc turns that into a compare */
}
static void stack_overflow(void) {
  volatile char big[512 * 1024];      /* well past the 128 KiB stack (USTACKPAGES) */
  big[0] = 1;
  printf("%d", big[0]);
}

static void test_efault(void) {
  char buf[4] = "abc";
  CHECK(write(1, 0, 4) == -1 && errno == EFAULT, "write from NULL -> EFAULT");
  CHECK(write(1, (void *)0xC0000000, 4) == -1 && errno == EFAULT, "write from kernel -> EFAULT");
  CHECK(read(0, (void *)0xFFFFF000, 4) == -1 && errno == EFAULT, "read into kernel -> EFAULT");
  CHECK(write(1, (void *)0x40000000, 4) == -1 && errno == EFAULT, "write from unmapped -> EFAULT");
  CHECK(write(1, buf, 0) == 0, "zero-length write -> 0");
  CHECK(waitpid(-1, (int *)0xC0000000, WNOHANG) == -1, "waitpid with no children fails");
  CHECK(execve((char *)0xC0000000, 0, 0) == -1 && errno == EFAULT, "execve kernel path -> EFAULT");
  CHECK(execve("/no/such/program", 0, 0) == -1 && errno == ENOENT, "execve missing -> ENOENT");
  CHECK(write(99, buf, 1) == -1 && errno == EBADF, "write bad fd -> EBADF");
  CHECK(syscall(9999, 0, 0, 0, 0, 0) == -1 && errno == ENOSYS, "unknown syscall -> ENOSYS");
  struct timespec bad = {0, 2000000000};
  CHECK(nanosleep(&bad, 0) == -1 && errno == EINVAL, "nanosleep bad nsec -> EINVAL");
  CHECK(nanosleep((void *)0xC0000000, 0) == -1 && errno == EFAULT, "nanosleep kernel ptr -> EFAULT");
}

static void test_faults(void) {
  int s;
  s = inchild(null_deref);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "NULL write kills with SIGSEGV (status %x)", s);
  s = inchild(kernel_write);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "kernel write kills with SIGSEGV (status %x)", s);
  s = inchild(priv_insn);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "cli in ring 3 kills with SIGSEGV (status %x)", s);
  s = inchild(int13);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "int $13 from ring 3 kills (status %x)", s);
  s = inchild(port_io);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "outb in ring 3 kills (status %x)", s);
  s = inchild(divzero);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 8, "divide by zero kills with SIGFPE (status %x)", s);
  s = inchild(stack_overflow);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == 11, "stack overflow kills with SIGSEGV (status %x)", s);
}

/* A child that never makes a system call: only the timer can take the CPU back from it. */
static void test_preempt(void) {
  pid_t pid = fork();
  if (pid == 0)
    for (;;)
      ;
  struct timespec t = {0, 50 * 1000 * 1000};
  CHECK(nanosleep(&t, 0) == 0, "nanosleep 50 ms while a child spins");
  CHECK(kill(pid, 9) == 0, "kill the spinning child");
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid && WTERMSIG(status) == 9, "it died of signal 9 (status %x)",
        status);
}

static void test_forks(void) {
  enum { N = 20 };
  for (int i = 0; i < N; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      sched_yield();
      exit(i);
    }
    if (pid < 0) {
      CHECK(0, "fork %d failed, errno %d", i, errno);
      return;
    }
  }
  int sum = 0, n = 0, status;
  while (wait(&status) > 0) {
    sum += WEXITSTATUS(status);
    n++;
  }
  CHECK(n == N && sum == N * (N - 1) / 2, "%d children reaped, exit codes sum %d", n, sum);
  CHECK(errno == ECHILD, "wait with no children -> ECHILD");
}

static void test_brk(void) {
  char *a = sbrk(0);
  char *b = sbrk(1 << 20);
  CHECK(a == b, "sbrk returns the old break");
  memset(b, 0x5A, 1 << 20);
  CHECK(b[(1 << 20) - 1] == 0x5A, "1 MiB of new heap is usable");
  CHECK(sbrk(-(1 << 20)) == b + (1 << 20) && sbrk(0) == a, "sbrk shrinks back");
  CHECK(brk((void *)0xBFFFF000) == -1 && errno == ENOMEM, "brk into the stack -> ENOMEM");
}

static void test_fork_memory(void) {
  static int shared = 1;
  pid_t pid = fork();
  if (pid == 0) {
    shared = 2;
    exit(shared);
  }
  int status;
  waitpid(pid, &status, 0);
  CHECK(shared == 1 && WEXITSTATUS(status) == 2, "fork copies memory (parent %d, child %d)", shared,
        WEXITSTATUS(status));
}

static int memfree_kb(void) {
  int len;
  char *t = readfile("/proc/meminfo", &len);
  int kb = 0;
  if (t) {
    t[len] = 0;
    char *p = strchr(t, '\n') + 1;        /* "MemFree:  %8u kB" */
    while (*p && (*p < '0' || *p > '9'))
      p++;
    kb = atoi(p);
    free(t);
  }
  return kb;
}

/* fork shares pages copy-on-write: each side must still see only its own writes, the kernel's
 * writes into a shared page (read(2)) must copy it too, and a fork must not copy the heap. */
static void test_cow(void) {
  enum { SIZE = 2 << 20 };
  unsigned char *heap = malloc(SIZE);     /* not sbrk: memfree_kb() mallocs in between */
  for (int i = 0; i < SIZE; i += 64)
    heap[i] = (unsigned char)(i >> 6);
  int fds[2];
  pipe(fds);
  int before = memfree_kb();
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    read(fds[0], &c, 1);                 /* wait until the parent has measured and written */
    int bad = 0;
    for (int i = 0; i < SIZE; i += 64)
      bad += heap[i] != (unsigned char)(i >> 6);
    for (int i = 0; i < SIZE / 2; i += 64)
      heap[i] = 0xEE;                    /* private copies of the first half */
    read(fds[0], heap + 100, 5);         /* the kernel writes into a shared page */
    exit(bad == 0 && heap[0] == 0xEE && memcmp(heap + 100, "abcde", 5) == 0 ? 3 : 4);
  }
  int after = memfree_kb();
  heap[64] = 0x77;                       /* the parent's write must not reach the child */
  write(fds[1], "xabcde", 6);
  int status, bad = 0;
  waitpid(pid, &status, 0);
  for (int i = 128; i < SIZE; i += 64)
    bad += heap[i] != (unsigned char)(i >> 6);
  CHECK(WEXITSTATUS(status) == 3, "child saw the pre-fork heap, its own writes, and read(2)'s (status %x)", status);
  CHECK(bad == 0 && heap[64] == 0x77 && heap[100] != 'a', "parent's heap untouched by the child");
  CHECK(before - after < 512, "fork of a 2 MiB heap took %d KiB, not a copy", before - after);
  close(fds[0]);
  close(fds[1]);
  free(heap);
}

static void test_exec(void) {
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {"usertests", "exec-child", "x y", 0};
    char *envp[] = {"A=1", 0};
    execve(self, argv, envp);
    exit(99);
  }
  int status;
  waitpid(pid, &status, 0);
  CHECK(WEXITSTATUS(status) == 7, "exec'd child saw its argv and envp (status %x)", status);
}

/* 20000 bytes through a 4 KiB pipe from a child, in writes and reads of unrelated sizes. */
static void test_pipe(void) {
  int fds[2];
  CHECK(pipe(fds) == 0, "pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    unsigned char buf[1000];
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 1000; j++)
        buf[j] = (i * 1000 + j) & 0xFF;
      write(fds[1], buf, sizeof(buf));
    }
    exit(0);
  }
  close(fds[1]);
  unsigned char buf[777];
  int n, total = 0, bad = 0;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
    for (int k = 0; k < n; k++)
      bad += buf[k] != ((total + k) & 0xFF);
    total += n;
  }
  CHECK(total == 20000 && bad == 0 && n == 0, "pipe carried %d bytes, %d wrong, then EOF", total, bad);
  close(fds[0]);
  waitpid(pid, 0, 0);
  signal(SIGPIPE, SIG_IGN);
  CHECK(pipe(fds) == 0 && close(fds[0]) == 0 && write(fds[1], "x", 1) == -1 && errno == EPIPE,
        "write with no reader -> EPIPE (SIGPIPE ignored)");
  signal(SIGPIPE, SIG_DFL);
  close(fds[1]);
  CHECK(pipe((int *)0xC0000000) == -1 && errno == EFAULT, "pipe(kernel pointer) -> EFAULT");
  CHECK(dup2(1, 5) == 5 && write(5, "", 0) == 0 && close(5) == 0 && close(5) == -1, "dup2 and close");
}

static volatile int got;
static void on_signal(int sig) { got = sig; }
static void on_info(int sig, struct siginfo *si, void *uc) { got = si->si_signo * 100 + (uc != 0); }
static void on_segv(int sig) { _exit(30 + sig); }
static void segv_caught(void) {
  signal(SIGSEGV, on_segv);
  *(volatile int *)0 = 1;
}
static void term_default(void) {
  raise(SIGTERM);
  exit(0);
}
static void pipe_default(void) {
  int fds[2];
  pipe(fds);
  close(fds[0]);
  write(fds[1], "x", 1);
  exit(0);
}

static void test_signals(void) {
  volatile int local = 12345;
  CHECK(signal(SIGUSR1, on_signal) != SIG_ERR && raise(SIGUSR1) == 0 && got == SIGUSR1 && local == 12345,
        "handler runs on raise, locals survive");
  sigset_t set = 1ULL << (SIGUSR1 - 1);
  got = 0;
  sigprocmask(SIG_BLOCK, &set, 0);
  raise(SIGUSR1);
  int waited = got == 0;
  sigprocmask(SIG_UNBLOCK, &set, 0);
  CHECK(waited && got == SIGUSR1, "a blocked signal waits until unblocked");

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  CHECK(sigaction(SIGUSR2, &sa, 0) == 0 && raise(SIGUSR2) == 0 && got == SIGUSR2 * 100 + 1,
        "SA_SIGINFO handler gets siginfo and ucontext (%d)", got);
  CHECK(sigaction(SIGKILL, &sa, 0) == -1 && errno == EINVAL, "SIGKILL cannot be caught");
  signal(SIGTERM, SIG_IGN);
  raise(SIGTERM);
  CHECK(1, "ignored SIGTERM does nothing");
  signal(SIGTERM, SIG_DFL);

  int s = inchild(segv_caught);
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 30 + SIGSEGV, "SIGSEGV handler runs (status %x)", s);
  s = inchild(term_default);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM, "default SIGTERM kills (status %x)", s);
  s = inchild(pipe_default);
  CHECK(WIFSIGNALED(s) && WTERMSIG(s) == SIGPIPE, "writing a readerless pipe raises SIGPIPE (status %x)", s);

  /* a signal interrupts a blocking read with EINTR */
  int fds[2];
  pipe(fds);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    signal(SIGUSR1, on_signal);
    int r = read(fds[0], &c, 1);
    exit(r == -1 && errno == EINTR && got == SIGUSR1 ? 5 : 6);
  }
  struct timespec t = {0, 30 * 1000 * 1000};
  nanosleep(&t, 0);
  kill(pid, SIGUSR1);
  waitpid(pid, &s, 0);
  CHECK(WEXITSTATUS(s) == 5, "signal interrupts a blocked read with EINTR (status %x)", s);
  close(fds[0]);
  close(fds[1]);

  got = 0;
  signal(SIGCHLD, on_signal);
  s = inchild(term_default);
  CHECK(got == SIGCHLD, "SIGCHLD reaches a parent with a handler");
  signal(SIGCHLD, SIG_DFL);

  got = 0;
  signal(SIGALRM, on_signal);
  alarm(1);
  int r = pause();
  CHECK(r == -1 && errno == EINTR && got == SIGALRM, "alarm(1) interrupts pause()");
}

/* Fill the process table: fork must fail with EAGAIN, not crash; then everything is reaped. */
static void test_fork_exhaustion(void) {
  pid_t pids[100];
  int n = 0;
  for (; n < 100; n++) {
    pids[n] = fork();
    if (pids[n] == 0) {
      pause();
      exit(0);
    }
    if (pids[n] < 0)
      break;
  }
  int err = errno;
  for (int i = 0; i < n; i++)
    kill(pids[i], SIGKILL);
  int reaped = 0;
  while (wait(0) > 0)
    reaped++;
  CHECK(n > 10 && n < 100 && err == EAGAIN && reaped == n, "fork until the table is full: %d, then EAGAIN",
        n);
}

static void test_proc(void) {
  int len;
  char *t = readfile("/proc/meminfo", &len);
  CHECK(t && strncmp(t, "MemTotal:", 9) == 0, "/proc/meminfo");
  free(t);
  char path[32], want[64];
  snprintf(path, sizeof(path), "/proc/%d/status", getpid());
  int wlen = snprintf(want, sizeof(want), "Name:\tusertests\nState:\tR (running)\nPid:\t%d\n", getpid());
  t = readfile(path, &len);
  CHECK(t && strncmp(t, want, wlen) == 0, "/proc/self's pid/status");
  free(t);
  struct stat64 st;
  CHECK(stat("/proc/1", &st) == 0 && S_ISDIR(st.st_mode), "/proc/1 is a directory");
  CHECK(open("/proc/nosuch", O_RDONLY) == -1 && errno == ENOENT, "/proc/nosuch -> ENOENT");
  CHECK(open("/proc/uptime", O_WRONLY) == -1 && errno == EACCES, "/proc files are read-only");
  int fd = open("/proc", O_RDONLY | O_DIRECTORY), found = 0, n;
  char buf[512];
  while (fd >= 0 && (n = getdents64(fd, buf, sizeof(buf))) > 0)
    for (int off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      found += strcmp(d->d_name, "1") == 0 || strcmp(d->d_name, "modules") == 0;
      off += d->d_reclen;
    }
  close(fd);
  CHECK(found == 2, "/proc lists modules and 1");
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "exec-child") == 0)
    return strcmp(argv[2], "x y") == 0 && environ[0] && strcmp(environ[0], "A=1") == 0 ? 7 : 1;
  /* as init argv[0] is the module's path; from the shell a bare name found in /bin */
  static char path[64];
  snprintf(path, sizeof(path), strchr(argv[0], '/') ? "%s" : "/bin/%s", argv[0]);
  self = path;
  printf("usertests: starting (pid %d)\n", getpid());
  test_efault();
  test_faults();
  test_preempt();
  test_forks();
  test_brk();
  test_fork_memory();
  test_cow();
  test_exec();
  test_pipe();
  test_signals();
  test_fork_exhaustion();
  test_proc();
  return tests_done("usertests", failures);
}
