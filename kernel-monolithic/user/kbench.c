/* kbench.c: a kernel-heavy benchmark (init=/bin/kbench). Fixed iteration counts of: system calls
 * (getpid; write+read on a pipe), context switches (two processes ping-ponging a word over two
 * pipes), brk growth with every fresh page touched, copy-on-write faults after fork, and fork/exit
 * cycles (each one switching address spaces, i.e. a CR3 reload and TLB flush). Every result the
 * kernel hands back feeds one FNV-1a checksum printed as "kbench checksum=0x..."; then it powers
 * off. The checksum depends only on values the kernel must compute the same way on any correct
 * machine (no pids of children, no timing), so QEMU and jx86 print the same line. As init it then
 * powers off (status 1 after a failure); from the shell it exits.
 *
 * Around each phase it reads /proc/jx86/counters (the jx86 performance-counter device: virtual
 * cycles and guest instructions) and prints the cost per operation, plus the CR3 loads and the TLB
 * misses (I-TLB and D-TLB, kernel and user) from /proc/jx86/tlb; on a machine without the device
 * (QEMU) it prints "counters: unavailable". These lines are reports only and never reach the
 * checksum.
 *
 * "kbench=N" on the kernel command line (read from /proc/cmdline) runs N rounds of all phases
 * instead, without the counter reads and the per-phase lines, so that every emulator runs the same
 * instructions: `jx86 bench --compare` times N rounds and subtracts a boot with kbench=0 (the
 * zero-work variant, same kernel and disk). Each round mixes the same values into the checksum. */
#include "libc.h"

#define N_GETPID   20000
#define N_PIPE     5000     /* write 32 bytes + read them back */
#define N_PINGPONG 2000     /* round trips: two context switches each */
#define N_BRK      100      /* grow by BRK_PAGES, touch each page, shrink */
#define BRK_PAGES  16
#define N_COW      50       /* forks of a COW_PAGES heap whose child writes every page */
#define COW_PAGES  64
#define N_FORK     200      /* fork, child exits, parent waits */
#define PAGE       4096

static uint32_t sum = 2166136261u;
static bool quiet;          /* rounds given on the command line: no counters, no per-phase lines */

static void mix(uint32_t v) {
  for (int i = 0; i < 4; i++) {
    sum ^= (v >> (8 * i)) & 0xff;
    sum *= 16777619u;
  }
}

/* A failed step: as init (init=/bin/kbench) the run ends with status 1, from the shell kbench does. */
static void die(const char *what) {
  printf("kbench: FAIL %s (errno %d)\n", what, errno);
  if (getpid() == 1)
    poweroff_status(1);
  _exit(1);
}

/* ---- counters: a snapshot of the jx86 perf-counter device through /proc ---- */

struct snap {
  bool ok;
  uint64_t cycles, instructions, cr3, misses;
};

static int readall(const char *path, char *buf, int size) {
  int fd = open(path, O_RDONLY, 0);
  if (fd < 0)
    return -1;
  int n = 0, r;
  while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
    n += r;
  close(fd);
  buf[n] = 0;
  return n;
}

/* The decimal number after the first occurrence of key (and blanks) in s; 0 if none. */
static uint64_t number_after(const char *s, const char *key) {
  int k = strlen(key);
  for (; *s; s++)
    if (strncmp(s, key, k) == 0)
      break;
  if (!*s)
    return 0;
  s += k;
  while (*s == ' ')
    s++;
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (uint32_t)(*s++ - '0');
  return v;
}

/* The sum of the first cols columns of a /proc/jx86/tlb row (itlb_kernel, itlb_user, dtlb_kernel,
 * dtlb_user). A CR3 load flushes both TLBs, so the I-TLB's two columns alone count the CR3 loads;
 * the misses of all four are the TLB misses. */
static uint64_t tlb_row(const char *s, const char *name, int cols) {
  int k = strlen(name);
  for (s++; *s; s++)
    if (s[-1] == '\n' && strncmp(s, name, k) == 0 && s[k] == ' ')
      break;
  if (!*s)
    return 0;
  s += k;
  uint64_t total = 0;
  for (int col = 0; col < cols; col++) {
    while (*s == ' ')
      s++;
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9')
      v = v * 10 + (uint32_t)(*s++ - '0');
    total += v;
  }
  return total;
}

static struct snap snapshot(void) {
  static char buf[2048];
  struct snap s = {0};
  if (quiet || readall("/proc/jx86/counters", buf, sizeof buf) <= 0 || strncmp(buf, "cycles ", 7) != 0)
    return s;
  s.cycles = number_after(buf, "cycles");
  s.instructions = number_after(buf, "instructions");
  if (readall("/proc/jx86/tlb", buf, sizeof buf) > 0) {
    s.cr3 = tlb_row(buf, "cr3_flushes", 2);
    s.misses = tlb_row(buf, "misses", 4);
  }
  s.ok = true;
  return s;
}

/* 32-bit quotient of a 64-bit difference (no libgcc: the deltas here are far below 2^32). */
static uint32_t per(uint64_t delta, uint32_t n) {
  if (delta >> 32)
    return 0xffffffffu;
  return (uint32_t)delta / n;
}

static void report(const char *phase, const char *unit, uint32_t n, struct snap a, struct snap b) {
  if (quiet)
    return;
  if (!a.ok || !b.ok) {
    printf("kbench: %-9s %6u %-10s counters: unavailable\n", phase, n, unit);
    return;
  }
  uint32_t misses100 = per((b.misses - a.misses) * 100, n);
  printf("kbench: %-9s %6u %-10s %6u instructions %7u cycles each, %u CR3 loads, %u TLB misses (%u.%02u each)\n",
         phase, n, unit, per(b.instructions - a.instructions, n), per(b.cycles - a.cycles, n),
         (uint32_t)(b.cr3 - a.cr3), (uint32_t)(b.misses - a.misses), misses100 / 100, misses100 % 100);
}

/* ---- phases ---- */

static void bench_getpid(void) {
  struct snap a = snapshot();
  uint32_t t = 0;
  for (int i = 0; i < N_GETPID; i++)
    t += getpid();
  struct snap b = snapshot();
  mix(t);
  report("getpid", "calls", N_GETPID, a, b);
}

static void bench_pipe(void) {
  int p[2];
  if (pipe(p) < 0)
    die("pipe");
  char out[32], in[32];
  struct snap a = snapshot();
  for (int i = 0; i < N_PIPE; i++) {
    for (int j = 0; j < 32; j++)
      out[j] = (char)(i * 7 + j);
    if (write(p[1], out, 32) != 32 || read(p[0], in, 32) != 32)
      die("pipe write/read");
    mix((uint8_t)in[i & 31]);
  }
  struct snap b = snapshot();
  close(p[0]);
  close(p[1]);
  report("pipe", "syscalls", 2 * N_PIPE, a, b);
}

static void bench_pingpong(void) {
  int down[2], up[2];
  if (pipe(down) < 0 || pipe(up) < 0)
    die("pipe");
  struct snap a = snapshot();
  pid_t pid = fork();
  if (pid < 0)
    die("fork");
  if (pid == 0) {
    uint32_t v, seen = 0;
    close(down[1]);                           /* else the read below never sees end of file */
    close(up[0]);
    while (read(down[0], &v, 4) == 4) {
      seen++;
      v = v * 3 + 1;
      write(up[1], &v, 4);
    }
    _exit(seen == N_PINGPONG ? 0 : 1);
  }
  close(down[0]);
  close(up[1]);
  uint32_t v = 1;
  for (int i = 0; i < N_PINGPONG; i++) {
    if (write(down[1], &v, 4) != 4 || read(up[0], &v, 4) != 4)
      die("ping-pong");
  }
  close(down[1]);
  int status;
  if (waitpid(pid, &status, 0) != pid)
    die("waitpid");
  struct snap b = snapshot();
  close(up[0]);
  mix(v);
  mix(status);
  report("pingpong", "switches", 2 * N_PINGPONG, a, b);
}

static void bench_brk(void) {
  uint32_t t = 0;
  struct snap a = snapshot();
  for (int i = 0; i < N_BRK; i++) {
    char *p = sbrk(BRK_PAGES * PAGE);
    if (p == (char *)-1)
      die("sbrk");
    for (int j = 0; j < BRK_PAGES; j++) {
      t += (uint8_t)p[j * PAGE + i];        /* fresh pages read as zero */
      p[j * PAGE + i] = (char)(i + j);
      t += (uint8_t)p[j * PAGE + i];
    }
    if (sbrk(-BRK_PAGES * PAGE) == (void *)-1)
      die("sbrk shrink");
  }
  struct snap b = snapshot();
  mix(t);
  report("brk", "pages", N_BRK * BRK_PAGES, a, b);
}

static void bench_cow(void) {
  uint32_t *heap = sbrk(COW_PAGES * PAGE);
  if (heap == (uint32_t *)-1)
    die("sbrk");
  for (int i = 0; i < COW_PAGES * PAGE / 4; i++)
    heap[i] = i * 2654435761u;
  int p[2];
  if (pipe(p) < 0)
    die("pipe");
  uint64_t faultcycles = 0, faultinstr = 0, faultmisses = 0;
  bool counted = true;
  for (int k = 0; k < N_COW; k++) {
    pid_t pid = fork();
    if (pid < 0)
      die("fork");
    if (pid == 0) {
      /* only the child runs while it faults (the parent waits in read), so the device's global
       * counters measure the faults alone */
      struct snap a = snapshot();
      uint32_t t = 0;
      for (int j = 0; j < COW_PAGES; j++) {
        uint32_t *w = heap + j * (PAGE / 4) + k;
        *w += (uint32_t)j;                    /* the first write to a shared page: a COW fault */
        t = t * 31 + *w;
      }
      struct snap b = snapshot();
      uint32_t msg[4] = {t, (uint32_t)(b.cycles - a.cycles), (uint32_t)(b.instructions - a.instructions),
                         (uint32_t)(b.misses - a.misses)};
      if (!a.ok || !b.ok)
        msg[1] = msg[2] = msg[3] = 0;
      write(p[1], msg, sizeof msg);
      _exit(0);
    }
    uint32_t msg[4];
    if (read(p[0], msg, sizeof msg) != sizeof msg)
      die("cow pipe");
    int status;
    if (waitpid(pid, &status, 0) != pid)
      die("waitpid");
    mix(msg[0]);
    mix(status);
    faultcycles += msg[1];
    faultinstr += msg[2];
    faultmisses += msg[3];
    counted = counted && msg[1] != 0;
  }
  /* the parent's copy is untouched by the children's writes */
  uint32_t t = 0;
  for (int i = 0; i < COW_PAGES * PAGE / 4; i += 97)
    t += heap[i];
  mix(t);
  close(p[0]);
  close(p[1]);
  sbrk(-COW_PAGES * PAGE);
  uint32_t n = N_COW * COW_PAGES;
  if (quiet)
    return;
  if (!counted)
    printf("kbench: %-9s %6u %-10s counters: unavailable\n", "cow", n, "faults");
  else {
    uint32_t misses100 = per(faultmisses * 100, n);
    printf("kbench: %-9s %6u %-10s %6u instructions %7u cycles each (in the child, incl. the write),"
           " %u TLB misses (%u.%02u each)\n", "cow", n, "faults", per(faultinstr, n), per(faultcycles, n),
           (uint32_t)faultmisses, misses100 / 100, misses100 % 100);
  }
}

static void bench_fork(void) {
  uint32_t t = 0;
  struct snap a = snapshot();
  for (int i = 0; i < N_FORK; i++) {
    pid_t pid = fork();
    if (pid < 0)
      die("fork");
    if (pid == 0)
      _exit(i & 0x7f);
    int status;
    if (waitpid(pid, &status, 0) != pid)
      die("waitpid");
    t = t * 33 + WEXITSTATUS(status);
  }
  struct snap b = snapshot();
  mix(t);
  report("fork+exit", "forks", N_FORK, a, b);
}

/* The N of "kbench=N" on the kernel command line, or -1 when it is not there. */
static int cmdline_rounds(void) {
  static char buf[512];
  if (readall("/proc/cmdline", buf, sizeof buf) <= 0)
    return -1;
  for (char *p = buf; *p; p++) {
    if ((p == buf || p[-1] == ' ') && strncmp(p, "kbench=", 7) == 0 && p[7] >= '0' && p[7] <= '9')
      return (int)number_after(p, "kbench=");
  }
  return -1;
}

int main(void) {
  int rounds = cmdline_rounds();
  quiet = rounds >= 0;
  if (!quiet)
    rounds = 1;
  if (quiet)
    printf("kbench: starting, %d rounds\n", rounds);
  else
    printf("kbench: starting\n");
  struct snap a = snapshot();
  for (int r = 0; r < rounds; r++) {
    bench_getpid();
    bench_pipe();
    bench_pingpong();
    bench_brk();
    bench_cow();
    bench_fork();
  }
  struct snap b = snapshot();
  if (a.ok && b.ok)
    printf("kbench: total %u instructions %u cycles\n", per(b.instructions - a.instructions, 1),
           per(b.cycles - a.cycles, 1));
  printf("kbench checksum=0x%08x\n", sum);
  if (getpid() != 1)
    return 0;                       /* run from the shell: back to the prompt */
  sync();
  reboot(RB_POWER_OFF);
  printf("kbench: poweroff: %s\n", strerror(errno));
  return 1;
}
