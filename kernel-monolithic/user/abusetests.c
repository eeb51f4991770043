/* abusetests.c: hostile user programs the kernel must survive (init=/bin/abusetests):
 *  1. every system call that takes a pointer, given wild pointers in each pointer argument,
 *     returns EFAULT (NULL, the kernel half, the last byte of memory, an unmapped hole, read-only
 *     program text for calls that write, and a range running off the stack into the kernel);
 *  2. a fork bomb (every process forks until fork fails) is contained: fork fails with EAGAIN,
 *     and everything is reaped afterwards;
 *  3. faults reach handlers: SIGSEGV (bad access), SIGFPE (divide error), SIGILL (ud2), and
 *     SIGCHLD when a child exits.
 * Prints "abusetests: ok ..." per check, then "abusetests: all passed", and powers off. */
#include "libc.h"

static int failures;

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "abusetests: ok   " : "abusetests: FAIL ");        \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

#define NWILD 4
static const long wild[NWILD + 2] = {0, 0xC0000000, 0xFFFFFFFF, 0x40000000,
  /* bad only for calls that write: read-only program text, and the stack's last two bytes
   * (a write of more runs into the kernel half) */
  0x08048100, 0xBFFFFFFE};

/* The call with argument 'arg' (0-based) replaced by each wild pointer (and by the two that
 * are bad only for writes when 'writes'): how many did not return -EFAULT. NONULL skips
 * NULL, for arguments where NULL means "none" (execve's argv and envp, sigaction's act and
 * oact, sigprocmask's set and oset, init_module's parameters). */
#define WRITES 1                        /* the call writes through the pointer */
#define NONULL 2                        /* NULL is legal here */

static int try_all(long nr, long a[5], int arg, int writes) {
  int bad = 0;
  for (int i = (writes & NONULL) != 0; i < NWILD + (writes & WRITES ? 2 : 0); i++) {
    long args[5] = {a[0], a[1], a[2], a[3], a[4]};
    args[arg] = wild[i];
    long r = syscall(nr, args[0], args[1], args[2], args[3], args[4]);
    if (!(r == -1 && errno == EFAULT)) {
      printf("abusetests: call %ld arg %d = %lx gave %ld (errno %d)\n", nr, arg, args[arg], r, errno);
      bad++;
    }
  }
  return bad;
}

#define FAULTS(name, nr, arg, writes, ...) do {                                   \
    long a_[5] = {__VA_ARGS__};                                                   \
    CHECK(try_all(nr, a_, arg, writes) == 0, "%s: wild pointer in argument %d -> EFAULT", name, arg + 1); \
  } while (0)

static void test_efault(void) {
  static char buf[256];
  static const char *argv[] = {"/bin/echo", 0};
  int fd = open("/etc/motd", O_RDONLY);
  int dir = open("/", O_RDONLY | O_DIRECTORY);
  FAULTS("read", __NR_read, 1, WRITES, fd, 0, 16, 0, 0);
  FAULTS("write", __NR_write, 1, 0, 1, 0, 16, 0, 0);
  FAULTS("open", __NR_open, 0, 0, 0, O_RDONLY, 0, 0, 0);
  FAULTS("link (old)", __NR_link, 0, 0, 0, (long)"/tmp-link", 0, 0, 0);
  FAULTS("link (new)", __NR_link, 1, 0, (long)"/etc/motd", 0, 0, 0, 0);
  FAULTS("unlink", __NR_unlink, 0, 0, 0, 0, 0, 0, 0);
  FAULTS("execve (path)", __NR_execve, 0, 0, 0, (long)argv, 0, 0, 0);
  FAULTS("execve (argv)", __NR_execve, 1, NONULL, (long)"/bin/echo", 0, 0, 0, 0);
  FAULTS("execve (envp)", __NR_execve, 2, NONULL, (long)"/bin/echo", (long)argv, 0, 0, 0);
  FAULTS("chdir", __NR_chdir, 0, 0, 0, 0, 0, 0, 0);
  FAULTS("rename (old)", __NR_rename, 0, 0, 0, (long)"/x", 0, 0, 0);
  FAULTS("rename (new)", __NR_rename, 1, 0, (long)"/nosuchfile", 0, 0, 0, 0);
  FAULTS("mkdir", __NR_mkdir, 0, 0, 0, 0755, 0, 0, 0);
  FAULTS("rmdir", __NR_rmdir, 0, 0, 0, 0, 0, 0, 0);
  FAULTS("pipe", __NR_pipe, 0, WRITES, 0, 0, 0, 0, 0);
  FAULTS("uname", __NR_uname, 0, WRITES, 0, 0, 0, 0, 0);
  FAULTS("init_module (image)", __NR_init_module, 0, 0, 0, 100, (long)"", 0, 0);
  FAULTS("init_module (params)", __NR_init_module, 2, NONULL, (long)buf, 100, 0, 0, 0);
  FAULTS("delete_module", __NR_delete_module, 0, 0, 0, 0, 0, 0, 0);
  FAULTS("nanosleep", __NR_nanosleep, 0, 0, 0, 0, 0, 0, 0);
  chdir("/lib/modules");           /* "/" would fit in the stack's last two bytes */
  FAULTS("getcwd", __NR_getcwd, 0, WRITES, 0, 128, 0, 0, 0);
  chdir("/");
  FAULTS("stat64 (path)", __NR_stat64, 0, 0, 0, (long)buf, 0, 0, 0);
  FAULTS("stat64 (buf)", __NR_stat64, 1, WRITES, (long)"/etc/motd", 0, 0, 0, 0);
  FAULTS("lstat64 (buf)", __NR_lstat64, 1, WRITES, (long)"/etc/motd", 0, 0, 0, 0);
  FAULTS("fstat64", __NR_fstat64, 1, WRITES, fd, 0, 0, 0, 0);
  FAULTS("getdents64", __NR_getdents64, 1, WRITES, dir, 0, 256, 0, 0);
  FAULTS("rt_sigaction (act)", __NR_rt_sigaction, 1, NONULL, SIGUSR1, 0, 0, 8, 0);
  FAULTS("rt_sigaction (oact)", __NR_rt_sigaction, 2, WRITES | NONULL, SIGUSR1, 0, 0, 8, 0);
  FAULTS("rt_sigprocmask (set)", __NR_rt_sigprocmask, 1, NONULL, SIG_BLOCK, 0, 0, 8, 0);
  FAULTS("rt_sigprocmask (oset)", __NR_rt_sigprocmask, 2, WRITES | NONULL, SIG_BLOCK, 0, 0, 8, 0);
  /* waitpid/wait4: the status pointer is written when a child has exited */
  int bad = 0;
  for (int i = 1; i < NWILD + 2; i++) {   /* NULL: no status wanted */
    int pid = fork();
    if (pid == 0)
      _exit(3);
    long r = syscall(i % 2 ? __NR_wait4 : __NR_waitpid, pid, wild[i], 0, 0, 0);
    bad += !(r == -1 && errno == EFAULT);
    while (waitpid(pid, 0, 0) > 0)
      ;
  }
  CHECK(bad == 0, "waitpid, wait4: wild status pointer -> EFAULT");
  close(fd);
  close(dir);
}

/* Every process forks as fast as it can until fork fails; each then waits for its children. */
static void bomb(int depth) {
  for (;;) {
    int pid = fork();
    if (pid < 0)
      break;
    if (pid == 0) {
      if (depth < 6)
        bomb(depth + 1);
      _exit(errno == EAGAIN ? 0 : 1);
    }
  }
  int err = errno, s, bad = err != EAGAIN;
  while (wait(&s) > 0)
    bad |= !WIFEXITED(s) || WEXITSTATUS(s) != 0;
  if (depth > 0)
    _exit(bad);
  errno = err;
}

static void test_fork_bomb(void) {
  int pid = fork();
  if (pid == 0) {
    bomb(0);
    _exit(errno == EAGAIN ? 0 : 1);
  }
  int s = 0;
  waitpid(pid, &s, 0);
  while (wait(0) > 0)
    ;                              /* orphans reparented to us (we are init) */
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 0, "fork bomb: fork fails with EAGAIN, all reaped (status %x)", s);
  int again = fork();
  if (again == 0)
    _exit(7);
  CHECK(again > 0 && waitpid(again, &s, 0) == again && WEXITSTATUS(s) == 7, "fork works again afterwards");
}

static volatile int caught;
static void on_sig(int sig) {
  caught = sig;
}
static void on_fault(int sig) {
  _exit(40 + sig);                  /* returning would re-run the faulting instruction */
}

static int child_status(void (*fn)(void)) {
  int pid = fork(), s = 0;
  if (pid == 0) {
    fn();
    _exit(99);
  }
  waitpid(pid, &s, 0);
  return s;
}

static void segv(void) {
  signal(SIGSEGV, on_fault);
  *(volatile int *)0xC0001000 = 1;
}
static void fpe(void) {
  signal(SIGFPE, on_fault);
  volatile int zero = 0;
  volatile int x = 10 / zero;
  (void)x;
}
static void ill(void) {
  signal(SIGILL, on_fault);
  __asm__ volatile("ud2");
}

static void test_signals(void) {
  int s = child_status(segv);
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 40 + SIGSEGV, "SIGSEGV handler runs on a bad access (status %x)", s);
  s = child_status(fpe);
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 40 + SIGFPE, "SIGFPE handler runs on a divide error (status %x)", s);
  s = child_status(ill);
  CHECK(WIFEXITED(s) && WEXITSTATUS(s) == 40 + SIGILL, "SIGILL handler runs on ud2 (status %x)", s);
  caught = 0;
  signal(SIGCHLD, on_sig);
  int pid = fork();
  if (pid == 0)
    _exit(0);
  waitpid(pid, 0, 0);              /* the child's exit sent SIGCHLD; it is delivered on return */
  signal(SIGCHLD, SIG_DFL);
  CHECK(caught == SIGCHLD, "SIGCHLD handler runs when a child exits");
}

int main(void) {
  printf("abusetests: starting\n");
  test_efault();
  test_fork_bomb();
  test_signals();
  return tests_done("abusetests", failures);
}
