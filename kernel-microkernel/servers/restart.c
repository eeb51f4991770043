/* restart.c: the restart server (Minix 3's reincarnation server). It watches drivers: the boot
 * drivers ata and console (it becomes their exception handler through the root task) and the
 * drivers it starts itself (insmod through the POSIX personality, RESTART_LABEL_START), whose
 * pager and exception handler it is. A driver that dies -- an exception, a page fault outside its
 * image, heap and stack, or its thread gone (found by a heartbeat every 100 ms) -- is started
 * again from its image (the ELF file read from /sbin at start, or the one insmod sent), with
 * backoff, and re-registers its name itself; after MAXDEATHS deaths in a row (a driver that ran
 * for STABLE before it died starts the count again) it is left dead.
 * Every restart is one log line:
 *   restart: <name> (pid N) died: <reason>; restarted as pid M
 * A server's "pid" is 1000 + its L4 thread number: `kill -9 1020` on the shell kills the ATA
 * driver (thread 20) through the personality and the root task; the heartbeat notices. */
#define PID(t) (1000 + L4_THREADNO(t))
#include "srv.h"
#include "idl/fs_client.h"
#include "libkern/elf.h"
#include "libkern/format.h"

#define NDRV 8
#define MAXDEATHS 5
#define STABLE 10000000ull             /* microseconds of life after which a death is not "in a row" */
#define IMG_MAX (96 * 1024)
#define STACK_TOP 0xBE000000u
#define STACK_LO (STACK_TOP - 0x10000u)
#define PARAMS_VA 0x3F000000u          /* a started driver's parameter string */
#define BACK_BASE 0x20000000u          /* this task's pages for the drivers */
#define WINDOW 0x30000000u             /* where insmod's image pages arrive */
#define FIRST_THREAD 100               /* restarted drivers: thread numbers 100.. */
#define TICK ((4 << 10) | 625)         /* a 10 ms receive timeout */

struct drv {
  char name[16];
  l4_threadid_t tid;
  bool ours;                          /* we are its pager (else sigma0 is: a boot driver) */
  bool dead;
  int deaths, restarts;
  uint64_t restart_at;                /* KIP clock, microseconds */
  uint64_t started_at;
  char reason[80];
  uint8_t *image;
  uint32_t size;
  char params[64];
  struct { uint32_t va, back; } pg[64];
  int npg;
};

static struct drv drvs[NDRV];
static int ndrv, next_thread = FIRST_THREAD;
static uint32_t back_next = BACK_BASE, back_free[512];
static int nfree;
static uint8_t images[4][IMG_MAX];
static int nimages;
static l4_threadid_t me;

static uint64_t now(void) {
  return l4_clock();
}

static uint32_t page_alloc(void) {
  if (nfree) {
    uint32_t a = back_free[--nfree];
    memset((void *)a, 0, 4096);
    return a;
  }
  if (!sigma0_page(~0u, back_next))
    return 0;
  back_next += 4096;
  return back_next - 4096;
}

static void release_pages(struct drv *d) {
  for (int i = 0; i < d->npg && nfree < 512; i++)
    back_free[nfree++] = d->pg[i].back;
  d->npg = 0;
}

static struct drv *by_tid(l4_threadid_t t) {
  for (int i = 0; i < ndrv; i++)
    if (drvs[i].tid == t && !drvs[i].dead)
      return &drvs[i];
  return 0;
}

static int root_call(l4_word_t label, int words) {
  l4_msgtag_t r = l4_call(l4_kip()->root, l4_mktag(label, words, 0));
  return !l4_ipc_failed(r) && L4_MR(1);
}

/* Starts d from its image in a new space, with this task as pager and exception handler. */
static bool start(struct drv *d) {
  struct elfhdr *eh = (struct elfhdr *)d->image;
  if (d->size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->type != ET_EXEC)
    return false;
  l4_threadid_t t = L4_GLOBALID(next_thread, 1);
  next_thread = next_thread == 127 ? FIRST_THREAD : next_thread + 1;
  L4_MR(1) = t;
  L4_MR(2) = 0;
  L4_MR(3) = me;
  L4_MR(4) = me;
  L4_MR(5) = eh->entry;
  L4_MR(6) = STACK_TOP - 16;
  memcpy(&L4_MR(7), d->name, 16);
  if (!root_call(ROOT_LABEL_CREATE, 10))
    return false;
  d->tid = t;
  d->ours = true;
  d->dead = false;
  d->started_at = now();
  return true;
}

/* d died: one log line, its thread and pages go, and a restart is scheduled with backoff. */
static void died(struct drv *d, const char *reason) {
  l4_threadid_t old = d->tid;
  L4_MR(1) = old;
  root_call(ROOT_LABEL_DELETE, 1);
  release_pages(d);
  d->dead = true;
  if (now() - d->started_at >= STABLE)  /* it worked for a while: this death starts a new series */
    d->deaths = 0;
  d->deaths++;
  safestrcpy(d->reason, reason, sizeof(d->reason));
  if (d->deaths > MAXDEATHS) {
    printf("restart: %s (pid %u) died: %s; %d deaths in a row, left dead\n", d->name, PID(old), reason,
           d->deaths);
    d->restart_at = ~0ull;
    return;
  }
  d->restart_at = now() + (50000ull << d->deaths);    /* 100 ms, 200 ms, 400 ms, ... */
  d->tid = old;                       /* remembered for the log line */
}

static void restart_due(void) {
  for (int i = 0; i < ndrv; i++) {
    struct drv *d = &drvs[i];
    if (!d->dead || d->restart_at == ~0ull || now() < d->restart_at)
      continue;
    l4_threadid_t old = d->tid;
    if (start(d)) {
      d->restarts++;
      printf("restart: %s (pid %u) died: %s; restarted as pid %u\n", d->name, PID(old), d->reason,
             PID(d->tid));
    } else {
      d->restart_at = ~0ull;
      printf("restart: %s (pid %u) died: %s; cannot start it again\n", d->name, PID(old), d->reason);
    }
  }
}

static void fmt(char *buf, int size, const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  kvsnprintf(buf, size, f, ap);
  va_end(ap);
}

/* A new page for d at va: the image's bytes there, or the parameters, or zeros. */
static void fill(struct drv *d, uint32_t va, uint8_t *page) {
  struct elfhdr *eh = (struct elfhdr *)d->image;
  struct proghdr *ph = (struct proghdr *)(d->image + eh->phoff);
  if (va == PARAMS_VA)
    safestrcpy((char *)page, d->params, 64);
  for (int i = 0; i < eh->phnum; i++) {
    uint32_t lo = ph[i].vaddr, hi = ph[i].vaddr + ph[i].filesz;
    for (uint32_t a = va; ph[i].type == PT_LOAD && a < va + 4096; a++)
      if (a >= lo && a < hi)
        page[a - va] = d->image[ph[i].off + (a - lo)];
  }
}

/* A page fault of a driver we page: its image, its stack, its parameters; else it dies. */
static void page_fault(struct drv *d, uint32_t addr, uint32_t ip) {
  uint32_t va = addr & ~0xFFFu, back = 0;
  for (int i = 0; i < d->npg; i++)
    if (d->pg[i].va == va)
      back = d->pg[i].back;
  struct elfhdr *eh = (struct elfhdr *)d->image;
  struct proghdr *ph = (struct proghdr *)(d->image + eh->phoff);
  bool valid = (addr >= STACK_LO && addr < STACK_TOP) || va == PARAMS_VA;
  for (int i = 0; i < eh->phnum && !valid; i++)
    valid = ph[i].type == PT_LOAD && addr >= (ph[i].vaddr & ~0xFFFu) && addr < ph[i].vaddr + ph[i].memsz;
  if (!back && d->ours && valid && d->npg < 64 && (back = page_alloc())) {
    d->pg[d->npg].va = va;
    d->pg[d->npg++].back = back;
    fill(d, va, (uint8_t *)back);
  }
  if (!back) {
    char why[80];
    fmt(why, sizeof(why), "page fault at %x (ip %x)", addr, ip);
    died(d, why);
    return;
  }
  l4_put_map_item(1, va, l4_fpage(back, 12, L4_RWX), 0);
  l4_send_timeout(d->tid, l4_mktag(0, 0, 2), L4_TIMEOUT_ZERO);
}

static void exception(struct drv *d) {
  static const char *const names[] = { [0] = "#DE divide error", [6] = "#UD invalid opcode",
                                       [13] = "#GP general protection", [14] = "#PF page fault" };
  uint32_t t = L4_MR(3), ip = L4_MR(1);
  char why[80];
  fmt(why, sizeof(why), "%s (trap %u) at ip %x", t < 15 && names[t] ? names[t] : "exception", t, ip);
  died(d, why);
}

/* Reads /sbin/<name> into a free image slot. */
static bool load_image(struct drv *d) {
  l4_threadid_t fs = lookup_wait("fs");
  char path[40] = "/sbin/";
  safestrcpy(path + 6, d->name, sizeof(path) - 6);
  l4_word_t h, n;
  if (nimages == 4 || fs_open(fs, path, strlen(path), 0, 0, &h) < 0)
    return false;
  d->image = images[nimages++];
  d->size = 0;
  while (d->size < IMG_MAX && fs_read(fs, h, d->size, 192, (char *)d->image + d->size, &n) >= 0 && n > 0)
    d->size += n;
  fs_close(fs, h);
  return true;
}

/* Heartbeat: a watched thread that no longer exists was killed (a send to it fails at once with
 * "no partner"; a live one that is busy or waiting elsewhere just times out). */
static void heartbeat(void) {
  for (int i = 0; i < ndrv; i++) {
    struct drv *d = &drvs[i];
    if (d->dead)
      continue;
    l4_msgtag_t r = l4_send_timeout(d->tid, l4_mktag(0, 0, 0) /* probe: never accepted */, L4_TIMEOUT_ZERO);
    (void)r;
    if (l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == 2)
      died(d, "killed (its thread is gone)");
  }
}

/* insmod through the personality: MR1 image size, MR2..MR5 name, MR6..MR21 parameters, then the
 * image's pages as map items (they arrive in WINDOW). */
static int start_request(void) {
  if (ndrv == NDRV || nimages == 4)
    return -28;
  struct drv *d = &drvs[ndrv];
  memset(d, 0, sizeof(*d));
  memcpy(d->name, &L4_MR(2), 15);
  memcpy(d->params, &L4_MR(6), 63);
  d->size = (L4_MR(1) < IMG_MAX ? L4_MR(1) : IMG_MAX);
  d->image = images[nimages];
  memcpy(d->image, (void *)WINDOW, d->size);
  for (uint32_t a = WINDOW; a < WINDOW + d->size; a += 4096) {   /* give the window back */
    L4_MR(0) = l4_fpage(a, 12, L4_RWX).raw;
    l4_unmap(0x40 | 0);
  }
  if (!start(d))
    return -8;                        /* ENOEXEC */
  nimages++;
  ndrv++;
  printf("restart: started %s (pid %u) with \"%s\"\n", d->name, PID(d->tid), d->params);
  return PID(d->tid);
}

int main(void) {
  set_name("restart");
  me = l4_myself();
  static const char *const boot[] = { "ata", "console" };
  for (int i = 0; i < 2; i++) {
    struct drv *d = &drvs[ndrv];
    safestrcpy(d->name, boot[i], sizeof(d->name));
    d->tid = lookup_wait(boot[i]);
    L4_MR(1) = d->tid;
    if (root_call(ROOT_LABEL_WATCH, 1) && load_image(d))
      ndrv++;
  }
  register_name("restart");
  printf("restart: watching %d drivers\n", ndrv);
  l4_accept(l4_fpage(WINDOW, 20, L4_RWX));
  uint64_t next_beat = now();
  for (;;) {
    l4_threadid_t from;
    l4_msgtag_t tag = l4_receive_timeout(L4_ANYTHREAD, TICK, &from);
    if (!l4_ipc_failed(tag)) {
      l4_word_t label = l4_label(tag);
      struct drv *d = by_tid(from);
      if (d && (label & 0xFFF0) == L4_LABEL_PAGEFAULT)
        page_fault(d, L4_MR(1), L4_MR(2));
      else if (d && label == L4_LABEL_EXCEPTION)
        exception(d);
      else if (label == RESTART_LABEL_START) {
        L4_MR(1) = start_request();
        l4_send_timeout(from, l4_mktag(0, 1, 0), L4_TIMEOUT_ZERO);
      }
    }
    if (now() >= next_beat) {
      heartbeat();
      next_beat = now() + 100000;
    }
    restart_due();
  }
}
