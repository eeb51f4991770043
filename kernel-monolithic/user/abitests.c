/* abitests.c: the parts of the Linux i386 ABI that glibc (and busybox) need beyond the classic
 * calls: the auxiliary vector, set_thread_area TLS through %gs (across signals, fork and
 * switches), clone/vfork, mmap2/mprotect/munmap, writev, the *at calls, pipe2/dup3/fcntl64
 * close-on-exec, _llseek, sigreturn, rt_sigsuspend, terminal ioctls, ids, clocks, sysinfo,
 * access, getrandom, job control (stop, continue, waitpid's WUNTRACED/WCONTINUED, SIGTTIN, a
 * stopped call restarted). One line per check; runs as init=/abitests and powers off with 0 or 1. */
#include "libc.h"

static int failures;
static bool native;     /* running on a Linux kernel (uname's sysname), not on jx86 */

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "abitests: ok   " : "abitests: FAIL ");            \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

/* A check of a choice of jx86's that a real Linux legitimately makes otherwise: on Linux it is
 * not run, and one "skip" line says why (LinuxAbiTest's native run knows each of these lines). */
#define JX86_ONLY(why, cond, ...) do {                              \
    if (native) {                                                   \
      printf("abitests: skip ");                                    \
      printf(__VA_ARGS__);                                          \
      printf(" (on Linux: %s)\n", why);                             \
    } else {                                                        \
      CHECK(cond, __VA_ARGS__);                                     \
    }                                                               \
  } while (0)

static long sc(long n, long a, long b, long c, long d, long e) { return syscall(n, a, b, c, d, e); }

/* mmap2 takes a sixth argument in %ebp, which is the frame pointer here: it goes through a
 * global so no stack-relative operand is read after the push */
long abitests_arg6;
static long mmap2(long addr, long len, long prot, long flags, long fd, long pgoff) {
  long r;
  abitests_arg6 = pgoff;
  __asm__ volatile("pushl %%ebp\n\tmovl abitests_arg6, %%ebp\n\tint $0x80\n\tpopl %%ebp"
                   : "=a"(r) : "a"(__NR_mmap2), "b"(addr), "c"(len), "d"(prot), "S"(flags), "D"(fd)
                   : "memory");
  if ((unsigned long)r > -4096UL) {
    errno = -r;
    return -1;
  }
  return r;
}

static uint32_t *auxv;
extern char _start[];

static uint32_t getauxval(uint32_t key, int *found) {
  *found = 0;
  for (uint32_t *a = auxv; a[0] != 0; a += 2)
    if (a[0] == key) {
      *found = 1;
      return a[1];
    }
  return 0;
}

static void test_auxv(char **argv) {
  int f;
  uint32_t v = getauxval(25, &f);                   /* AT_RANDOM */
  uint8_t *r = (uint8_t *)v;
  int nonzero = 0;
  for (int i = 0; f && i < 16; i++)
    nonzero += r[i] != 0;
  CHECK(f && nonzero >= 8, "AT_RANDOM points at 16 random bytes (at least 8 non-zero)");
  CHECK(getauxval(6, &f) == 4096 && f, "AT_PAGESZ 4096");
  CHECK(getauxval(17, &f) == 100 && f, "AT_CLKTCK 100");
  CHECK(getauxval(9, &f) == (uint32_t)_start && f, "AT_ENTRY is _start");
  uint32_t phdr = getauxval(3, &f), phnum = getauxval(5, &f);
  uint8_t *ehdr = (uint8_t *)0x08048000;
  CHECK(phdr == 0x08048000 + *(uint32_t *)(ehdr + 28) && phnum == *(uint16_t *)(ehdr + 44) && phnum == 4,
        "AT_PHDR and AT_PHNUM match the ELF header (4 headers)");
  CHECK(getauxval(4, &f) == 32 && f, "AT_PHENT 32");
  uint32_t hw = getauxval(16, &f);
  CHECK(f && (hw & (1 << 4)) && (hw & (1 << 8)), "AT_HWCAP is CPUID.1:EDX (TSC and CX8 set)");
  int n = 0;
  for (uint32_t key = 11; key <= 14; key++) {       /* AT_UID, AT_EUID, AT_GID, AT_EGID */
    getauxval(key, &f);
    n += f;
  }
  CHECK(n == 4 && getauxval(23, &f) == 0 && f, "AT_UID/EUID/GID/EGID present, AT_SECURE 0");
  const char *plat = (const char *)getauxval(15, &f);
  CHECK(f && strcmp(plat, "i686") == 0, "AT_PLATFORM \"i686\"");
  const char *fn = (const char *)getauxval(31, &f);
  CHECK(f && strcmp(fn, argv[0]) == 0, "AT_EXECFN is the executed path (argv[0] here)");
}

/* ---- TLS ---- */
struct user_desc { uint32_t entry, base, limit, flags; };
static uint32_t tlsblock[4] = {0x7157AB1E, 2, 3, 4};
static volatile uint32_t seen_in_handler;

static uint32_t gs0(void) {
  uint32_t v;
  __asm__ volatile("movl %%gs:0, %0" : "=r"(v));
  return v;
}

static void on_usr1_tls(int sig) {
  (void)sig;
  seen_in_handler = gs0();
}

static void test_tls(void) {
  struct user_desc u = {(uint32_t)-1, (uint32_t)tlsblock, 0xFFFFF, 0x51};  /* 32-bit, pages, useable */
  long r = sc(__NR_set_thread_area, (long)&u, 0, 0, 0, 0);
  /* Linux i386 (and jx86) keep the TLS entries at 6-8; an x86-64 kernel running i386 code at 12-14 */
  CHECK(r == 0 && ((u.entry >= 6 && u.entry <= 8) || (u.entry >= 12 && u.entry <= 14)),
        "set_thread_area(-1) picks a free TLS entry of the GDT");
  uint16_t sel = (u.entry << 3) | 3;
  __asm__ volatile("movw %0, %%gs" : : "r"(sel));
  CHECK(gs0() == 0x7157AB1E, "%%gs:0 reads the TLS block");
  struct user_desc g = {u.entry, 0, 0, 0};
  r = sc(__NR_get_thread_area, (long)&g, 0, 0, 0, 0);
  CHECK(r == 0 && g.base == (uint32_t)tlsblock && g.limit == 0xFFFFF && (g.flags & 0x51) == 0x51,
        "get_thread_area returns the same descriptor");
  struct user_desc bad = {3, 0, 0, 0};
  CHECK(sc(__NR_set_thread_area, (long)&bad, 0, 0, 0, 0) == -1 && errno == EINVAL,
        "set_thread_area entry 3 -> EINVAL");
  signal(SIGUSR1, on_usr1_tls);
  raise(SIGUSR1);
  CHECK(seen_in_handler == 0x7157AB1E, "a signal handler sees the same %%gs TLS");
  CHECK(gs0() == 0x7157AB1E, "%%gs survives the handler's return");
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 20; i++)
      sched_yield();
    exit(gs0() == 0x7157AB1E ? 0 : 1);
  }
  /* the parent switches to a process without TLS and back */
  struct timespec t = {0, 20 * 1000 * 1000};
  nanosleep(&t, 0);
  int st = -1;
  waitpid(pid, &st, 0);
  CHECK(st == 0, "a forked child keeps the TLS descriptor (status %x)", st);
  CHECK(gs0() == 0x7157AB1E, "%%gs:0 still right after switches");
}

/* ---- processes ---- */
static void test_clone(void) {
  volatile int32_t ctid = 0;
  long pid = sc(__NR_clone, 0x1200011, 0, 0, 0, (long)&ctid);
  if (pid == 0)
    _exit(ctid == getpid() ? 5 : 6);
  int st = -1;
  waitpid(pid, &st, 0);
  CHECK(pid > 0 && WEXITSTATUS(st) == 5, "clone(0x1200011) forks; the child sees its tid");
  CHECK(ctid == 0, "CLONE_CHILD_SETTID wrote the child's copy only");
  JX86_ONLY("it starts the thread", sc(__NR_clone, 0x10900, 0, 0, 0, 0) == -1 && errno == EINVAL,
            "clone of a thread (CLONE_VM|CLONE_THREAD) -> EINVAL");
  /* Linux's vfork child borrows the parent's stack until it exits: it must not return from a
   * function (that would overwrite the parent's frames), so both system calls are inline */
  __asm__ volatile("int $0x80" : "=a"(pid) : "a"(__NR_vfork) : "memory");
  if (pid == 0)
    __asm__ volatile("int $0x80" : : "a"(__NR_exit), "b"(7));
  waitpid(pid, &st, 0);
  CHECK(pid > 0 && WEXITSTATUS(st) == 7, "vfork: child exits 7");
  /* posix_spawn's clone: CLONE_VM|CLONE_VFORK|SIGCHLD with a stack of its own. The child, all in
   * assembly, exits 9 if it runs on that stack (ESP = the newsp it was given, still in ECX), else 8 */
  static uint8_t spawn_stack[1024] __attribute__((aligned(16)));
  __asm__ volatile("int $0x80\n\t"
                   "testl %%eax, %%eax\n\t"
                   "jnz 1f\n\t"
                   "cmpl %%esp, %%ecx\n\t"
                   "movl $8, %%ebx\n\t"
                   "jne 2f\n\t"
                   "movl $9, %%ebx\n"
                   "2:\tmovl $1, %%eax\n\t"
                   "int $0x80\n"
                   "1:"
                   : "=a"(pid)
                   : "a"(__NR_clone), "b"(0x4111), "c"(spawn_stack + sizeof(spawn_stack)), "d"(0), "S"(0), "D"(0)
                   : "memory");
  waitpid(pid, &st, 0);
  CHECK(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 9,
        "clone(CLONE_VM|CLONE_VFORK|SIGCHLD, a new stack) as posix_spawn: the child runs on that stack");
}

/* ---- memory ---- */
static void test_mmap(void) {
  uint8_t *p = (uint8_t *)mmap2(0, 3 * 4096, 3, 0x22, -1, 0);   /* RW, private anon */
  int zero = 1;
  for (int i = 0; p != (void *)-1 && i < 3 * 4096; i++)
    zero &= p[i] == 0;
  CHECK(p != (void *)-1 && ((uint32_t)p & 4095) == 0 && zero, "mmap2 anonymous: 3 zeroed pages");
  JX86_ONLY("mappings grow down from below the stack", (uint32_t)p == 0x40000000,
            "the first mapping is at 0x40000000 (jx86's mapping area grows upwards)");
  memset(p, 0xAB, 3 * 4096);
  CHECK(p[8191] == 0xAB, "the mapping is writable");
  CHECK(sc(__NR_mprotect, (long)p, 4096, 1, 0, 0) == 0, "mprotect PROT_READ");
  pid_t pid = fork();
  if (pid == 0) {
    p[1] = 1;
    _exit(0);
  }
  int st = -1;
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == 11, "writing a read-only page: SIGSEGV");
  CHECK(sc(__NR_munmap, (long)p + 4096, 4096, 0, 0, 0) == 0, "munmap the middle page");
  pid = fork();
  if (pid == 0) {
    volatile uint8_t x = p[4096];
    (void)x;
    _exit(0);
  }
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == 11, "reading an unmapped page: SIGSEGV");
  CHECK(p[8192] == 0xAB, "the page after it is still there");
  uint8_t *q = (uint8_t *)mmap2((long)p + 4096, 4096, 3, 0x22, -1, 0);   /* a hint, not MAP_FIXED */
  CHECK(q == p + 4096 && q[0] == 0, "mmap2 with the hole's address as a hint maps a zeroed page there");
  CHECK(sc(__NR_mprotect, 0x1000, 4096, 1, 0, 0) == -1 && errno == ENOMEM, "mprotect unmapped -> ENOMEM");
}

/* ---- files ---- */
static void test_files(void) {
  int fds[2];
  CHECK(sc(__NR_pipe2, (long)fds, 02000000, 0, 0, 0) == 0, "pipe2(O_CLOEXEC)");
  CHECK(sc(__NR_fcntl64, fds[0], 1, 0, 0, 0) == 1 && sc(__NR_fcntl64, fds[1], 1, 0, 0, 0) == 1,
        "both ends are FD_CLOEXEC");
  struct { const char *b; uint32_t n; } iov[2] = {{"hello, ", 7}, {"world", 5}};
  CHECK(sc(__NR_writev, fds[1], (long)iov, 2, 0, 0) == 12, "writev of two buffers -> 12");
  char buf[32] = {0};
  CHECK(read(fds[0], buf, sizeof(buf)) == 12 && strcmp(buf, "hello, world") == 0, "read back \"%s\"", buf);
  CHECK(sc(__NR_fcntl64, fds[0], 2, 0, 0, 0) == 0 && sc(__NR_fcntl64, fds[0], 1, 0, 0, 0) == 0,
        "F_SETFD 0 clears it");
  int free10 = 10;                    /* natively, the parent may have left descriptors open */
  while (sc(__NR_fcntl64, free10, 1, 0, 0, 0) >= 0)
    free10++;
  int d = sc(__NR_fcntl64, fds[1], 0, 10, 0, 0);
  CHECK(d == free10, "F_DUPFD 10 -> the lowest free descriptor from 10");
  int d2 = sc(__NR_fcntl64, fds[1], 1030, 0, 0, 0);
  CHECK(d2 >= 0 && sc(__NR_fcntl64, d2, 1, 0, 0, 0) == 1, "F_DUPFD_CLOEXEC");
  CHECK(sc(__NR_dup3, fds[1], 12, 02000000, 0, 0) == 12 && sc(__NR_fcntl64, 12, 1, 0, 0, 0) == 1,
        "dup3(O_CLOEXEC)");
  CHECK(sc(__NR_dup3, 12, 12, 0, 0, 0) == -1 && errno == EINVAL, "dup3 to itself -> EINVAL");
  close(d);
  close(d2);
  close(12);
  int fd = sc(__NR_openat, -100, (long)"/proc/meminfo", 0, 0, 0);
  CHECK(fd >= 0, "openat(AT_FDCWD, /proc/meminfo)");
  int64_t pos = -1;
  CHECK(sc(__NR__llseek, fd, 0, 4, (long)&pos, 0) == 0 && pos == 4, "_llseek to 4 -> 4");
  CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "otal", 4) == 0, "and reads from there");
  close(fd);
  struct stat64 st;
  CHECK(sc(__NR_fstatat64, -100, (long)"/proc", (long)&st, 0, 0) == 0 && S_ISDIR(st.st_mode),
        "fstatat64(AT_FDCWD, /proc) is a directory");
  CHECK(sc(__NR_fstatat64, 0, (long)"", (long)&st, 0x1000, 0) == 0, "fstatat64(0, \"\", AT_EMPTY_PATH)");
  CHECK(sc(__NR_access, (long)"/proc/meminfo", 4, 0, 0, 0) == 0, "access(/proc/meminfo, R_OK)");
  CHECK(sc(__NR_access, (long)"/no/such", 0, 0, 0, 0) == -1 && errno == ENOENT, "access missing -> ENOENT");
  uint32_t tio[9];
  CHECK(sc(__NR_ioctl, 0, 0x5401, (long)tio, 0, 0) == 0 && (tio[3] & 2) && (tio[3] & 8),
        "TCGETS on the console: ICANON and ECHO");
  uint16_t ws[4];
  CHECK(sc(__NR_ioctl, 1, 0x5413, (long)ws, 0, 0) == 0 && ws[0] == 24 && ws[1] == 80,
        "TIOCGWINSZ: 24 rows, 80 columns");
  CHECK(sc(__NR_ioctl, fds[0], 0x5401, (long)tio, 0, 0) == -1 && errno == ENOTTY, "TCGETS on a pipe -> ENOTTY");
  close(fds[0]);
  close(fds[1]);
}

/* ---- signals ---- */
static volatile int plain_count;
static void on_plain(int sig) { plain_count += sig; }

static void test_signals(void) {
  /* a handler without SA_SIGINFO returns through sigreturn (119) */
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_plain;
  sigaction(SIGUSR2, &sa, 0);
  volatile int keep = 1234;
  raise(SIGUSR2);
  raise(SIGUSR2);
  CHECK(plain_count == 2 * SIGUSR2 && keep == 1234, "two handler returns through sigreturn");
  /* rt_sigsuspend: SIGUSR2 blocked, a child sends it, suspend with an empty mask */
  sigset_t block = 1ULL << (SIGUSR2 - 1), empty = 0, now = 0, before = 0;
  sigprocmask(SIG_BLOCK, &block, &before);   /* natively, the parent may have blocked others */
  pid_t pid = fork();
  if (pid == 0) {
    kill(getppid(), SIGUSR2);
    _exit(0);
  }
  long r = sc(__NR_rt_sigsuspend, (long)&empty, 8, 0, 0, 0);
  int e = errno;
  sigprocmask(SIG_BLOCK, 0, &now);
  CHECK(r == -1 && e == EINTR && plain_count == 3 * SIGUSR2, "rt_sigsuspend returns EINTR after the handler");
  CHECK(now == (before | block), "and the blocked mask is restored");
  waitpid(pid, 0, 0);
  sigprocmask(SIG_UNBLOCK, &block, 0);
}

/* ---- ids, time, system ---- */
static void test_misc(void) {
  int f;
  uint32_t uid = getauxval(11, &f), euid = getauxval(12, &f), gid = getauxval(13, &f), egid = getauxval(14, &f);
  CHECK(sc(__NR_getuid32, 0, 0, 0, 0, 0) == (long)uid && sc(__NR_geteuid32, 0, 0, 0, 0, 0) == (long)euid &&
        sc(__NR_getgid32, 0, 0, 0, 0, 0) == (long)gid && sc(__NR_getegid32, 0, 0, 0, 0, 0) == (long)egid,
        "the uid and gid calls agree with AT_UID/EUID/GID/EGID");
  JX86_ONLY("the user need not be root", uid == 0 && euid == 0 && gid == 0 && egid == 0 &&
            sc(__NR_getuid, 0, 0, 0, 0, 0) == 0, "everyone is root: uid and gid 0");
  int32_t rt[2], mono0[2], mono1[2], coarse[2], tv[2];
  CHECK(sc(__NR_clock_gettime, 0, (long)rt, 0, 0, 0) == 0 && rt[0] > 1000000000,
        "CLOCK_REALTIME is after 2001");
  /* the emulator's virtual RTC starts at 2026-01-01 00:00:00 UTC (1767225600) */
  JX86_ONLY("the host's clock is the real time", rt[0] >= 1767225600 && rt[0] < 1767225600 + 60,
            "CLOCK_REALTIME is the virtual RTC's 2026-01-01 00:00 UTC (within a minute)");
  CHECK(sc(__NR_gettimeofday, (long)tv, 0, 0, 0, 0) == 0 && tv[0] - rt[0] <= 1 && tv[0] >= rt[0],
        "gettimeofday agrees");
  CHECK(sc(__NR_clock_gettime, 5, (long)coarse, 0, 0, 0) == 0 && coarse[0] - rt[0] <= 1,
        "CLOCK_REALTIME_COARSE agrees");
  sc(__NR_clock_gettime, 1, (long)mono0, 0, 0, 0);
  int32_t req[2] = {0, 30 * 1000 * 1000};
  CHECK(sc(__NR_clock_nanosleep, 1, 0, (long)req, 0, 0) == 0, "clock_nanosleep 30 ms");
  sc(__NR_clock_gettime, 1, (long)mono1, 0, 0, 0);
  int32_t ms = (mono1[0] - mono0[0]) * 1000 + (mono1[1] - mono0[1]) / 1000000;
  CHECK(ms >= 30, "CLOCK_MONOTONIC advanced at least 30 ms");
  CHECK(sc(__NR_clock_gettime, 99, (long)rt, 0, 0, 0) == -1 && errno == EINVAL, "clock 99 -> EINVAL");
  uint32_t si[16];
  /* totalram and freeram count mem_unit bytes (jx86: pages; Linux: bytes, or more when it must) */
  CHECK(sc(__NR_sysinfo, (long)si, 0, 0, 0, 0) == 0 && (uint64_t)si[4] * si[13] >= (4u << 20) &&
        si[5] <= si[4] && (si[1] >> 16) < 64, "sysinfo: at least 4 MiB of RAM, free <= total, load < 64");
  uint8_t rnd[16] = {0};
  CHECK(sc(__NR_getrandom, (long)rnd, 16, 0, 0, 0) == 16, "getrandom 16 bytes");
  CHECK(sc(__NR_getpgrp, 0, 0, 0, 0, 0) == getpid() && sc(__NR_getsid, 0, 0, 0, 0, 0) == getpid(),
        "the test leads its own process group and session");
  CHECK(sc(__NR_gettid, 0, 0, 0, 0, 0) == getpid(), "gettid is the pid");
  int before = plain_count;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_plain;
  sigaction(SIGUSR2, &sa, 0);
  CHECK(sc(__NR_tgkill, getpid(), getpid(), SIGUSR2, 0, 0) == 0 && plain_count == before + SIGUSR2,
        "tgkill(pid, pid, SIGUSR2) runs the handler (glibc's raise)");
  /* a child in a process group of its own, killed through the group */
  pid_t pid = fork();
  if (pid == 0) {
    sc(__NR_setpgid, 0, 0, 0, 0, 0);
    for (;;)
      pause();
  }
  sched_yield();
  struct timespec t = {0, 20 * 1000 * 1000};
  nanosleep(&t, 0);
  CHECK(sc(__NR_getpgid, pid, 0, 0, 0, 0) == pid, "setpgid(0, 0) in a child: its own group");
  int st = -1;
  CHECK(kill(-pid, SIGTERM) == 0 && waitpid(pid, &st, 0) == pid && WTERMSIG(st) == SIGTERM,
        "kill(-pgid) ends the group (status %x)", st);
  /* raw mode is kept and reported back */
  uint32_t tio[9], raw[9];
  sc(__NR_ioctl, 0, 0x5401, (long)tio, 0, 0);
  memcpy(raw, tio, sizeof(raw));
  raw[3] &= ~(2u | 8u);                                     /* ~(ICANON | ECHO) */
  sc(__NR_ioctl, 0, 0x5402, (long)raw, 0, 0);
  uint32_t now[9];
  sc(__NR_ioctl, 0, 0x5401, (long)now, 0, 0);
  sc(__NR_ioctl, 0, 0x5402, (long)tio, 0, 0);
  CHECK(!(now[3] & 2) && !(now[3] & 8), "TCSETS: raw mode (no ICANON, no ECHO) reads back");
  /* the foreground group gets SIGWINCH when the window size changes */
  int32_t me = getpid(), fg = 0;
  CHECK(sc(__NR_ioctl, 0, 0x5410, (long)&me, 0, 0) == 0 && sc(__NR_ioctl, 0, 0x540F, (long)&fg, 0, 0) == 0 &&
        fg == me, "TIOCSPGRP/TIOCGPGRP: the foreground group is the caller's");
  before = plain_count;
  sigaction(SIGWINCH, &sa, 0);
  uint16_t ws[4] = {50, 132, 0, 0}, back[4] = {0};
  sc(__NR_ioctl, 1, 0x5414, (long)ws, 0, 0);
  sc(__NR_ioctl, 1, 0x5413, (long)back, 0, 0);
  CHECK(back[0] == 50 && back[1] == 132 && plain_count == before + SIGWINCH,
        "TIOCSWINSZ 50x132 reads back and sends SIGWINCH");
}

/* ---- the *at calls relative to a directory descriptor, ftruncate (in the current directory:
 * the disk's root on jx86, a scratch directory natively) ---- */
static int file_is(const char *path, const char *want, int size) {
  struct stat64 st;
  char buf[16] = {0};
  int fd = open(path, O_RDONLY);
  int n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
  close(fd);
  return stat(path, &st) == 0 && st.st_size == size && n == size && memcmp(buf, want, size) == 0;
}

static void test_at(void) {
  CHECK(mkdir("abi.d", 0755) == 0, "mkdir abi.d in the current directory");
  int dfd = open("abi.d", O_RDONLY | O_DIRECTORY);
  CHECK(dfd >= 0, "open(abi.d, O_DIRECTORY)");
  int fd = sc(__NR_openat, dfd, (long)"f", O_RDWR | O_CREAT | O_EXCL, 0644, 0);
  CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10, "openat(dirfd, \"f\", O_CREAT) and write 10 bytes");
  CHECK(file_is("abi.d/f", "0123456789", 10), "the file is abi.d/f");
  struct stat64 st;
  CHECK(sc(__NR_fstatat64, dfd, (long)"f", (long)&st, 0, 0) == 0 && S_ISREG(st.st_mode) && st.st_size == 10,
        "fstatat64(dirfd, \"f\")");
  CHECK(sc(__NR_faccessat, dfd, (long)"f", 4, 0, 0) == 0, "faccessat(dirfd, \"f\", R_OK)");
  CHECK(sc(__NR_mkdirat, dfd, (long)"sub", 0755, 0, 0) == 0 && stat("abi.d/sub", &st) == 0 && S_ISDIR(st.st_mode),
        "mkdirat(dirfd, \"sub\") makes abi.d/sub");
  int fd2 = sc(__NR_openat, dfd, (long)"sub/../f", O_RDONLY, 0, 0);
  char buf[4] = {0};
  CHECK(fd2 >= 0 && read(fd2, buf, 4) == 4 && memcmp(buf, "0123", 4) == 0, "openat(dirfd, \"sub/../f\") reads it");
  close(fd2);
  CHECK(sc(__NR_openat, fd, (long)"x", O_RDONLY, 0, 0) == -1 && errno == ENOTDIR, "openat(a file's fd, \"x\") -> ENOTDIR");
  CHECK(sc(__NR_openat, 99, (long)"x", O_RDONLY, 0, 0) == -1 && errno == EBADF, "openat(99, \"x\") -> EBADF");
  fd2 = sc(__NR_openat, 99, (long)"/proc/meminfo", O_RDONLY, 0, 0);
  CHECK(fd2 >= 0, "openat(99, an absolute path) ignores the descriptor");
  close(fd2);
  uint8_t *m = (uint8_t *)mmap2(0, 4096, 3, 0x02, fd, 0);   /* PROT_READ|PROT_WRITE, MAP_PRIVATE */
  int tail0 = 1;
  for (int i = 10; m != (void *)-1 && i < 4096; i++)
    tail0 &= m[i] == 0;
  CHECK(m != (void *)-1 && memcmp(m, "0123456789", 10) == 0 && tail0,
        "mmap2 MAP_PRIVATE of the file: its 10 bytes, then zeros to the page's end");
  if (m != (void *)-1)
    m[0] = 'X';
  CHECK(file_is("abi.d/f", "0123456789", 10), "a write to the private mapping does not reach the file");
  CHECK(sc(__NR_munmap, (long)m, 4096, 0, 0, 0) == 0, "munmap the file mapping");
  CHECK(sc(__NR_ftruncate64, fd, 4, 0, 0, 0) == 0 && file_is("abi.d/f", "0123", 4), "ftruncate64 to 4 keeps \"0123\"");
  CHECK(sc(__NR_ftruncate64, fd, 6, 0, 0, 0) == 0 && file_is("abi.d/f", "0123\0\0", 6), "ftruncate64 to 6 adds zeros");
  CHECK(sc(__NR_ftruncate, fd, 0, 0, 0, 0) == 0 && file_is("abi.d/f", "", 0), "ftruncate to 0 empties it");
  fd2 = open("abi.d/f", O_RDONLY);
  CHECK(sc(__NR_ftruncate, fd2, 0, 0, 0, 0) == -1 && errno == EINVAL, "ftruncate of a read-only descriptor -> EINVAL");
  close(fd2);
  close(fd);
  CHECK(sc(__NR_unlinkat, dfd, (long)"sub", 0, 0, 0) == -1 && errno == EISDIR,
        "unlinkat(dirfd, \"sub\", 0) of a directory -> EISDIR");
  CHECK(sc(__NR_unlinkat, dfd, (long)"sub", 0x200, 0, 0) == 0 && stat("abi.d/sub", &st) == -1 && errno == ENOENT,
        "unlinkat(dirfd, \"sub\", AT_REMOVEDIR)");
  CHECK(sc(__NR_unlinkat, dfd, (long)"f", 0, 0, 0) == 0 && stat("abi.d/f", &st) == -1 && errno == ENOENT,
        "unlinkat(dirfd, \"f\", 0)");
  close(dfd);
  CHECK(rmdir("abi.d") == 0, "abi.d is empty again: rmdir");
}

/* ---- the device files glibc and busybox open ---- */
static void test_devices(void) {
  char buf[32];
  int fd = open("/dev/null", O_RDWR);
  CHECK(fd >= 0 && write(fd, "gone", 4) == 4 && read(fd, buf, sizeof(buf)) == 0,
        "/dev/null takes writes and reads as end of file");
  close(fd);
  fd = open("/dev/zero", O_RDONLY);
  memset(buf, 0x55, sizeof(buf));
  int zeros = 0;
  int n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
  for (int i = 0; i < n; i++)
    zeros += buf[i] == 0;
  CHECK(n == 32 && zeros == 32, "/dev/zero reads 32 zero bytes");
  close(fd);
  fd = open("/dev/urandom", O_RDONLY);
  uint8_t a[16] = {0}, b[16] = {0};
  CHECK(fd >= 0 && read(fd, a, 16) == 16 && read(fd, b, 16) == 16 && memcmp(a, b, 16) != 0,
        "/dev/urandom reads 16 bytes, then 16 others");
  close(fd);
  fd = open("/dev/tty", O_RDWR);
  uint32_t tio[9];
  CHECK(fd >= 0 && sc(__NR_ioctl, fd, 0x5401, (long)tio, 0, 0) == 0, "/dev/tty is the controlling terminal (TCGETS)");
  close(fd);
}

/* ---- /proc files of issue 21 ---- */
static char procbuf[4096];

/* Reads path into procbuf (NUL-terminated); the byte count or -1 */
static int readproc(const char *path) {
  int fd = open(path, O_RDONLY), n = 0, r;
  if (fd < 0)
    return -1;
  while (n < (int)sizeof(procbuf) - 1 && (r = read(fd, procbuf + n, sizeof(procbuf) - 1 - n)) > 0)
    n += r;
  close(fd);
  procbuf[n] = 0;
  return n;
}

/* The next space-separated number of s (may be negative); *s moves past it */
static int next_int(const char **s) {
  const char *p = *s;
  while (*p == ' ')
    p++;
  int neg = *p == '-', v = 0;
  p += neg;
  while (*p >= '0' && *p <= '9')
    v = v * 10 + (*p++ - '0');
  *s = p;
  return neg ? -v : v;
}

static void test_proc(char **argv) {
  int n = readproc("/proc/self/cmdline");
  CHECK(n == (int)strlen(argv[0]) + 1 && strcmp(procbuf, argv[0]) == 0, "/proc/self/cmdline is argv, NUL-ended");
  char want[64];
  snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
  CHECK(readproc("/proc/self/status") > 0 && strncmp(procbuf, "Name:\tabitests\n", 15) == 0 &&
        strstr(procbuf, "\nState:\tR (running)\n") && strstr(procbuf, want),
        "/proc/self/status: Name, State R (running), Pid");
  int32_t fg = 0;
  sc(__NR_ioctl, 0, 0x540F, (long)&fg, 0, 0);
  const char *s = procbuf;
  int ok = readproc("/proc/self/stat") > 0 && next_int(&s) == getpid() && strncmp(s, " (abitests) R ", 14) == 0;
  s += ok ? 14 : 0;
  int ppid = next_int(&s), pgrp = next_int(&s), sid = next_int(&s);
  next_int(&s);                       /* tty_nr: ttyS0 on jx86, a pty natively */
  int tpgid = next_int(&s);
  CHECK(ok && ppid == getppid() && pgrp == sc(__NR_getpgrp, 0, 0, 0, 0, 0) && sid == sc(__NR_getsid, 0, 0, 0, 0, 0) &&
        tpgid == fg, "/proc/self/stat: pid (comm) R ppid pgrp session tty tpgid");
  uint32_t a, b, c, d;
  __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
  CHECK(readproc("/proc/cpuinfo") > 0 && strstr(procbuf, (d & 1) ? "\nfpu\t\t: yes\n" : "\nfpu\t\t: no\n"),
        "/proc/cpuinfo's fpu line agrees with CPUID.1:EDX");
  CHECK(readproc("/proc/mounts") > 0 && strstr(procbuf, " / "), "/proc/mounts lists the root");
}

/* ---- job control ---- */
static volatile int chld_count;
static void on_chld(int sig) {
  (void)sig;
  chld_count++;
}

static void on_prof_exit(int sig) {
  (void)sig;
  _exit(7);
}

/* The state letter of /proc/<pid>/stat ("pid (name) S ..."), or '?' */
static char proc_state(int pid) {
  char path[32], buf[128];
  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY);
  int n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *p = strstr(buf, ") ");
  return p ? p[2] : '?';
}

/* waitpid that goes on when a handler (SIGCHLD here) interrupted it */
static int waitpid_again(int pid, int *st, int options) {
  int r;
  while ((r = waitpid(pid, st, options)) == -1 && errno == EINTR)
    ;
  return r;
}

static void test_jobs(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_chld;
  sa.sa_flags = SA_RESTART;           /* natively, a SIGCHLD must not cut a write of this output */
  sigaction(SIGCHLD, &sa, 0);
  int fds[2];
  pipe(fds);
  /* the children get groups of their own: a group whose members' parents are all inside it or
   * in another session (the test's own) is orphaned, and Linux does not stop it for SIGTSTP */
  pid_t pid = fork();
  if (pid == 0) {                     /* reads the pipe: the read is interrupted by the stop */
    sc(__NR_setpgid, 0, 0, 0, 0, 0);
    char c[8];
    int n = read(fds[0], c, sizeof(c));
    _exit(n == 5 ? 42 : n < 0 ? 100 + errno : 99);
  }
  sc(__NR_setpgid, pid, pid, 0, 0, 0);   /* both sides, so it is done before the kill */
  sched_yield();
  struct timespec t = {0, 20 * 1000 * 1000};
  nanosleep(&t, 0);
  int st = -1;
  CHECK(kill(pid, SIGTSTP) == 0 && waitpid_again(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
        WSTOPSIG(st) == SIGTSTP && st == 0x147f, "SIGTSTP stops a child: waitpid(WUNTRACED) says 0x147f");
  CHECK(chld_count == 1, "the stop sent SIGCHLD to the parent");
  CHECK(proc_state(pid) == 'T', "/proc/<pid>/stat shows T while it is stopped");
  CHECK(waitpid(pid, &st, WNOHANG) == 0, "without WUNTRACED the stop is not reported");
  CHECK(waitpid(pid, &st, WNOHANG | WUNTRACED) == 0, "and a stop is reported once");
  CHECK(kill(pid, SIGCONT) == 0 && waitpid_again(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
        "SIGCONT continues it: waitpid(WCONTINUED) says 0xffff");
  /* Linux sends this SIGCHLD when the continued child next runs, maybe after waitpid returned */
  for (int i = 0; i < 100 && chld_count < 2; i++)
    nanosleep(&t, 0);
  CHECK(chld_count == 2, "the continue sent SIGCHLD too");
  nanosleep(&t, 0);
  write(fds[1], "hello", 5);
  CHECK(waitpid_again(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
        "the read the stop interrupted went on after SIGCONT (no EINTR)");
  /* SA_NOCLDSTOP: no SIGCHLD for stops; SIGKILL ends a stopped process */
  sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGCHLD, &sa, 0);
  chld_count = 0;
  pid = fork();
  if (pid == 0) {
    sc(__NR_setpgid, 0, 0, 0, 0, 0);
    for (;;)
      pause();
  }
  sc(__NR_setpgid, pid, pid, 0, 0, 0);
  CHECK(kill(pid, SIGSTOP) == 0 && waitpid_again(pid, &st, WUNTRACED) == pid && st == 0x137f && chld_count == 0,
        "SIGSTOP with SA_NOCLDSTOP: stopped (0x137f), no SIGCHLD");
  CHECK(kill(pid, SIGKILL) == 0 && waitpid_again(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
        "SIGKILL ends a stopped process");
  /* a background process group reading the terminal gets SIGTTIN (the test is the foreground) */
  pid = fork();
  if (pid == 0) {
    sc(__NR_setpgid, 0, 0, 0, 0, 0);
    char c;
    read(0, &c, 1);
    _exit(0);
  }
  CHECK(waitpid_again(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN,
        "a background read of the terminal: SIGTTIN stops the reader");
  kill(pid, SIGKILL);
  waitpid_again(pid, &st, 0);
  /* a child in the test's own group, which is orphaned: SIGTSTP is dropped, and SIGPROF (27,
   * taken after 20) ends it */
  pid = fork();
  if (pid == 0) {
    signal(SIGPROF, on_prof_exit);
    for (;;)
      pause();
  }
  nanosleep(&t, 0);                   /* until the child's handler is in place */
  kill(pid, SIGTSTP);
  kill(pid, SIGPROF);
  CHECK(waitpid_again(pid, &st, WUNTRACED) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7,
        "SIGTSTP to an orphaned process group does not stop it");
  int32_t g = 30000;
  CHECK(sc(__NR_ioctl, 0, 0x5410, (long)&g, 0, 0) == -1 && errno == ESRCH, "TIOCSPGRP of no group -> ESRCH");
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = 0;
  sigaction(SIGCHLD, &sa, 0);
  close(fds[0]);
  close(fds[1]);
}

int main(int argc, char **argv) {
  char **e = environ;
  while (*e)
    e++;
  auxv = (uint32_t *)(e + 1);
  (void)argc;
  char uts[6 * 65];
  native = sc(__NR_uname, (long)uts, 0, 0, 0, 0) == 0 && strcmp(uts, "jx86") != 0;
  test_auxv(argv);
  test_tls();
  test_clone();
  test_mmap();
  test_files();
  test_at();
  test_devices();
  test_signals();
  test_misc();
  test_proc(argv);                    /* after test_misc has made the test the foreground group */
  test_jobs();
  return tests_done("abitests", failures);
}
