/* restart.c: the restart server (Minix 3's reincarnation server). It watches drivers: the boot
 * drivers ata and console (it becomes their exception handler through the root task) and the
 * drivers it starts itself (insmod through the POSIX personality, RESTART_LABEL_START), whose
 * pager and exception handler it is. A driver that dies -- an exception, a page fault outside its
 * image, heap and stack, its thread gone, or no answer to the heartbeat (a second thread pings
 * every driver, idl/driver.idl) -- is started again from its image (the ELF file read from /sbin
 * at start, or the one insmod sent), with backoff, and re-registers its name itself; after
 * MAXDEATHS deaths in a row (a driver that ran for STABLE before it died starts the count again)
 * it is left dead.
 * Every restart is one log line:
 *   restart: <name> (pid N) died: <reason>; restarted as pid M
 * A server's "pid" is 1000 + its L4 thread number: `kill -9 1020` on the shell kills the ATA
 * driver (thread 20) through the personality and the root task; the heartbeat notices. */
#define PID(t) (1000 + L4_THREADNO(t))
#include "srv.h"
#include "idl/fs_client.h"
#include "idl/driver_client.h"
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

/* The heartbeat (see heartbeat() below). Virtual time: the KIP clock counts 10 ms timer ticks,
 * and the timer is driven by the instruction count. */
#define HB_THREAD 99                   /* this task's second thread (drivers get 100..127) */
#define HB_PERIOD 100000u              /* a round of pings every 100 ms */
#define HB_WAIT 100000u                /* a ping not answered within 100 ms is a miss */
#define HB_MISSES 20                   /* that many misses in a row (>= 2 s deaf): hung */
#define HB_LABEL_DEAD 0x6011           /* heartbeat -> main: MR1 the driver, MR2 ms deaf (0: gone) */

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

/* One ping: 0 answered, 1 not within HB_WAIT (a miss), 2 the thread is gone ("no partner"). The
 * ping is a Call with a send timeout: it waits in the driver's queue while the driver serves a
 * request (or waits for its disk), and is accepted by the driver's next receive. */
static int ping(l4_threadid_t t, l4_word_t seq) {
  L4_MR(1) = seq;
  l4_word_t w = timeout_us(HB_WAIT);
  l4_msgtag_t r = l4_ipc(t, t, w << 16 | w, l4_mktag(DRIVER_PING_LABEL, 1, 0), NULL);
  if (l4_ipc_failed(r))
    return ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER ? 2 : 1;
  return L4_MR(1) == 0 && l4_untyped(r) >= 2 && L4_MR(2) == seq ? 0 : 1;
}

/* Tells the main thread, which owns drvs[] and does the restarting, that t is dead or deaf. */
static void report(l4_threadid_t t, l4_word_t ms) {
  L4_MR(1) = t;
  L4_MR(2) = ms;
  l4_call(me, l4_mktag(HB_LABEL_DEAD, 2, 0));
}

/* The heartbeat thread. Every HB_PERIOD it pings every live driver in turn; a driver answers from
 * its request loop, so between requests. A driver busy with a request (an ATA transfer, a
 * console write) answers late (measured: within 10 ms); one that spins or
 * blocks for good misses every ping, and after HB_MISSES in a row (each a ping that waited
 * HB_WAIT in vain: at least 2 s without a receive) it is reported as hung and restarted like a
 * dead one. A driver that was deleted fails the ping at once ("no partner"). */
static uint32_t hb_stack[1024];
static void heartbeat(void) {
  static l4_threadid_t seen[NDRV];
  static int misses[NDRV];
  static uint64_t deaf_since[NDRV];
  for (l4_word_t seq = 1;; seq++) {
    uint64_t round = now();
    for (int i = 0; i < ndrv; i++) {
      l4_threadid_t t = drvs[i].tid;
      if (drvs[i].dead)
        continue;
      if (t != seen[i]) {               /* a new driver (or a restarted one): a fresh count */
        seen[i] = t;
        misses[i] = 0;
      }
      uint64_t sent = now();
      int r = ping(t, seq);
      if (r == 0) {
        misses[i] = 0;
      } else if (r == 2) {
        report(t, 0);
      } else {
        if (misses[i]++ == 0)
          deaf_since[i] = sent;
        if (misses[i] >= HB_MISSES) {
          report(t, (uint32_t)(now() - deaf_since[i]) / 1000);
          misses[i] = 0;
        }
      }
    }
    uint64_t t = now();
    if (t < round + HB_PERIOD)
      l4_receive_timeout(L4_NILTHREAD + 1, timeout_us(round + HB_PERIOD - t), NULL);
  }
}

/* The heartbeat runs in a second thread of this task, so that a ping may wait for a busy driver
 * without holding up exceptions, page faults and insmod. */
static l4_threadid_t start_heartbeat(void) {
  l4_threadid_t t = L4_GLOBALID(HB_THREAD, 1);
  L4_MR(1) = t;
  L4_MR(2) = me;                        /* in this space */
  L4_MR(3) = l4_kip()->sigma0;          /* pager, as for this task's own thread */
  L4_MR(4) = me;
  L4_MR(5) = (l4_word_t)heartbeat;
  L4_MR(6) = (l4_word_t)&hb_stack[1024];
  memcpy(&L4_MR(7), "heartbeat\0\0\0\0\0\0", 16);
  return root_call(ROOT_LABEL_CREATE, 10) ? t : L4_NILTHREAD;
}

/* A report of the heartbeat thread: the driver (if still the live one) died. */
static void heartbeat_report(void) {
  struct drv *d = by_tid(L4_MR(1));
  l4_word_t ms = L4_MR(2);
  char why[80];
  if (!d)
    return;
  if (ms == 0)
    died(d, "killed (its thread is gone)");
  else {
    fmt(why, sizeof(why), "no answer to heartbeat for %u ms", ms);
    died(d, why);
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
  /* registered before the images are read (slow: 192-byte fs.read calls), so that the name
   * server's line comes early in the boot; an insmod sent meanwhile waits for the loop below */
  register_name("restart");
  static const char *const boot[] = { "ata", "console" };
  for (int i = 0; i < 2; i++) {
    struct drv *d = &drvs[ndrv];
    safestrcpy(d->name, boot[i], sizeof(d->name));
    d->tid = lookup_wait(boot[i]);
    L4_MR(1) = d->tid;
    if (root_call(ROOT_LABEL_WATCH, 1) && load_image(d))
      ndrv++;
  }
  l4_threadid_t hb = start_heartbeat();
  printf("restart: watching %d drivers%s\n", ndrv, hb ? "" : " (no heartbeat thread)");
  l4_accept(l4_fpage(WINDOW, 20, L4_RWX));
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
      else if (from == hb && label == HB_LABEL_DEAD) {
        heartbeat_report();
        l4_send_timeout(from, l4_mktag(0, 0, 0), L4_TIMEOUT_ZERO);
      } else if (label == RESTART_LABEL_START) {
        L4_MR(1) = start_request();
        l4_send_timeout(from, l4_mktag(0, 1, 0), L4_TIMEOUT_ZERO);
      }
    }
    restart_due();
  }
}
