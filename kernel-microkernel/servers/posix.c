/* posix.c: the POSIX personality (L4Linux-style). Programs built for the Linux i386 system-call
 * ABI run unmodified: the kernel turns their `int $0x80` into an exception IPC to this task, which
 * serves the call and replies with the new registers. It is also their pager: every page of a
 * process is a page of this task (from sigma0) mapped on, so it reaches their buffers directly.
 * Files go to the file server, the console to the console driver, both by IPC; pipes, fork,
 * exec of static ELF files, exit, wait and kill are served here; process memory (copy-on-write
 * fork) is pmem.c, signals psignal.c. Threads are created and deleted by the root task
 * (ROOT_LABEL_CREATE/DELETE), which owns that privilege. */
#include "posix.h"
#include "idl/fs_client.h"
#include "idl/console_client.h"
#include "libkern/elf.h"
#include "uapi/stat.h"
#include "uapi/unistd_32.h"
#include "libkern/format.h"
#include "libkern/portio.h"

#define LABEL_INPUT 0x0E01             /* console input from the reader thread */

enum { F_CONSOLE = 1, F_FS, F_PIPE_R, F_PIPE_W, F_PROC };

struct pipe {
  char buf[4096];
  uint32_t rd, wr;                    /* free-running counters */
  int readers, writers;
};

struct file {
  int type, ref;
  uint32_t handle, off, flags;        /* F_FS: the file server's handle, offset, open flags */
  struct pipe *pipe;
  char path[MAXPATH];
  bool dir;                           /* F_FS: a directory (read -> EISDIR) */
  char *data;                         /* F_PROC: the text, made at open */
  uint32_t size;
};

struct proc procs[NPROC];
static struct file files[NFILE];
static int next_pid = 1;
static l4_threadid_t fs, con, me;
/* The transfer buffer mapped to the file server (fs.attach): file data moves through it in
 * pieces of up to 32 KiB, one message (and for a write one journal transaction) per piece. */
#define FSBUF 32768u
static uint8_t fsbuf[FSBUF] __attribute__((aligned(FSBUF)));
static char cin[1024];                /* console input not yet read */
static int ncin;
static bool cin_eof;

/* ---- threads, through the root task ---- */

static l4_threadid_t proc_tid(struct proc *p) {
  return L4_GLOBALID(ROOT_FIRST_DYNAMIC + 1 + (p - procs), p->version);
}

static int thread_create(l4_threadid_t t, l4_threadid_t space, uint32_t ip, uint32_t sp) {
  L4_MR(1) = t;
  L4_MR(2) = space;
  L4_MR(3) = space ? l4_kip()->sigma0 : me;
  L4_MR(4) = me;
  L4_MR(5) = ip;
  L4_MR(6) = sp;
  l4_msgtag_t r = l4_call(l4_kip()->root, l4_mktag(ROOT_LABEL_CREATE, 6, 0));
  return !l4_ipc_failed(r) && L4_MR(1);
}

static void thread_delete(l4_threadid_t t) {
  L4_MR(1) = t;
  l4_call(l4_kip()->root, l4_mktag(ROOT_LABEL_DELETE, 1, 0));
}

/* ---- files ---- */

static struct file *file_new(int type) {
  for (int i = 0; i < NFILE; i++)
    if (files[i].ref == 0) {
      memset(&files[i], 0, sizeof(files[i]));
      files[i].type = type;
      files[i].ref = 1;
      return &files[i];
    }
  return 0;
}

static void file_close(struct file *f) {
  if (--f->ref > 0)
    return;
  if (f->type == F_FS)
    fs_close(fs, f->handle);
  else if (f->type == F_PIPE_R && --f->pipe->readers == 0 && f->pipe->writers == 0)
    f->pipe->rd = f->pipe->wr = 0;
  else if (f->type == F_PIPE_W)
    f->pipe->writers--;
}

static int fd_new(struct proc *p, struct file *f, int from) {
  for (int i = from; i < NFD; i++)
    if (!p->fd[i]) {
      p->fd[i] = f;
      return i;
    }
  return -EMFILE;
}

static struct file *fd_get(struct proc *p, uint32_t fd) {
  return fd < NFD ? p->fd[fd] : 0;
}

/* An absolute, normalised path for path relative to p's directory. */
static int resolve(struct proc *p, const char *path, char *out) {
  char tmp[2 * MAXPATH];
  int n = 0;
  if (path[0] != '/') {
    n = strlen(p->cwd);
    memcpy(tmp, p->cwd, n);
    tmp[n++] = '/';
  }
  int l = strlen(path);
  if (n + l >= (int)sizeof(tmp))
    return -ENAMETOOLONG;
  memcpy(tmp + n, path, l + 1);
  int o = 0;
  for (char *s = tmp; *s;) {
    while (*s == '/')
      s++;
    char *e = s;
    while (*e && *e != '/')
      e++;
    int len = e - s;
    if (len == 0 || (len == 1 && s[0] == '.')) {
    } else if (len == 2 && s[0] == '.' && s[1] == '.') {
      while (o > 0 && out[--o] != '/')
        ;
    } else {
      if (o + 1 + len >= MAXPATH)
        return -ENAMETOOLONG;
      out[o++] = '/';
      memcpy(out + o, s, len);
      o += len;
    }
    s = e;
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = 0;
  return 0;
}

static int upath(struct proc *p, uint32_t va, char *out) {
  char raw[MAXPATH];
  int r = ustr(p, va, raw, MAXPATH);
  return r < 0 ? r : resolve(p, raw, out);
}

/* ---- processes ---- */

static struct proc *proc_by_pid(int pid) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state != P_FREE && procs[i].pid == pid)
      return &procs[i];
  return 0;
}

static struct proc *proc_by_tid(l4_threadid_t t) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == P_LIVE && procs[i].tid == t)
      return &procs[i];
  return 0;
}

static struct proc *proc_new(void) {
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state == P_FREE) {
      struct proc *p = &procs[i];
      uint32_t v = p->version;
      memset(p, 0, sizeof(*p));
      p->version = v % 0x3FFF + 1;
      p->pid = next_pid++;
      p->state = P_LIVE;
      return p;
    }
  return 0;
}

/* Ends p with a wait status: its thread and space go, its pages and files are released, its
 * children go to process 1, and its parent may now reap it. */
void proc_end(struct proc *p, int wstatus) {
  thread_delete(p->tid);
  free_pages(p);
  for (int i = 0; i < NFD; i++)
    if (p->fd[i]) {
      file_close(p->fd[i]);
      p->fd[i] = 0;
    }
  p->state = P_ZOMBIE;
  p->wstatus = wstatus;
  p->blocked = false;
  sig_exit(p);
  for (int i = 0; i < NPROC; i++)
    if (procs[i].state != P_FREE && procs[i].ppid == p->pid)
      procs[i].ppid = 1;
  if (p->pid == 1) {
    printf("posix: init (pid 1) ended with wait status %x\n", wstatus);
    root_poweroff(1);
  }
  struct proc *parent = proc_by_pid(p->ppid);
  if (parent)
    sig_send(parent, SIGCHLD);
}

static int do_kill(struct proc *self, int pid, int sig) {
  if (pid >= 1000 && pid < 1128 && sig == 9) {   /* a server: 1000 + its thread number (restart log) */
    L4_MR(1) = L4_GLOBALID(pid - 1000, 1);
    l4_msgtag_t r = l4_call(l4_kip()->root, l4_mktag(ROOT_LABEL_DELETE, 1, 0));
    return !l4_ipc_failed(r) && L4_MR(1) ? 0 : -EPERM;
  }
  if (sig < 0 || sig > NSIG)
    return -EINVAL;
  if (pid == -1) {                      /* every process but init and the caller */
    for (int i = 0; i < NPROC; i++)
      if (procs[i].state == P_LIVE && procs[i].pid != 1 && &procs[i] != self && sig)
        sig_send(&procs[i], sig);
    return 0;
  }
  struct proc *t = proc_by_pid(pid);
  if (!t || t->state != P_LIVE)
    return -ESRCH;
  return sig ? sig_send(t, sig) : 0;
}

/* The pages of the segments without write permission (text, read-only data) are read-only for
 * the process and for the personality's writes into it (EFAULT), as on the monolith; a page that a
 * writable segment shares stays writable. Set once the image has been written. */
static void read_only_pages(struct proc *p, struct proghdr *ph, int n) {
  uint32_t lo = ~0u, hi = 0;
  for (int i = 0; i < n; i++)
    if (ph[i].type == PT_LOAD && !(ph[i].flags & PF_W) && ph[i].memsz) {
      lo = MIN(lo, PGDOWN(ph[i].vaddr));
      if (PGUP(ph[i].vaddr + ph[i].memsz) > hi)
        hi = PGUP(ph[i].vaddr + ph[i].memsz);
    }
  for (int i = 0; i < n; i++)
    if (ph[i].type == PT_LOAD && (ph[i].flags & PF_W) && PGDOWN(ph[i].vaddr) < hi &&
        ph[i].vaddr + ph[i].memsz > lo)
      hi = MIN(hi, PGDOWN(ph[i].vaddr));
  p->ro_lo = lo < hi ? lo : 0;
  p->ro_hi = lo < hi ? hi : 0;
}

/* Loads the static ELF file at path into p (new pages, a new stack with argv and envp): 0, or
 * -errno with p unchanged. The caller has stopped p's old thread. */
static uint8_t image[512 * 1024];
static int load(struct proc *p, const char *path, char *const *argv, int argc, char *const *envp, int envc,
                uint32_t *entry, uint32_t *sp) {
  l4_word_t h, n;
  int r = fs_open(fs, path, strlen(path), 0, 0, &h);
  if (r < 0)
    return r;
  uint32_t size = 0;
  while (size < sizeof(image) && (r = fs_read_buf(fs, h, size, MIN(FSBUF, sizeof(image) - size), &n)) >= 0 && n > 0) {
    memcpy(image + size, fsbuf, n);
    size += n;
  }
  fs_close(fs, h);
  struct elfhdr *eh = (struct elfhdr *)image;
  if (r < 0 || size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->type != ET_EXEC || eh->machine != EM_386 ||
      eh->phoff + eh->phnum * sizeof(struct proghdr) > size)
    return r < 0 ? r : -ENOEXEC;
  free_pages(p);
  p->lo = ~0u;
  p->ro_lo = p->ro_hi = 0;
  p->brk = 0;
  struct proghdr *ph = (struct proghdr *)(image + eh->phoff);
  for (int i = 0; i < eh->phnum; i++) {
    if (ph[i].type != PT_LOAD)
      continue;
    if (ph[i].off + ph[i].filesz > size || ph[i].vaddr + ph[i].memsz > STACK_LO)
      return -ENOEXEC;
    p->lo = MIN(p->lo, PGDOWN(ph[i].vaddr));
    if (ph[i].vaddr + ph[i].memsz > p->brk)
      p->brk = ph[i].vaddr + ph[i].memsz;
  }
  p->brk = PGUP(p->brk);
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == PT_LOAD && uwrite(p, ph[i].vaddr, image + ph[i].off, ph[i].filesz) < 0)
      return -ENOMEM;
  read_only_pages(p, ph, eh->phnum);
  /* the stack: strings at the top, then auxv, envp, argv, argc (what crt0 expects) */
  uint32_t top = STACK_TOP, ptrs[80];
  int np = 0;
  for (int i = 0; i < argc + envc; i++) {
    const char *s = i < argc ? argv[i] : envp[i - argc];
    top -= strlen(s) + 1;
    uwrite(p, top, s, strlen(s) + 1);
    ptrs[np++] = top;
  }
  top &= ~15u;
  uint32_t words[100];
  int w = 0;
  words[w++] = argc;
  for (int i = 0; i < argc; i++)
    words[w++] = ptrs[i];
  words[w++] = 0;
  for (int i = 0; i < envc; i++)
    words[w++] = ptrs[argc + i];
  words[w++] = 0;
  words[w++] = AT_PAGESZ;
  words[w++] = PAGE;
  words[w++] = AT_NULL;
  words[w++] = 0;
  top -= w * 4;
  uwrite(p, top, words, w * 4);
  *entry = eh->entry;
  *sp = top;
  const char *base = strrchr(path, '/');
  safestrcpy(p->name, base ? base + 1 : path, sizeof(p->name));
  base = argc > 1 ? strrchr(argv[1], '/') : 0;
  safestrcpy(p->arg1, argc < 2 ? "" : base ? base + 1 : argv[1], sizeof(p->arg1));
  return 0;
}

/* execve: the old image goes only once the new file has been read and checked. */
static int sys_execve(struct proc *p, uint32_t upath_, uint32_t uargv, uint32_t uenvp) {
  static char strs[4096];
  static char *argv[40], *envp[40];
  char path[MAXPATH];
  int r = upath(p, upath_, path), argc = 0, envc = 0, used = 0;
  if (r < 0)
    return r;
  for (int pass = 0; pass < 2; pass++) {
    uint32_t list = pass ? uenvp : uargv;
    for (int i = 0; list && i < 39; i++) {
      uint32_t s;
      if (uread(p, list + 4 * i, &s, 4) < 0)
        return -EFAULT;
      if (!s)
        break;
      int n = ustr(p, s, strs + used, sizeof(strs) - used);
      if (n < 0)
        return -E2BIG;
      (pass ? envp : argv)[pass ? envc++ : argc++] = strs + used;
      used += n + 1;
    }
  }
  l4_word_t mode, size, ino, links;
  if ((r = fs_stat(fs, path, strlen(path), &mode, &size, &ino, &links)) < 0)
    return r;
  if (!S_ISREG(mode))
    return -EACCES;
  /* a fresh process image in a new space: the old thread (and with it the old space) goes */
  static struct proc old;
  old = *p;
  p->npg = 0;
  uint32_t entry, sp;
  if ((r = load(p, path, argv, argc, envp, envc, &entry, &sp)) < 0) {
    free_pages(p);
    memcpy(p->pg, old.pg, sizeof(old.pg));
    p->npg = old.npg;
    p->lo = old.lo;
    p->ro_lo = old.ro_lo;
    p->ro_hi = old.ro_hi;
    p->brk = old.brk;
    return r;
  }
  for (int i = 0; i < old.npg; i++)
    page_put(old.pg[i].back);
  sig_exec(p);
  thread_delete(p->tid);
  p->version = p->version % 0x3FFF + 1;
  p->tid = proc_tid(p);
  if (!thread_create(p->tid, 0, entry, sp)) {
    proc_end(p, 9);
    return BLOCKED;
  }
  return BLOCKED;                      /* nothing to reply to: the caller's thread is gone */
}

static int sys_fork(struct proc *p) {
  struct proc *c = proc_new();
  if (!c)
    return -EAGAIN;
  fork_pages(c, p);                    /* shared copy-on-write */
  c->ppid = p->pid;
  c->lo = p->lo;
  c->brk = p->brk;
  c->ro_lo = p->ro_lo;
  c->ro_hi = p->ro_hi;
  sig_fork(c, p);
  memcpy(c->cwd, p->cwd, sizeof(c->cwd));
  memcpy(c->name, p->name, sizeof(c->name));
  for (int i = 0; i < NFD; i++)
    if ((c->fd[i] = p->fd[i]))
      c->fd[i]->ref++;
  memcpy(c->regs, p->regs, sizeof(c->regs));
  c->regs[12] = 0;                     /* the child's fork returns 0 */
  c->fork_start = true;
  c->tid = proc_tid(c);
  if (!thread_create(c->tid, 0, TRAMP, STACK_TOP)) {
    proc_end(c, 9);
    c->state = P_FREE;
    return -EAGAIN;
  }
  return c->pid;
}

static int sys_wait4(struct proc *p, int pid, uint32_t ustatus, int options) {
  bool any = false;
  for (int i = 0; i < NPROC; i++) {
    struct proc *c = &procs[i];
    if (c->state == P_FREE || c->ppid != p->pid || (pid > 0 && c->pid != pid))
      continue;
    any = true;
    if (c->state == P_ZOMBIE) {
      if (ustatus && uwrite(p, ustatus, &c->wstatus, 4) < 0)
        return -EFAULT;
      c->state = P_FREE;
      return c->pid;
    }
  }
  if (!any)
    return -ECHILD;
  return options & 1 ? 0 : BLOCKED;    /* WNOHANG */
}

static int console_out(const char *s, uint32_t n) {
  for (uint32_t done = 0; done < n;) {
    int w = 0;
    uint32_t chunk = MIN(n - done, 120);
    if (console_write(con, s + done, chunk, &w) < 0) {
      nap();                             /* restarted: find it again once it has registered */
      con = lookup_wait("console");
      continue;
    }
    done += chunk;
  }
  return n;
}

static int sys_read(struct proc *p, uint32_t fd, uint32_t buf, uint32_t n) {
  struct file *f = fd_get(p, fd);
  if (f && ucheck(p, buf, MIN(n, 32768), true) < 0)
    return -EFAULT;                     /* before anything is consumed */
  static char tmp[32768];
  n = MIN(n, sizeof(tmp));
  if (!f || f->type == F_PIPE_W)
    return -EBADF;
  if (f->type == F_CONSOLE) {
    if (ncin == 0) {
      if (!cin_eof)
        return BLOCKED;
      cin_eof = false;
      return 0;
    }
    int k = 0;
    while (k < (int)n && k < ncin && (k == 0 || cin[k - 1] != '\n'))
      k++;
    if (uwrite(p, buf, cin, k) < 0)
      return -EFAULT;
    memmove(cin, cin + k, ncin - k);
    ncin -= k;
    return k;
  }
  if (f->type == F_PROC) {
    if (f->dir)
      return -EISDIR;
    uint32_t k = f->off < f->size ? MIN(n, f->size - f->off) : 0;
    if (uwrite(p, buf, f->data + f->off, k) < 0)
      return -EFAULT;
    f->off += k;
    return k;
  }
  if (f->type == F_PIPE_R) {
    struct pipe *pp = f->pipe;
    uint32_t avail = pp->wr - pp->rd, k = 0;
    if (avail == 0)
      return pp->writers ? BLOCKED : 0;
    for (; k < MIN(avail, n); k++)
      tmp[k] = pp->buf[(pp->rd + k) % sizeof(pp->buf)];
    pp->rd += k;
    return uwrite(p, buf, tmp, k) < 0 ? -EFAULT : (int)k;
  }
  if (f->dir)
    return -EISDIR;
  l4_word_t got;
  int r = fs_read_buf(fs, f->handle, f->off, MIN(n, FSBUF), &got);
  if (r < 0)
    return r;
  if (uwrite(p, buf, fsbuf, got) < 0)
    return -EFAULT;
  f->off += got;
  return got;
}

static int sys_write(struct proc *p, uint32_t fd, uint32_t buf, uint32_t n) {
  struct file *f = fd_get(p, fd);
  static char tmp[32768];
  if (!f || f->type == F_PIPE_R || f->type == F_PROC)
    return -EBADF;
  if (f->type == F_PIPE_W) {
    struct pipe *pp = f->pipe;
    if (pp->readers == 0) {
      sig_send(p, SIGPIPE);
      return -EPIPE;
    }
    uint32_t space = sizeof(pp->buf) - (pp->wr - pp->rd);
    if (space < MIN(n, sizeof(pp->buf)))
      return BLOCKED;                    /* writes up to the buffer's size are not split */
    n = MIN(n, space);
    if (uread(p, buf, tmp, MIN(n, sizeof(tmp))) < 0)
      return -EFAULT;
    n = MIN(n, sizeof(tmp));
    for (uint32_t k = 0; k < n; k++)
      pp->buf[(pp->wr + k) % sizeof(pp->buf)] = tmp[k];
    pp->wr += n;
    return n;
  }
  if (f->type == F_FS && (f->flags & O_ACCMODE) == O_RDONLY)
    return -EBADF;
  if (f->type == F_CONSOLE) {
    n = MIN(n, sizeof(tmp));
    if (uread(p, buf, tmp, n) < 0)
      return -EFAULT;
    return console_out(tmp, n);
  }
  if (f->flags & O_APPEND) {
    l4_word_t mode, size, ino, links;
    if (fs_stat(fs, f->path, strlen(f->path), &mode, &size, &ino, &links) == 0)
      f->off = size;
  }
  /* a file write is whole, as on the monolith, in pieces of the shared buffer's size: each piece
   * one fs.write_buf, one journal transaction */
  uint32_t done = 0;
  l4_word_t w = 0;
  while (done < n) {
    uint32_t piece = MIN(n - done, FSBUF);
    if (uread(p, buf + done, fsbuf, piece) < 0)
      break;
    int r = fs_write_buf(fs, f->handle, f->off + done, piece, &w);
    if (r < 0 || w == 0) {
      f->off += done;
      return done ? (int)done : r < 0 ? r : -EIO;
    }
    done += w;
  }
  f->off += done;
  return done ? (int)done : -EFAULT;
}

int ksnprintf_(char *buf, int size, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = kvsnprintf(buf, size, f, ap);
  va_end(ap);
  return n < size ? n : size - 1;
}

/* ---- /proc/jx86/counters and /proc/jx86/tlb, as on the monolith: jx86's performance-counter
 * device (docs/mmu.md; ports 0x5A0-0x5AF from the root task), so kbench runs unchanged ---- */
static bool perf_ports;

static void dec64(char *out, uint32_t hi, uint32_t lo) {   /* no 64-bit division without libgcc */
  char d[24];
  int n = 0;
  uint32_t part[4] = { hi >> 16, hi & 0xFFFF, lo >> 16, lo & 0xFFFF };
  do {
    uint32_t rem = 0;
    for (int i = 0; i < 4; i++) {
      uint32_t v = rem << 16 | part[i];
      part[i] = v / 10;
      rem = v % 10;
    }
    d[n++] = '0' + rem;
  } while (part[0] | part[1] | part[2] | part[3]);
  for (int i = 0; i < n; i++)
    out[i] = d[n - 1 - i];
  out[n] = 0;
}

static void perf(uint32_t index, char *out) {
  outl(0x5A0, index);
  uint32_t lo = inl(0x5A4), hi = inl(0x5A8);
  dec64(out, hi, lo);
}

static int proc_text(const char *path, char *buf, int size) {
  if (!perf_ports || inl(0x5AC) != 0x4350584A)
    return ksnprintf_(buf, size, "no jx86 performance counters (port 0x5AC)\n");
  outl(0x5AC, 1);                       /* snapshot */
  char a[24], b[24], c[24], d[24];
  if (strcmp(path, "/proc/jx86/counters") == 0) {
    perf(0, a);
    perf(1, b);
    return ksnprintf_(buf, size, "cycles %s\ninstructions %s\n", a, b);
  }
  static const char *const ev[8] = { "hits", "misses", "walks", "faults", "evictions", "flushes", "cr3_flushes", "invlpg" };
  int n = ksnprintf_(buf, size, "%-12s %14s %14s %14s %14s\n", "event", "itlb_kernel", "itlb_user", "dtlb_kernel", "dtlb_user");
  for (int e = 0; e < 8; e++) {
    perf(0x10 + 2 * e, a);
    perf(0x11 + 2 * e, b);
    perf(0x20 + 2 * e, c);
    perf(0x21 + 2 * e, d);
    n += ksnprintf_(buf + n, size - n, "%-12s %14s %14s %14s %14s\n", ev[e], a, b, c, d);
  }
  return n;
}

/* /proc, as far as the monolith's programs use it: files made at open (meminfo, modules — empty:
 * there are no kernel modules here —, jx86/counters, jx86/tlb, <pid>/status) and the directories
 * /proc, /proc/jx86 and /proc/<pid>. Returns the text's length (a directory: its names, one a
 * line), or -ENOENT. */
static bool is_proc(const char *path) {
  return strncmp(path, "/proc", 5) == 0 && (path[5] == 0 || path[5] == '/');
}

static int proc_file(const char *path, char *buf, int size, bool *dir) {
  *dir = strcmp(path, "/proc") == 0 || strcmp(path, "/proc/jx86") == 0;
  if (strcmp(path, "/proc") == 0) {
    int n = ksnprintf_(buf, size, "meminfo\nmodules\njx86\n");
    for (int i = 0; i < NPROC; i++)
      if (procs[i].state != P_FREE)
        n += ksnprintf_(buf + n, size - n, "%d\n", procs[i].pid);
    return n;
  }
  if (strcmp(path, "/proc/jx86") == 0)
    return ksnprintf_(buf, size, "counters\ntlb\n");
  if (strcmp(path, "/proc/meminfo") == 0)
    return meminfo_text(buf, size);
  if (strcmp(path, "/proc/modules") == 0)
    return 0;
  if (strcmp(path, "/proc/jx86/counters") == 0 || strcmp(path, "/proc/jx86/tlb") == 0)
    return proc_text(path, buf, size);
  const char *s = path + 6;
  int pid = 0;
  if (*s < '0' || *s > '9')
    return -ENOENT;
  while (*s >= '0' && *s <= '9')
    pid = pid * 10 + *s++ - '0';
  struct proc *q = proc_by_pid(pid);
  if (!q)
    return -ENOENT;
  if (*s == 0) {
    *dir = true;
    return ksnprintf_(buf, size, "status\n");
  }
  if (strcmp(s, "/status") != 0)
    return -ENOENT;
  const char *state = q->state == P_ZOMBIE ? "Z (zombie)" : q->blocked ? "S (sleeping)" : "R (running)";
  return ksnprintf_(buf, size, "Name:\t%s\nState:\t%s\nPid:\t%d\nPPid:\t%d\n", q->name, state, q->pid, q->ppid);
}

/* The index-th entry of a directory: the file server's, or a /proc directory's names. */
static int dir_entry(struct file *f, uint32_t index, char *name, l4_word_t *len, l4_word_t *ino, l4_word_t *type) {
  if (f->type == F_FS)
    return fs_readdir(fs, f->handle, index, name, len, ino, type);
  const char *s = f->data, *end = f->data + f->size;
  for (uint32_t i = 0; s < end; i++) {
    const char *e = s;
    while (e < end && *e != '\n')
      e++;
    if (i == index) {
      *len = MIN(e - s, 60);
      memcpy(name, s, *len);
      *ino = 0x10000 + i;
      *type = (s[0] >= '0' && s[0] <= '9') || strncmp(s, "jx86", 4) == 0 ? 2 : 1;   /* ext2: dir, file */
      return 0;
    }
    s = e + 1;
  }
  return -ENOENT;
}

static int sys_open(struct proc *p, uint32_t upath_, uint32_t flags, uint32_t mode) {
  char path[MAXPATH];
  int r = upath(p, upath_, path);
  if (r < 0)
    return r;
  if (is_proc(path)) {
    static char text[NFILE][1024];
    struct file *f = file_new(F_PROC);
    if (!f)
      return -ENFILE;
    f->data = text[f - files];
    int n = (flags & O_ACCMODE) != O_RDONLY ? -EACCES     /* /proc is read-only */
          : proc_file(path, f->data, sizeof(text[0]), &f->dir);
    f->size = n;
    if (n < 0 || (n = fd_new(p, f, 0)) < 0)
      file_close(f);
    return n;
  }
  l4_word_t m, size, ino, links, h;
  bool exists = fs_stat(fs, path, strlen(path), &m, &size, &ino, &links) == 0;
  if (exists && (flags & O_CREAT) && (flags & O_EXCL))
    return -EEXIST;
  if (exists && S_ISDIR(m) && (flags & O_ACCMODE) != O_RDONLY)
    return -EISDIR;
  if ((r = fs_open(fs, path, strlen(path), flags & (O_ACCMODE | O_CREAT | O_TRUNC), mode, &h)) < 0)
    return r;
  struct file *f = file_new(F_FS);
  if (!f) {
    fs_close(fs, h);
    return -ENFILE;
  }
  f->handle = h;
  f->flags = flags;
  f->dir = exists && S_ISDIR(m);
  memcpy(f->path, path, sizeof(path));
  if ((r = fd_new(p, f, 0)) < 0)
    file_close(f);
  return r;
}

static int fill_stat(struct proc *p, uint32_t ust, uint32_t mode, uint32_t size, uint32_t ino, uint32_t links) {
  struct stat64 st;
  memset(&st, 0, sizeof(st));
  st.st_dev = 0x301;
  st.__st_ino = ino;
  st.st_ino = ino;
  st.st_mode = mode;
  st.st_nlink = links;
  st.st_size = size;
  st.st_blksize = 1024;
  st.st_blocks = (size + 511) / 512;
  return uwrite(p, ust, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

static int sys_stat(struct proc *p, uint32_t upath_, uint32_t ust) {
  char path[MAXPATH];
  l4_word_t mode, size, ino, links;
  int r = upath(p, upath_, path);
  if (r >= 0 && is_proc(path)) {
    static char text[1024];
    bool dir;
    if ((r = proc_file(path, text, sizeof(text), &dir)) < 0)
      return r;
    return fill_stat(p, ust, dir ? S_IFDIR | 0555 : S_IFREG | 0444, 0, 0, dir ? 2 : 1);
  }
  if (r < 0 || (r = fs_stat(fs, path, strlen(path), &mode, &size, &ino, &links)) < 0)
    return r;
  return fill_stat(p, ust, mode, size, ino, links);
}

static int sys_fstat(struct proc *p, uint32_t fd, uint32_t ust) {
  struct file *f = fd_get(p, fd);
  l4_word_t mode, size, ino, links;
  if (!f)
    return -EBADF;
  if (f->type == F_PROC)
    return fill_stat(p, ust, f->dir ? S_IFDIR | 0555 : S_IFREG | 0444, 0, 0, 1);
  if (f->type != F_FS)
    return fill_stat(p, ust, f->type == F_CONSOLE ? (S_IFCHR | 0620) : (S_IFIFO | 0600), 0, 0, 1);
  int r = fs_stat(fs, f->path, strlen(f->path), &mode, &size, &ino, &links);
  return r < 0 ? r : fill_stat(p, ust, mode, size, ino, links);
}

static int sys_getdents64(struct proc *p, uint32_t fd, uint32_t ubuf, uint32_t count) {
  struct file *f = fd_get(p, fd);
  static uint8_t out[4096];
  if (!f || (f->type != F_FS && !(f->type == F_PROC && f->dir)))
    return f ? -ENOTDIR : -EBADF;
  count = MIN(count, sizeof(out));
  if (ucheck(p, ubuf, count, true) < 0)
    return -EFAULT;                     /* before any entry is consumed */
  uint32_t used = 0;
  char name[64];
  l4_word_t len, ino, type;
  static const uint8_t dtype[8] = { 0, 8, 4, 2, 6, 1, 12, 10 };   /* ext2 file type -> DT_* */
  while (dir_entry(f, f->off, name, &len, &ino, &type) == 0) {
    uint32_t reclen = (19 + len + 1 + 7) & ~7u;
    if (used + reclen > count)
      break;
    struct linux_dirent64 *d = (struct linux_dirent64 *)(out + used);
    d->d_ino = ino;
    d->d_off = f->off + 1;
    d->d_reclen = reclen;
    d->d_type = dtype[type & 7];
    memcpy(d->d_name, name, len);
    d->d_name[len] = 0;
    used += reclen;
    f->off++;
  }
  if (used == 0 && dir_entry(f, f->off, name, &len, &ino, &type) == 0)
    return -EINVAL;                     /* the buffer is too small for one entry */
  return uwrite(p, ubuf, out, used) < 0 ? -EFAULT : (int)used;
}

static int sys_pipe(struct proc *p, uint32_t ufds) {
  if (ucheck(p, ufds, 8, true) < 0)
    return -EFAULT;                     /* before the descriptors are made */
  static struct pipe pipes[16];
  struct pipe *pp = 0;
  for (int i = 0; i < 16 && !pp; i++)
    if (pipes[i].readers == 0 && pipes[i].writers == 0)
      pp = &pipes[i];
  struct file *r = pp ? file_new(F_PIPE_R) : 0, *w = r ? file_new(F_PIPE_W) : 0;
  if (!w) {
    if (r)
      r->ref = 0;
    return -ENFILE;
  }
  memset(pp, 0, sizeof(*pp));
  pp->readers = pp->writers = 1;
  r->pipe = w->pipe = pp;
  int fds[2] = { fd_new(p, r, 0), -1 };
  if (fds[0] >= 0)
    fds[1] = fd_new(p, w, 0);
  if (fds[1] < 0) {
    if (fds[0] >= 0)
      p->fd[fds[0]] = 0;
    file_close(r);
    file_close(w);
    return -EMFILE;
  }
  if (uwrite(p, ufds, fds, 8) < 0)
    return -EFAULT;
  return 0;
}

static int sys_chdir(struct proc *p, uint32_t upath_) {
  char path[MAXPATH];
  l4_word_t mode, size, ino, links;
  int r = upath(p, upath_, path);
  if (r < 0 || (r = fs_stat(fs, path, strlen(path), &mode, &size, &ino, &links)) < 0)
    return r;
  if (!S_ISDIR(mode))
    return -ENOTDIR;
  memcpy(p->cwd, path, sizeof(path));
  return 0;
}

/* init_module with an ELF executable (insmod /sbin/buggy n=4096 ...): a user-level driver, which
 * the restart server starts and watches. The image travels as map items of pages of this task. */
static int sys_init_module(struct proc *p, uint32_t uimage, uint32_t len, uint32_t uparams) {
  struct elfhdr eh;
  char params[64];
  if (uread(p, uimage, &eh, sizeof(eh)) < 0 || ustr(p, uparams, params, sizeof(params)) < 0)
    return -EFAULT;
  if (eh.magic != ELF_MAGIC || eh.type != ET_EXEC)
    return -ENOEXEC;                    /* kernel modules (.ko) are the monolith's */
  uint32_t npages = (len + PAGE - 1) / PAGE, pages[21];
  if (npages > 21)
    return -EFBIG;
  l4_threadid_t rs = lookup_wait("restart");
  for (uint32_t k = 0; k < npages; k++) {
    if (!(pages[k] = page_alloc()))
      return -ENOMEM;
    uread(p, uimage + k * PAGE, (void *)pages[k], MIN(PAGE, len - k * PAGE));
  }
  memset(&L4_MR(1), 0, 21 * 4);
  L4_MR(1) = len;
  safestrcpy((char *)&L4_MR(2), p->arg1[0] ? p->arg1 : "driver", 16);
  safestrcpy((char *)&L4_MR(6), params, 64);
  for (uint32_t k = 0; k < npages; k++)
    l4_put_map_item(22 + 2 * k, k * PAGE, l4_fpage(pages[k], 12, L4_R), 0);
  l4_msgtag_t r = l4_call(rs, l4_mktag(RESTART_LABEL_START, 21, 2 * npages));
  int result = l4_ipc_failed(r) ? -EIO : (int)L4_MR(1);
  for (uint32_t k = 0; k < npages; k++)
    page_put(pages[k]);
  return result < 0 ? result : 0;
}

/* One system call of p (registers in p->regs): the result for EAX, or BLOCKED. */
static int syscall(struct proc *p) {
  uint32_t *r = p->regs;
  uint32_t nr = r[12], a = r[9], b = r[11], c = r[10], d = r[6];
  char path[MAXPATH], path2[MAXPATH];
  int e;
  switch (nr) {
  case __NR_exit:
  case __NR_exit_group:
    proc_end(p, (a & 0xFF) << 8);
    return BLOCKED;
  case __NR_fork:
    return sys_fork(p);
  case __NR_read:
    return sys_read(p, a, b, c);
  case __NR_write:
    return sys_write(p, a, b, c);
  case __NR_open:
    return sys_open(p, a, b, c);
  case __NR_close: {
    struct file *f = fd_get(p, a);
    if (!f)
      return -EBADF;
    p->fd[a] = 0;
    file_close(f);
    return 0;
  }
  case __NR_waitpid:
    return sys_wait4(p, a, b, c);
  case __NR_wait4:
    return sys_wait4(p, a, b, c);
  case __NR_execve:
    return sys_execve(p, a, b, c);
  case __NR_chdir:
    return sys_chdir(p, a);
  case __NR_getcwd: {
    int n = strlen(p->cwd) + 1;
    if ((uint32_t)n > b)
      return -ERANGE;
    return uwrite(p, a, p->cwd, n) < 0 ? -EFAULT : n;
  }
  case __NR_lseek: {
    struct file *f = fd_get(p, a);
    l4_word_t mode, size = 0, ino, links;
    if (!f || f->type != F_FS)
      return f ? -ESPIPE : -EBADF;
    if (c == 2 && fs_stat(fs, f->path, strlen(f->path), &mode, &size, &ino, &links) < 0)
      return -EIO;
    int32_t base = c == 0 ? 0 : c == 1 ? (int32_t)f->off : c == 2 ? (int32_t)size : -1;
    if (base < 0 || base + (int32_t)b < 0)
      return -EINVAL;
    return f->off = base + (int32_t)b;
  }
  case __NR_getpid:
    return p->pid;
  case __NR_getppid:
    return p->ppid;
  case __NR_kill:
    e = do_kill(p, (int)a, b);
    return p->state == P_LIVE ? e : BLOCKED;
  case __NR_pipe:
    return sys_pipe(p, a);
  case __NR_brk:
    if (a >= p->lo && a < STACK_LO)
      p->brk = a;
    return p->brk;
  case __NR_dup: {
    struct file *f = fd_get(p, a);
    if (!f)
      return -EBADF;
    if ((e = fd_new(p, f, 0)) >= 0)
      f->ref++;
    return e;
  }
  case __NR_dup2: {
    struct file *f = fd_get(p, a);
    if (!f || b >= NFD)
      return -EBADF;
    if (a == b)
      return b;
    if (p->fd[b])
      file_close(p->fd[b]);
    p->fd[b] = f;
    f->ref++;
    return b;
  }
  case __NR_stat64:
  case __NR_lstat64:
    return sys_stat(p, a, b);
  case __NR_fstat64:
    return sys_fstat(p, a, b);
  case __NR_getdents64:
    return sys_getdents64(p, a, b, c);
  case __NR_mkdir:
    if ((e = upath(p, a, path)) < 0)
      return e;
    return fs_mkdir(fs, path, strlen(path), b);
  case __NR_unlink:
  case __NR_rmdir: {
    l4_word_t mode, size, ino, links;
    if ((e = upath(p, a, path)) < 0 || (e = fs_stat(fs, path, strlen(path), &mode, &size, &ino, &links)) < 0)
      return e;
    if (nr == __NR_unlink && S_ISDIR(mode))
      return -EISDIR;
    if (nr == __NR_rmdir && !S_ISDIR(mode))
      return -ENOTDIR;
    return fs_unlink(fs, path, strlen(path));
  }
  case __NR_link:
    if ((e = upath(p, a, path)) < 0 || (e = upath(p, b, path2)) < 0)
      return e;
    return fs_link(fs, path, strlen(path), path2, strlen(path2));
  case __NR_rename: {
    l4_word_t m1, m2, size, ino, links;
    if ((e = upath(p, a, path)) < 0 || (e = upath(p, b, path2)) < 0 ||
        (e = fs_stat(fs, path, strlen(path), &m1, &size, &ino, &links)) < 0)
      return e;
    if (fs_stat(fs, path2, strlen(path2), &m2, &size, &ino, &links) == 0 && S_ISDIR(m1) != S_ISDIR(m2))
      return S_ISDIR(m2) ? -EISDIR : -ENOTDIR;
    return fs_rename(fs, path, strlen(path), path2, strlen(path2));
  }
  case __NR_rt_sigaction:
    return sys_rt_sigaction(p, a, b, c, d);
  case __NR_rt_sigprocmask:
    return sys_rt_sigprocmask(p, a, b, c, d);
  case __NR_rt_sigreturn:
    return sys_rt_sigreturn(p);
  case __NR_sigreturn:
    return sys_sigreturn(p);
  case __NR_alarm:
    return sys_alarm(p, a);
  case __NR_nanosleep:
    if (!p->blocked) {                  /* the first attempt: check the request, set the deadline */
      int32_t ts[2];
      if (uread(p, a, ts, 8) < 0)
        return -EFAULT;
      if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
        return -EINVAL;
      p->wake_at = l4_clock() + (uint64_t)ts[0] * 1000000 + (uint32_t)ts[1] / 1000;
    }
    return l4_clock() >= p->wake_at ? 0 : BLOCKED;
  case __NR_fsync:
  case __NR_fdatasync: {
    /* the file server commits each change (ext3: a journal transaction, flushed) before it
     * replies, so there is nothing left to wait for; like Linux, a pipe or terminal cannot be synced */
    struct file *f = fd_get(p, a);
    if (!f)
      return -EBADF;
    return f->type == F_FS ? 0 : -EINVAL;
  }
  case __NR_sync:
  case __NR_sched_yield:
    return 0;
  case __NR_reboot:
    printf("reboot: power down\n");
    root_poweroff(c == 0x4321FEDC ? (int)d : 0);
  case __NR_uname: {
    static char uts[6 * 65];
    memset(uts, 0, sizeof(uts));
    safestrcpy(uts, "Linux", 65);
    safestrcpy(uts + 65, "jx86", 65);
    safestrcpy(uts + 130, "jx86-microkernel", 65);
    safestrcpy(uts + 195, "posix personality", 65);
    safestrcpy(uts + 260, "i386", 65);
    return uwrite(p, a, uts, sizeof(uts)) < 0 ? -EFAULT : 0;
  }
  case __NR_pause:
    return BLOCKED;                     /* until a signal: EINTR (wake) */
  case __NR_delete_module:            /* rmmod: no kernel modules here; the name must be readable */
    return (e = ustr(p, a, path, MAXPATH)) < 0 ? e : -ENOENT;
  case __NR_init_module:
    return sys_init_module(p, a, b, c);
  default:
    return -ENOSYS;
  }
}

/* ---- replies ---- */

/* Sends p its registers back (the exception reply resumes it), with a signal handler's frame
 * when a signal is deliverable; not if the signal's default action ended p. */
static void resume(struct proc *p) {
  if (!sig_deliver(p))
    return;
  for (int i = 1; i <= 12; i++)
    L4_MR(i) = p->regs[i];
  l4_send_timeout(p->tid, l4_mktag(L4_EXC_REPLY_RESUME, 12, 0), L4_TIMEOUT_ZERO);
}

/* The same with EAX = the system call's result. */
static void reply(struct proc *p, int result) {
  p->regs[12] = result;
  resume(p);
}

/* A call that would wait fails with EINTR when a signal can be delivered (the monolith's sleep
 * loops do the same; no call is restarted). */
static int interrupted(struct proc *p, int r) {
  if (p->regs[12] == __NR_execve)
    return r;                           /* BLOCKED: done, a new thread runs the new image */
  if (r != BLOCKED || p->state != P_LIVE || !sig_deliverable(p))
    return r;
  if (p->regs[12] == __NR_nanosleep && p->regs[11]) {   /* the time left, as the monolith says */
    uint64_t now = l4_clock(), left = p->wake_at > now ? p->wake_at - now : 0;
    uint32_t us = left > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)left;
    int32_t rem[2] = { (int32_t)(us / 1000000), (int32_t)(us % 1000000 * 1000) };
    uwrite(p, p->regs[11], rem, sizeof(rem));
  }
  return -EINTR;
}

/* Retries the calls that waited (a pipe, the console, wait) until none makes progress. */
static void wake(void) {
  for (bool again = true; again;) {
    again = false;
    for (int i = 0; i < NPROC; i++) {
      struct proc *p = &procs[i];
      if (p->state != P_LIVE || !p->blocked)
        continue;
      int r = interrupted(p, syscall(p));
      if (r != BLOCKED && p->state == P_LIVE) {
        p->blocked = false;
        reply(p, r);
        again = true;
      } else if (p->state != P_LIVE) {
        again = true;
      }
    }
  }
}

/* Console input from the reader thread: appended to the input buffer; Ctrl-C (a lone 0x03)
 * interrupts every process that has not ignored SIGINT (the shell ignores it). */
static void console_input(const char *s, int n) {
  if (n == 0) {
    cin_eof = true;
    return;
  }
  if (n == 1 && s[0] == 0x03) {
    for (int i = 0; i < NPROC; i++)
      if (procs[i].state == P_LIVE && procs[i].pid != 1)
        sig_send(&procs[i], SIGINT);
    return;
  }
  n = MIN(n, (int)sizeof(cin) - ncin);
  memcpy(cin + ncin, s, n);
  ncin += n;
}

static uint32_t reader_stack[1024];
static void reader(void) {
  char buf[CONSOLE_READ_DATA_MAX];
  l4_word_t n;
  for (;;) {
    if (console_read(con, sizeof(buf), buf, &n) < 0) {
      nap();                             /* the driver died: wait for the restarted one */
      con = lookup_wait("console");
      continue;
    }
    L4_MR(1) = n;
    memcpy(&L4_MR(2), buf, n);
    l4_call(me, l4_mktag(LABEL_INPUT, 1 + (n + 3) / 4, 0));
  }
}

static void exception(struct proc *p) {
  if (p->fork_start) {                 /* a new child at the trampoline: the parent's registers */
    p->fork_start = false;
    return reply(p, 0);
  }
  for (int i = 1; i <= 12; i++)
    p->regs[i] = L4_MR(i);
  if (p->regs[3] != 0x80) {             /* a fault: its signal, then a handler's frame or the end */
    sig_fault(p, p->regs[3]);
    if (p->state == P_LIVE)
      resume(p);
    return;
  }
  int r = interrupted(p, syscall(p));
  if (p->state != P_LIVE)
    return;
  if (r == BLOCKED) {
    p->blocked = p->regs[12] != __NR_execve;
    return;
  }
  reply(p, r);
}

int main(void) {
  set_name("posix");
  me = l4_myself();
  perf_ports = root_resources();
  fs = lookup_wait("fs");
  con = lookup_wait("console");
  memset(fsbuf, 0, FSBUF);               /* touch it: only mapped pages can be mapped on */
  l4_word_t bufsize;
  idl_fpage_t fp = { 0, l4_fpage((l4_word_t)fsbuf, 15, L4_R | L4_W) };
  if (fs_attach(fs, fp, &bufsize) < 0 || bufsize != FSBUF) {
    printf("posix: no transfer buffer with the file server\n");
    root_poweroff(1);
  }
  tramp_page = page_alloc();
  for (uint32_t i = 0; i + 1 < PAGE; i += 2) {  /* int $0x80, int $0x80, ... */
    ((uint8_t *)tramp_page)[i] = 0xCD;
    ((uint8_t *)tramp_page)[i + 1] = 0x80;
  }
  if (!thread_create(L4_GLOBALID(ROOT_FIRST_DYNAMIC, 1), me, (uint32_t)reader,
                     (uint32_t)&reader_stack[1024]))
    printf("posix: no console reader thread\n");
  /* process 1: /bin/sh, which acts as init when it is process 1 */
  struct proc *init = proc_new();
  safestrcpy(init->cwd, "/", sizeof(init->cwd));
  struct file *cf = file_new(F_CONSOLE);
  cf->ref = 3;
  init->fd[0] = init->fd[1] = init->fd[2] = cf;
  static char *const argv[] = { "sh", 0 }, *const envp[] = { "PATH=/bin", "HOME=/", 0 };
  uint32_t entry, sp;
  if (load(init, "/bin/sh", argv, 1, envp, 2, &entry, &sp) < 0) {
    printf("posix: cannot load /bin/sh\n");
    root_poweroff(1);
  }
  init->tid = proc_tid(init);
  printf("posix: Linux i386 personality; starting /bin/sh as pid 1\n");
  thread_create(init->tid, 0, entry, sp);
  for (;;) {
    l4_threadid_t from;
    bool sleepers = false, alarms = sig_alarms();
    for (int i = 0; i < NPROC; i++)
      sleepers |= procs[i].state == P_LIVE && procs[i].blocked && procs[i].regs[12] == __NR_nanosleep;
    l4_msgtag_t tag = l4_receive_timeout(L4_ANYTHREAD, sleepers || alarms ? (4 << 10) | 625 : L4_TIMEOUT_NEVER, &from);
    if (l4_ipc_failed(tag)) {
      if (alarms)
        sig_timers(l4_clock());        /* a timeout: sleepers and alarms may be due */
      wake();
      continue;
    }
    l4_word_t label = l4_label(tag);
    if (label == LABEL_INPUT) {
      l4_word_t n = MIN(L4_MR(1), CONSOLE_READ_DATA_MAX);
      char buf[CONSOLE_READ_DATA_MAX];
      memcpy(buf, &L4_MR(2), n);
      l4_send_timeout(from, l4_mktag(0, 0, 0), L4_TIMEOUT_ZERO);
      console_input(buf, n);
    } else {
      struct proc *p = proc_by_tid(from);
      if (!p)
        continue;                      /* a thread that is gone (exec, kill) */
      if ((label & 0xFFF0) == L4_LABEL_PAGEFAULT)
        page_fault(p, L4_MR(1), L4_MR(2), (label & L4_W) != 0);
      else if (label == L4_LABEL_EXCEPTION)
        exception(p);
    }
    if (alarms)
      sig_timers(l4_clock());          /* (the clock is a system call: only when it matters) */
    wake();
  }
}
