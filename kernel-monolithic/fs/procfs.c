/* procfs.c: /proc, a synthetic file system: each file's text is generated when it is opened
 * (a snapshot, like a seq_file read in one go) and read from that buffer; /proc lists the fixed
 * files and one directory per process. Files: modules, meminfo, uptime, cmdline, interrupts,
 * <pid>/status, jx86/tlb and jx86/counters (fs/procjx86.c). */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"
#include "module.h"

#define PROCBUF 4096

struct proc *proc_table(int i);
int interrupts_show(char *buf, int size);
int jx86_tlb_show(char *buf, int size);
int jx86_counters_show(char *buf, int size);

static const char *const statenames[] = {
  [UNUSED] "?", [EMBRYO] "N (new)", [SLEEPING] "S (sleeping)", [RUNNABLE] "R (runnable)",
  [RUNNING] "R (running)", [ZOMBIE] "Z (zombie)",
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

/* Fills buf with the text of /proc/<name>; -ENOENT if there is no such file. */
static int generate(const char *name, char *buf, int size) {
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
  struct proc *pr = p > name && strcmp(p, "/status") == 0 ? findpid(pid) : 0;
  if (!pr)
    return -ENOENT;
  return snprintk(buf, size, "Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\nVmSize:\t%u kB\nVmStk:\t%u kB\n", pr->name,
                  statenames[pr->state], pr->pid, pr->parent ? pr->parent->pid : 0,
                  (PGROUNDUP(pr->brk) - PGROUNDDOWN(USERBASE) + USTACKPAGES * PGSIZE) >> 10,
                  (USTACKPAGES * PGSIZE) >> 10);   /* image + heap + stack, as mapped */
}

/* Opens /proc/<name> ("" for the /proc directory itself); the file owns the generated text. */
int procfs_open(const char *name, struct file **fp) {
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
    bool isjx86 = strcmp(dir, "jx86") == 0;
    if (*pos >= (isjx86 ? 2u : 1u))
      return false;
    safestrcpy(name, isjx86 ? jx86[*pos] : "status", 16);
    *isdir = false;
    (*pos)++;
    return true;
  }
  static const char *const files[] = {"modules", "meminfo", "uptime", "cmdline", "interrupts", "jx86"};
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
  char tmp[64];
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
