/* procfs.c: /proc, a synthetic file system: each file's text is generated when it is opened
 * (a snapshot, like a seq_file read in one go) and read from that buffer; /proc lists the fixed
 * files and one directory per process. Files: modules, meminfo, uptime, cmdline, interrupts,
 * <pid>/status, jx86/tlb and jx86/counters (fs/procjx86.c). */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"
#include "module.h"
#include "libkern/ext2.h"

#define PROCBUF 4096

struct proc *proc_table(int i);
int interrupts_show(char *buf, int size);
int jx86_tlb_show(char *buf, int size);
int jx86_counters_show(char *buf, int size);

static const char *const statenames[] = {
  [UNUSED] "?", [EMBRYO] "N (new)", [SLEEPING] "S (sleeping)", [RUNNABLE] "R (runnable)",
  [RUNNING] "R (running)", [ZOMBIE] "Z (zombie)", [STOPPED] "T (stopped)",
};

static int strtou(const char *s) {
  int v = 0;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (*s++ - '0');
  return v;
}

static struct proc *findpid(int pid) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if (p->state != UNUSED && p->pid == pid)
      return p;
  }
  return 0;
}

/* Entries added by modules (Linux's proc_create with a seq_file show function, in one go). */
#define NPROCENT 8
static struct procent {
  char name[16];
  int (*show)(char *buf, int size);
} procents[NPROCENT];

int proc_create(const char *name, int (*show)(char *buf, int size)) {
  for (int i = 0; i < NPROCENT; i++)
    if (procents[i].show && strcmp(procents[i].name, name) == 0)
      return -EEXIST;
  for (int i = 0; i < NPROCENT; i++)
    if (!procents[i].show && strlen(name) < sizeof(procents[i].name)) {
      safestrcpy(procents[i].name, name, sizeof(procents[i].name));
      procents[i].show = show;
      return 0;
    }
  return -ENOSPC;
}

void proc_remove(const char *name) {
  for (int i = 0; i < NPROCENT; i++)
    if (procents[i].show && strcmp(procents[i].name, name) == 0)
      procents[i].show = 0;
}

EXPORT_SYMBOL(proc_create);
EXPORT_SYMBOL(proc_remove);

/* /proc/<pid>/stat: Linux's 52 fields, the ones this kernel keeps filled in and the rest 0 */
static int pid_stat(struct proc *p, char *buf, int size) {
  static const char states[] = {[UNUSED] '?', [EMBRYO] 'R', [SLEEPING] 'S', [RUNNABLE] 'R',
                                [RUNNING] 'R', [ZOMBIE] 'Z', [STOPPED] 'T'};
  uint32_t vsize = PGROUNDUP(p->brk) - PGROUNDDOWN(USERBASE) + USTACKPAGES * PGSIZE;
  int fg = tty_fg_pgrp();
  return snprintk(buf, size,
                  "%d (%s) %c %d %d %d %d %d 4194304 0 0 0 0 0 0 0 0 20 0 1 0 %u %u %u "
                  "4294967295 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                  p->pid, p->name, states[p->state], p->parent ? p->parent->pid : 0, proc_pgid(p),
                  proc_sid(p), (4 << 8) | 64, fg ? fg : -1, p->start_ticks,
                  p->state == ZOMBIE ? 0 : vsize, p->state == ZOMBIE ? 0 : vsize / PGSIZE);
}

/* /proc/<pid>/cmdline: the argument strings, NUL-separated, read from the process's memory */
static int pid_cmdline(struct proc *p, char *buf, int size) {
  if (p->state == ZOMBIE || !p->pgdir || p->arg_end <= p->arg_start)
    return 0;
  int n = MIN((int)(p->arg_end - p->arg_start), size - 1);
  return copyin(p->pgdir, buf, p->arg_start, n) < 0 ? 0 : n;
}

/* /proc/cpuinfo from CPUID: vendor, family/model/stepping and the feature flags Linux names */
static int cpuinfo_show(char *buf, int size) {
  static const char *const flags[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep", "mtrr", "pge",
    "mca", "cmov", "pat", "pse36", "pn", "clflush", 0, "dts", "acpi", "mmx", "fxsr", "sse", "sse2",
    "ss", "ht", "tm", "ia64", "pbe",
  };
  uint32_t a, b, c, d, vendor[4] = {0};
  cpuid(0, &a, &vendor[0], &vendor[2], &vendor[1]);
  cpuid(1, &a, &b, &c, &d);
  int n = snprintk(buf, size,
                   "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
                   "model name\t: jx86 IA-32\nstepping\t: %u\nfpu\t\t: %s\nflags\t\t:",
                   (char *)vendor, (a >> 8) & 0xF, (a >> 4) & 0xF, a & 0xF, (d & 1) ? "yes" : "no");
  for (int i = 0; i < 32 && n < size; i++)
    if ((d & (1u << i)) && flags[i])
      n += snprintk(buf + n, size - n, " %s", flags[i]);
  if (n < size)
    n += snprintk(buf + n, size - n, "\nbogomips\t: %u.00\n\n", HZ);
  return MIN(n, size - 1);
}

/* /proc/mounts: the root file system (if any) and /proc */
static int mounts_show(char *buf, int size) {
  char root[32];
  int n = 0;
  if (ext2_mounted()) {
    if (!cmdline_get("root", root, sizeof(root)))
      safestrcpy(root, "/dev/hda1", sizeof(root));
    n = snprintk(buf, size, "%s / ext2 rw 0 0\n", root);
  }
  return n + snprintk(buf + n, size - n, "proc /proc proc rw 0 0\n");
}

/* Fills buf with the text of /proc/<name>; -ENOENT if there is no such file. */
static int generate(const char *name, char *buf, int size) {
  if (strcmp(name, "cpuinfo") == 0)
    return cpuinfo_show(buf, size);
  if (strcmp(name, "mounts") == 0)
    return mounts_show(buf, size);
  if (strcmp(name, "modules") == 0)
    return modules_show(buf, size);
  if (strcmp(name, "meminfo") == 0)
    return snprintk(buf, size, "MemTotal: %8u kB\nMemFree:  %8u kB\n", boot_ramtop() >> 10,
                    kfreecount() * (PGSIZE >> 10));
  if (strcmp(name, "uptime") == 0)
    return snprintk(buf, size, "%u.%02u 0.00\n", ticks / HZ, ticks % HZ);
  if (strcmp(name, "cmdline") == 0)
    return snprintk(buf, size, "%s\n", boot_cmdline());
  for (int i = 0; i < NPROCENT; i++)
    if (procents[i].show && strcmp(procents[i].name, name) == 0)
      return procents[i].show(buf, size);
  if (strcmp(name, "interrupts") == 0)
    return interrupts_show(buf, size);
  if (strcmp(name, "jx86/tlb") == 0)
    return jx86_tlb_show(buf, size);
  if (strcmp(name, "jx86/counters") == 0)
    return jx86_counters_show(buf, size);
  int pid = 0;
  const char *p = name;
  while (*p >= '0' && *p <= '9')
    pid = pid * 10 + (*p++ - '0');
  struct proc *pr = p > name ? findpid(pid) : 0;
  if (pr && strcmp(p, "/stat") == 0)
    return pid_stat(pr, buf, size);
  if (pr && strcmp(p, "/cmdline") == 0)
    return pid_cmdline(pr, buf, size);
  if (!pr || strcmp(p, "/status") != 0)
    return -ENOENT;
  return snprintk(buf, size, "Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\nVmSize:\t%u kB\nVmStk:\t%u kB\n", pr->name,
                  statenames[pr->state], pr->pid, pr->parent ? pr->parent->pid : 0,
                  (PGROUNDUP(pr->brk) - PGROUNDDOWN(USERBASE) + USTACKPAGES * PGSIZE) >> 10,
                  (USTACKPAGES * PGSIZE) >> 10);   /* image + heap + stack, as mapped */
}

/* The name as the generators want it: "self" and "self/..." name the calling process's
 * directory, and trailing slashes go ("/proc/1/" is the directory /proc/1, as ps spells it). */
static const char *normalize(const char *name, char *tmp, int size) {
  if (strncmp(name, "self", 4) == 0 && (name[4] == 0 || name[4] == '/'))
    snprintk(tmp, size, "%d%s", curproc->pid, name + 4);
  else
    safestrcpy(tmp, name, size);
  for (int n = strlen(tmp); n > 0 && tmp[n - 1] == '/'; n--)
    tmp[n - 1] = 0;
  return tmp;
}

/* Opens /proc/<name> ("" for the /proc directory itself); the file owns the generated text. */
int procfs_open(const char *name, struct file **fp) {
  char self[MAXPATH];
  name = normalize(name, self, sizeof(self));
  char *buf = kmalloc(PROCBUF);
  if (!buf)
    return -ENOMEM;
  bool isdir = false;
  int n = procfs_stat(name, &isdir);
  if (n == 0 && isdir) {
    safestrcpy(buf, name, PROCBUF);   /* a directory: the buffer names it, for procfs_next */
  } else if (n == 0) {
    n = generate(name, buf, PROCBUF);
  }
  struct file *f = n >= 0 ? filealloc() : 0;
  if (!f) {
    kfree(buf);
    return n < 0 ? n : -ENFILE;
  }
  f->type = FD_PROC;
  f->readable = true;
  f->procbuf = buf;
  f->procsize = MIN(n, PROCBUF - 1);
  f->procdir = isdir;
  *fp = f;
  return 0;
}

int procfs_read(struct file *f, uaddr_t dst, int n) {
  if (f->procdir)
    return -EISDIR;
  if (f->off >= f->procsize)
    return 0;
  n = MIN((uint32_t)n, f->procsize - f->off);
  if (copyout(curproc->pgdir, dst, f->procbuf + f->off, n) < 0)
    return -EFAULT;
  f->off += n;
  return n;
}

/* The next entry of the /proc directory at *pos (the fixed files, then one directory per
 * process), advancing *pos past it; false at the end. */
bool procfs_next(const char *dir, uint32_t *pos, char *name, bool *isdir) {
  if (dir[0] != 0) {               /* /proc/jx86 or /proc/<pid> */
    static const char *const jx86[] = {"tlb", "counters"};
    static const char *const piddir[] = {"status", "stat", "cmdline"};
    bool isjx86 = strcmp(dir, "jx86") == 0;
    if (*pos >= (isjx86 ? 2u : 3u))
      return false;
    safestrcpy(name, isjx86 ? jx86[*pos] : piddir[*pos], 16);
    *isdir = false;
    (*pos)++;
    return true;
  }
  static const char *const files[] = {"modules", "meminfo", "uptime", "cmdline", "interrupts", "jx86",
                                      "cpuinfo", "mounts"};
  const uint32_t nfiles = NELEM(files);
  if (*pos < nfiles) {
    safestrcpy(name, files[*pos], 16);
    *isdir = strcmp(files[*pos], "jx86") == 0;
    (*pos)++;
    return true;
  }
  for (; *pos < nfiles + NPROCENT; (*pos)++)      /* then the modules' entries */
    if (procents[*pos - nfiles].show) {
      safestrcpy(name, procents[*pos - nfiles].name, 16);
      *isdir = false;
      (*pos)++;
      return true;
    }
  for (uint32_t i = *pos - nfiles - NPROCENT; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if (p->state != UNUSED) {
      snprintk(name, 16, "%d", p->pid);
      *isdir = true;
      *pos = nfiles + NPROCENT + i + 1;
      return true;
    }
  }
  *pos = nfiles + NPROCENT + NPROC;
  return false;
}

/* stat for a /proc name ("" is /proc itself): directories for /proc and /proc/<pid>. */
int procfs_stat(const char *name, bool *isdir) {
  char tmp[64], self[MAXPATH];
  name = normalize(name, self, sizeof(self));
  const char *p = name;
  while (*p >= '0' && *p <= '9')
    p++;
  if (name[0] == 0 || strcmp(name, "jx86") == 0 || (p > name && *p == 0 && findpid(strtou(name)))) {
    *isdir = true;
    return 0;
  }
  *isdir = false;
  return generate(name, tmp, sizeof(tmp)) < 0 ? -ENOENT : 0;
}
