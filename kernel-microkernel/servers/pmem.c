/* pmem.c: the memory part of the POSIX personality. Every page of a process is a page of this task
 * (from sigma0), mapped on at the process's first fault (the personality is its pager), so the
 * personality reaches the process's buffers directly. fork shares the pages copy-on-write: the
 * parent's writable mappings lose their write right (Unmap), both processes list the pages as cow,
 * and the first write copies a page that is still shared: a write fault of the process, or a write
 * of the personality into it (read(2) into a shared buffer). A reference count per page says when
 * the last sharer is gone (or that a cow page has only one user left: no copy needed). */
#include "posix.h"

#define BACK_BASE 0x10000000u          /* this task's window of process pages */
#define BACK_MAX 24576                 /* pages (96 MiB) */
#define IDX(a) (((a) - BACK_BASE) / PAGE)

uint32_t tramp_page;
static uint32_t back_next = BACK_BASE;
static uint32_t free_head;             /* free pages, linked through their first word */
static uint16_t ref[BACK_MAX];         /* processes (and temporary users) of each page */
static uint32_t used, cow_shared, cow_copies, cow_reused;   /* /proc/meminfo */

/* A page of the pool, zeroed unless the caller fills it (a copy). */
static uint32_t page_get(bool zero) {
  uint32_t a = free_head;
  if (a) {
    free_head = *(uint32_t *)a;
    if (zero)
      memset((void *)a, 0, PAGE);
  } else {
    if (back_next == BACK_BASE + BACK_MAX * PAGE || !sigma0_page(~0u, back_next))
      return 0;
    a = back_next;
    back_next += PAGE;
  }
  ref[IDX(a)] = 1;
  used++;
  return a;
}

uint32_t page_alloc(void) {
  return page_get(true);
}

/* Drops one reference; the last one frees the page. */
void page_put(uint32_t a) {
  if (--ref[IDX(a)] > 0)
    return;
  *(uint32_t *)a = free_head;
  free_head = a;
  used--;
}

bool valid_va(struct proc *p, uint32_t va) {
  return (va >= p->lo && va < PGUP(p->brk)) || (va >= STACK_LO && va < STACK_TOP);
}

static bool read_only(struct proc *p, uint32_t va) {
  return va >= p->ro_lo && va < p->ro_hi;
}

/* Removes every mapping of this task's pages (the fpages in MR0..) from the processes, or only
 * their write right: n <= 64 pages. */
static void revoke(const uint32_t *pages, int n, uint32_t rights) {
  for (int i = 0; i < n; i++)
    L4_MR(i) = l4_fpage(pages[i], 12, rights).raw;
  l4_unmap(n - 1);
}

/* A write to a cow page: a private copy if others still share it (their read-only mappings stay),
 * else the page is simply p's again. from_personality: the process may have the old page mapped
 * read-only; its mappings go, so that its next access faults in the copy. */
static bool cow_break(struct upage *u, bool from_personality) {
  uint32_t old = u->back;
  if (ref[IDX(old)] == 1) {
    cow_reused++;
  } else {
    uint32_t b = page_get(false);
    if (!b)
      return false;
    memcpy((void *)b, (void *)old, PAGE);
    if (from_personality)
      revoke(&old, 1, L4_RWX);           /* the other sharers fault it in again, read-only */
    page_put(old);
    u->back = b;
    cow_copies++;
  }
  u->cow = false;
  return true;
}

/* p's page at va: found, or made on first use if alloc and va is in its image, heap or stack;
 * for a write a shared page is copied first. 0 if there is none (or no memory). */
static struct upage *upage(struct proc *p, uint32_t va, bool alloc, bool write) {
  uint32_t pva = PGDOWN(va);
  if (write && read_only(p, va))
    return 0;
  for (int i = 0; i < p->npg; i++)
    if (p->pg[i].va == pva)
      return write && p->pg[i].cow && !cow_break(&p->pg[i], true) ? 0 : &p->pg[i];
  if (!alloc || !valid_va(p, va) || p->npg == NPAGES)
    return 0;
  uint32_t b = page_alloc();
  if (!b)
    return 0;
  struct upage *u = &p->pg[p->npg++];
  u->va = pva;
  u->back = b;
  u->cow = false;
  return u;
}

/* This task's address of process address va. */
uint8_t *uva(struct proc *p, uint32_t va, bool alloc, bool write) {
  struct upage *u = upage(p, va, alloc, write);
  return u ? (uint8_t *)(u->back + (va & (PAGE - 1))) : 0;
}

int ucopy(struct proc *p, uint32_t va, void *buf, uint32_t n, bool to_user) {
  while (n > 0) {
    uint8_t *a = uva(p, va, true, to_user);
    if (!a)
      return -EFAULT;
    uint32_t chunk = MIN(n, PAGE - (va & (PAGE - 1)));
    if (to_user)
      memmove(a, buf, chunk);
    else
      memmove(buf, a, chunk);
    va += chunk;
    buf = (char *)buf + chunk;
    n -= chunk;
  }
  return 0;
}

/* Could the personality read (write) n bytes at va of p? Without touching anything. */
int ucheck(struct proc *p, uint32_t va, uint32_t n, bool write) {
  if (n == 0)
    return 0;
  if (va + n < va)
    return -EFAULT;
  for (uint32_t a = PGDOWN(va); a < va + n && a >= PGDOWN(va); a += PAGE) {
    bool known = valid_va(p, a);
    for (int i = 0; !known && i < p->npg; i++)
      known = p->pg[i].va == a;
    if (!known || (write && read_only(p, a)))
      return -EFAULT;
  }
  return 0;
}

int ustr(struct proc *p, uint32_t va, char *dst, int max) {
  for (int i = 0; i < max; i++) {
    uint8_t *a = uva(p, va + i, false, false);
    if (!a)
      return -EFAULT;
    if ((dst[i] = *a) == 0)
      return i;
  }
  return -ENAMETOOLONG;
}

void free_pages(struct proc *p) {
  for (int i = 0; i < p->npg; i++)
    page_put(p->pg[i].back);
  p->npg = 0;
}

/* fork: c gets p's pages, shared copy-on-write. The parent's writable mappings become read-only
 * first (the parent waits in its fork call meanwhile, so nothing writes in between). */
int fork_pages(struct proc *c, struct proc *p) {
  uint32_t batch[64];
  int n = 0;
  for (int i = 0; i < p->npg; i++) {
    struct upage *u = &p->pg[i];
    if (!u->cow) {
      batch[n++] = u->back;
      if (n == 64) {
        revoke(batch, n, L4_W);
        n = 0;
      }
      u->cow = true;
      cow_shared++;
    }
    ref[IDX(u->back)]++;
    c->pg[i] = *u;
  }
  if (n)
    revoke(batch, n, L4_W);
  c->npg = p->npg;
  return 0;
}

/* Passes a fault on to the process's exception handler (this task) as trap 14 with the full
 * registers, which a signal frame needs. */
static void pass_on(struct proc *p, uint32_t addr) {
  p->fault_addr = addr;
  l4_send_timeout(p->tid, l4_mktag(L4_PF_REPLY_EXCEPTION, 0, 0), L4_TIMEOUT_ZERO);
}

/* A page fault of p at addr: a page of p (made on first touch when the address is in its image,
 * heap or stack; copied on a write when it is shared), or the trampoline; anything else is
 * SIGSEGV: passed on as an exception when p has a handler for it, else p ends here. */
void page_fault(struct proc *p, uint32_t addr, uint32_t ip, bool write) {
  uint32_t back, rights;
  if (PGDOWN(addr) == TRAMP && !write) {
    back = tramp_page;
    rights = L4_R | L4_X;
  } else {
    struct upage *u = PGDOWN(addr) == TRAMP ? 0 : upage(p, addr, true, false);
    if (u && write && (read_only(p, addr) || (u->cow && !cow_break(u, false))))
      u = 0;                             /* a write to its text, or no memory for the copy */
    if (!u) {
      if (sig_handled(p, SIGSEGV))
        return pass_on(p, addr);
      printf("posix: pid %d (%s): segmentation fault at %x, ip %x\n", p->pid, p->name, addr, ip);
      proc_end(p, SIGSEGV);
      return;
    }
    back = u->back;
    rights = u->cow || read_only(p, addr) ? L4_R | L4_X : L4_RWX;
  }
  l4_put_map_item(1, PGDOWN(addr), l4_fpage(back, 12, rights), 0);
  l4_send_timeout(p->tid, l4_mktag(0, 0, 2), L4_TIMEOUT_ZERO);
}

/* /proc/meminfo: the personality's page pool, and the copy-on-write counters (pages shared by
 * fork, private copies made on a write, cow pages written with no other sharer left). */
int meminfo_text(char *buf, int size) {
  return ksnprintf_(buf, size, "MemTotal: %8u kB\nMemFree:  %8u kB\nCowShared: %u\nCowCopies: %u\nCowReused: %u\n",
                    BACK_MAX * 4, (BACK_MAX - used) * 4, cow_shared, cow_copies, cow_reused);
}
