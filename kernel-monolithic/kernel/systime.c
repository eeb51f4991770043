/* systime.c: time, identity and system-information calls of the Linux i386 ABI.
 * The wall clock is the CMOS RTC's time at boot plus the ticks since; the emulator's RTC is
 * virtual (a fixed epoch) unless it is run with the host's time, and ticks come from the
 * instruction count, so runs stay deterministic. Everyone is root (uid 0, gid 0). */
#include "defs.h"
#include "proc.h"

struct proc *proc_table(int i);

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME            1
#define NSEC_PER_TICK (1000000000 / HZ)

/* The time on clock id in *sec and *nsec; 0, or -EINVAL for an unknown clock. Every clock
 * ticks at HZ (the resolution clock_getres reports); the CPU-time clocks count the whole
 * system's ticks (no per-process accounting). (No 64-bit division: the kernel has no libgcc.) */
static int clock_read(int id, uint32_t *sec, uint32_t *nsec) {
  uint32_t t = ticks;
  *sec = t / HZ;
  *nsec = (t % HZ) * NSEC_PER_TICK;
  switch (id) {
  case CLOCK_REALTIME:
  case CLOCK_REALTIME_COARSE:
    *sec += boot_time();
    return 0;
  case CLOCK_MONOTONIC:
  case CLOCK_MONOTONIC_RAW:
  case CLOCK_MONOTONIC_COARSE:
  case CLOCK_BOOTTIME:
  case CLOCK_PROCESS_CPUTIME_ID:
  case CLOCK_THREAD_CPUTIME_ID:
    return 0;
  default:
    return -EINVAL;
  }
}

int sys_clock_gettime(int id, uaddr_t uts) {
  uint32_t ts[2];
  int r = clock_read(id, &ts[0], &ts[1]);
  if (r < 0)
    return r;
  return copyout(curproc->pgdir, uts, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

/* clock_gettime64 (403): struct __kernel_timespec, a 64-bit tv_sec and a 64-bit tv_nsec slot */
int sys_clock_gettime64(int id, uaddr_t uts) {
  uint32_t sec, nsec;
  int r = clock_read(id, &sec, &nsec);
  if (r < 0)
    return r;
  uint64_t ts[2] = {sec, nsec};
  return copyout(curproc->pgdir, uts, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

int sys_clock_getres(int id, uaddr_t uts) {
  uint32_t sec, nsec;
  if (clock_read(id, &sec, &nsec) < 0)
    return -EINVAL;
  int32_t ts[2] = {0, NSEC_PER_TICK};
  return uts && copyout(curproc->pgdir, uts, ts, sizeof(ts)) < 0 ? -EFAULT : 0;
}

int sys_gettimeofday(uaddr_t utv, uaddr_t utz) {
  uint32_t tv[2];
  clock_read(CLOCK_REALTIME, &tv[0], &tv[1]);
  tv[1] /= 1000;
  int32_t tz[2] = {0, 0};               /* UTC, no DST */
  if (utv && copyout(curproc->pgdir, utv, tv, sizeof(tv)) < 0)
    return -EFAULT;
  if (utz && copyout(curproc->pgdir, utz, tz, sizeof(tz)) < 0)
    return -EFAULT;
  return 0;
}

int sys_time(uaddr_t ut) {
  uint32_t t, ns;
  clock_read(CLOCK_REALTIME, &t, &ns);
  if (ut && copyout(curproc->pgdir, ut, &t, sizeof(t)) < 0)
    return -EFAULT;
  return t;
}

int sys_nanosleep(uaddr_t ureq, uaddr_t urem);

/* clock_nanosleep(2): a relative sleep is nanosleep; an absolute one sleeps the difference */
int sys_clock_nanosleep(int id, int flags, uaddr_t ureq, uaddr_t urem) {
  uint32_t sec, nsec;
  if (clock_read(id, &sec, &nsec) < 0 || id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID)
    return -EINVAL;
  if (!(flags & TIMER_ABSTIME))
    return sys_nanosleep(ureq, urem);
  int32_t ts[2];
  if (copyin(curproc->pgdir, ts, ureq, sizeof(ts)) < 0)
    return -EFAULT;
  if (ts[1] < 0 || ts[1] >= 1000000000)
    return -EINVAL;
  for (;;) {
    clock_read(id, &sec, &nsec);
    if (sec > (uint32_t)ts[0] || (sec == (uint32_t)ts[0] && nsec >= (uint32_t)ts[1]))
      return 0;
    if (signal_pending(curproc))
      return -EINTR;
    sleep(&ticks);
  }
}

/* struct sysinfo (Linux i386) */
struct sysinfo {
  int32_t uptime;
  uint32_t loads[3];         /* 1, 5, 15 minute load averages << 16 */
  uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
  uint16_t procs, pad;
  uint32_t totalhigh, freehigh, mem_unit;
  char f[8];
};

int sys_sysinfo(uaddr_t uinfo) {
  struct sysinfo si;
  memset(&si, 0, sizeof(si));
  si.uptime = ticks / HZ;
  int nproc = 0, running = 0;
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);   /* kernel/proc.c */
    nproc += p->state != UNUSED;
    running += p->state == RUNNABLE || p->state == RUNNING;
  }
  /* no load average is kept: report the runnable processes now, for all three */
  si.loads[0] = si.loads[1] = si.loads[2] = (uint32_t)running << 16;
  si.totalram = boot_ramtop() / PGSIZE;
  si.freeram = kfreecount();
  si.procs = nproc;
  si.mem_unit = PGSIZE;
  return copyout(curproc->pgdir, uinfo, &si, sizeof(si)) < 0 ? -EFAULT : 0;
}

/* ---- identity: one user, root ---- */

int sys_getuid(void) { return 0; }   /* also geteuid, getgid, getegid and their 32-bit forms */

int sys_setuid(uint32_t id) {
  return id == 0 ? 0 : -EPERM;
}

int sys_getresuid(uaddr_t r, uaddr_t e, uaddr_t s) {
  uint32_t zero = 0;
  if (copyout(curproc->pgdir, r, &zero, 4) < 0 || copyout(curproc->pgdir, e, &zero, 4) < 0 ||
      copyout(curproc->pgdir, s, &zero, 4) < 0)
    return -EFAULT;
  return 0;
}

int sys_getgroups(int size, uaddr_t list) {
  (void)size, (void)list;
  return 0;                             /* no supplementary groups */
}

/* umask(2): kept per system, not per process (files are created with mode & ~022 anyway) */
int sys_umask(uint32_t mask) {
  static uint32_t cur = 022;
  uint32_t old = cur;
  cur = mask & 0777;
  return old;
}

/* getrlimit/ugetrlimit/prlimit64: no limits are enforced; report "unlimited", the stack as mapped */
#define RLIMIT_STACK  3
#define RLIMIT_NOFILE 7
int sys_ugetrlimit(int res, uaddr_t urlim) {
  uint32_t lim[2] = {0xFFFFFFFF, 0xFFFFFFFF};
  if (res < 0 || res >= 16)
    return -EINVAL;
  if (res == RLIMIT_STACK)
    lim[0] = lim[1] = USTACKPAGES * PGSIZE;
  if (res == RLIMIT_NOFILE)
    lim[0] = lim[1] = NOFILE;
  return copyout(curproc->pgdir, urlim, lim, sizeof(lim)) < 0 ? -EFAULT : 0;
}

int sys_prlimit64(int pid, int res, uaddr_t unew, uaddr_t uold) {
  if (pid != 0 && pid != curproc->pid)
    return -ESRCH;
  if (res < 0 || res >= 16)
    return -EINVAL;
  (void)unew;                           /* accepted, not enforced */
  if (!uold)
    return 0;
  uint32_t l[2];
  l[0] = l[1] = res == RLIMIT_STACK ? USTACKPAGES * PGSIZE : res == RLIMIT_NOFILE ? NOFILE : 0xFFFFFFFF;
  uint64_t lim[2] = {l[0] == 0xFFFFFFFF ? ~0ULL : l[0], l[1] == 0xFFFFFFFF ? ~0ULL : l[1]};
  return copyout(curproc->pgdir, uold, lim, sizeof(lim)) < 0 ? -EFAULT : 0;
}
