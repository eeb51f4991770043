/* thread.c: thread control blocks, the priority round-robin scheduler, and the thread system
 * calls: ThreadControl, ExchangeRegisters, ThreadSwitch, Schedule, IoControl.
 *
 * Each thread has one kernel stack page: its user registers (struct trapframe) at the top, its
 * saved kernel context below when it is not running. A blocked thread sleeps inside the kernel
 * on that stack; whoever completes its IPC writes the results into its trapframe first. */
#include "kernel.h"
#include "libkern/string.h"

struct tcb tcbs[L4_MAXTHREADS];
struct tcb *cur;
bool need_resched;
static bool idling;

#define NPRIO 256
#define DEFAULT_PRIO 100
#define SLICE_TICKS 2
static struct tcb *rq_head[NPRIO], *rq_tail[NPRIO];
static uint32_t rq_bits[NPRIO / 32];

static void rq_push(struct tcb *t) {
  if (t->in_rq)
    return;
  t->rqnext = NULL;
  if (rq_tail[t->prio])
    rq_tail[t->prio]->rqnext = t;
  else
    rq_head[t->prio] = t;
  rq_tail[t->prio] = t;
  rq_bits[t->prio / 32] |= 1u << (t->prio % 32);
  t->in_rq = true;
}

static void rq_remove(struct tcb *t) {
  if (!t->in_rq)
    return;
  struct tcb **pp = &rq_head[t->prio], *prev = NULL;
  while (*pp != t) {
    prev = *pp;
    pp = &(*pp)->rqnext;
  }
  *pp = t->rqnext;
  if (rq_tail[t->prio] == t)
    rq_tail[t->prio] = prev;
  if (!rq_head[t->prio])
    rq_bits[t->prio / 32] &= ~(1u << (t->prio % 32));
  t->in_rq = false;
}

static struct tcb *rq_highest(void) {
  for (int w = NPRIO / 32 - 1; w >= 0; w--)
    if (rq_bits[w])
      return rq_head[w * 32 + 31 - __builtin_clz(rq_bits[w])];
  return NULL;
}

/* A thread became runnable; preempt the current one if it has lower priority. */
void make_ready(struct tcb *t) {
  t->state = T_READY;
  t->wakeup = 0;
  if (t != cur || idling)
    rq_push(t);
  if (cur && t->prio > cur->prio)
    need_resched = true;
}

void switch_context(struct tcb *next) {
  struct tcb *prev = cur;
  if (next == prev)
    return;
  cur = next;
  if (next->space != prev->space)        /* same space: no CR3 load, same I/O bitmap */
    space_switch(next->space);
  tss_set_esp0((uint32_t)next->kstack + KSTACK_SIZE);
  utcb_segment(L4_UTCB_BASE + L4_THREADNO(next->id) * PGSIZE);
  /* reload %gs now, so its hidden base is next's UTCB: trapret skips an unchanged selector */
  __asm__ volatile("movw %0, %%gs" : : "r"((uint16_t)SEL(SEG_UTCB, 3)));
  swtch(&prev->ctx, next->ctx);
}

/* Give up the CPU: the current thread goes to the tail of its queue if it is still runnable.
 * With nothing to run, wait for an interrupt here (on the current kernel stack). */
void schedule(void) {
  need_resched = false;
  if (cur->state == T_READY)
    rq_push(cur);
  struct tcb *next;
  idling = true;                         /* make_ready() must queue even the current thread now */
  while (!(next = rq_highest()))
    sti_hlt();
  idling = false;
  rq_remove(next);
  if (next->slice <= 0)
    next->slice = SLICE_TICKS;
  switch_context(next);
}

/* Direct process switch (IPC): run t now, without a scheduler decision, if it has at least our
 * priority; otherwise let the scheduler pick. */
void switch_to(struct tcb *t) {
  struct tcb *hi = rq_highest();
  if (t->state != T_READY || (hi && hi->prio > t->prio)) {
    schedule();
    return;
  }
  need_resched = false;
  rq_remove(t);
  if (cur->state == T_READY)
    rq_push(cur);
  switch_context(t);
}

void sched_tick(void) {
  if (--cur->slice <= 0) {
    cur->slice = SLICE_TICKS;
    need_resched = true;
  }
}

struct tcb *thread_create(uint32_t id, struct space *s, uint32_t pager, uint32_t exc) {
  uint32_t n = L4_THREADNO(id);
  if (n < L4_NIRQ || n >= L4_MAXTHREADS || L4_VERSION(id) == 0)
    return NULL;
  struct tcb *t = &tcbs[n];
  if (t->state != T_FREE && t->state != T_DEAD)
    return NULL;
  if (!t->kstack && !(t->kstack = page_alloc()))
    return NULL;
  struct l4_utcb *utcb = page_alloc();
  uint32_t uaddr = L4_UTCB_BASE + n * PGSIZE;
  uint32_t *pte = utcb ? pte_lookup(s, uaddr, true) : NULL;
  if (!pte) {
    if (utcb)
      page_free(utcb);
    return NULL;
  }
  *pte = V2P(utcb) | PTE_P | PTE_W | PTE_U;
  uint8_t *kstack = t->kstack;          /* a slot keeps its kernel stack page for good */
  memset(t, 0, sizeof(*t));
  t->kstack = kstack;
  t->id = id;
  t->space = s;
  t->prio = DEFAULT_PRIO;
  t->slice = SLICE_TICKS;
  t->utcb = utcb;
  t->pager = pager;
  t->exc_handler = exc;
  utcb->mr_ptr = uaddr + offsetof(struct l4_utcb, mr);
  utcb->my_global_id = id;
  utcb->pager = pager;
  utcb->exception_handler = exc;
  s->threads++;
  /* the first switch to the thread "returns" from swtch into trapret, with its user registers */
  struct trapframe *tf = (struct trapframe *)(t->kstack + KSTACK_SIZE) - 1;
  memset(tf, 0, sizeof(*tf));
  tf->cs = SEL(SEG_UCODE, 3);
  tf->ds = tf->es = tf->fs = tf->ss = SEL(SEG_UDATA, 3);
  tf->gs = SEL(SEG_UTCB, 3);
  tf->eflags = FL_IF;
  t->tf = tf;
  struct context *ctx = (struct context *)tf - 1;
  memset(ctx, 0, sizeof(*ctx));
  ctx->eip = (uint32_t)trapret;
  t->ctx = ctx;
  t->name[0] = 't';
  for (int i = 0, v = n; i < 3; i++, v /= 10)
    t->name[3 - i] = '0' + v % 10;
  t->state = T_INACTIVE;
  return t;
}

/* Remove a thread: its IPC partners fail, its interrupts are detached, its UTCB goes, and with
 * its last thread the address space. A thread deleting itself ends in schedule(). */
void thread_delete(struct tcb *t) {
  ipc_remove_from_queues(t);
  rq_remove(t);
  for (int irq = 0; irq < L4_NIRQ; irq++)
    if (irq_handler_of(irq) == t->id)
      irq_attach(irq, NIL);
  struct space *s = t->space;
  uint32_t *pte = pte_lookup(s, L4_UTCB_BASE + L4_THREADNO(t->id) * PGSIZE, false);
  if (pte)
    *pte = 0;
  page_free(t->utcb);
  t->utcb = NULL;
  t->state = (t == cur) ? T_DEAD : T_FREE;
  if (--s->threads == 0) {
    if (rcr3() == V2P(s->pgdir))
      space_switch(NULL);
    space_destroy(s);
  } else if (t == cur) {
    lcr3(rcr3());                        /* the UTCB mapping went away */
  }
  if (t == cur)
    schedule();
}

static const char *exception_names[] = {
  "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
  "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
  "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
  "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check", "#MC machine check",
  "#XM SIMD exception",
};

void thread_kill(struct tcb *t, const char *why) {
  struct trapframe *tf = t->tf;
  const char *what = why ? why : (tf->trapno < 20 ? exception_names[tf->trapno] : "int $0x80");
  kprintf("mk: thread %s (%x) killed: %s (trap %d, err %x) at eip %08x\n", t->name, t->id, what, tf->trapno,
          tf->err, tf->eip);
  thread_delete(t);
}

/* ---- system calls ---- */

static void fail(struct trapframe *tf, uint32_t err) {
  cur->utcb->error_code = err;
  tf->eax = 0;
}

static bool may_control(struct tcb *t) {
  return cur->space->privileged || t->space == cur->space;
}

/* ThreadSwitch: EAX = destination (nil: just yield the rest of the time slice). */
void sys_threadswitch(struct trapframe *tf) {
  struct tcb *t = tcb_lookup(tf->eax);
  cur->slice = 0;
  if (t && t->state == T_READY && t != cur)
    switch_to(t);
  else
    schedule();
}

static void halt_thread(struct tcb *t) {
  if (t->state == T_SEND || t->state == T_RECV)
    ipc_abort(t, L4_ERR_CANCELED);
  rq_remove(t);
  t->state = T_INACTIVE;
}

/* ExchangeRegisters: EAX dest, ECX control, EDX SP, ESI IP, EDI EFLAGS, EBP pager, EBX exception
 * handler. Out: EAX dest (0 on error), ECX state (1 = inactive/halted), EDX old SP, ESI old IP,
 * EDI old EFLAGS, EBP pager, EBX exception handler. */
void sys_exregs(struct trapframe *tf) {
  struct tcb *t = tcb_lookup(tf->eax);
  if (!t)
    return fail(tf, L4_ERR_INVALID_THREAD);
  if (!may_control(t))
    return fail(tf, L4_ERR_NO_PRIVILEGE);
  uint32_t ctl = tf->ecx, sp = tf->edx, ip = tf->esi, fl = tf->edi, pager = tf->ebp, exc = tf->ebx;
  tf->ecx = t->state == T_INACTIVE;
  tf->edx = t->tf->esp;
  tf->esi = t->tf->eip;
  tf->edi = t->tf->eflags;
  tf->ebp = t->pager;
  tf->ebx = t->exc_handler;
  if (ctl & L4_EXREGS_SET_SP)
    t->tf->esp = sp;
  if (ctl & L4_EXREGS_SET_IP)
    t->tf->eip = ip;
  if (ctl & L4_EXREGS_SET_FLAGS)
    t->tf->eflags = (t->tf->eflags & ~0xCD5u) | (fl & 0xCD5u);   /* arithmetic flags, DF only */
  if (ctl & L4_EXREGS_SET_PAGER)
    t->pager = t->utcb->pager = pager;
  if (ctl & L4_EXREGS_SET_EXCH)
    t->exc_handler = t->utcb->exception_handler = exc;
  if ((ctl & L4_EXREGS_HALT) && t->state != T_INACTIVE)
    halt_thread(t);
  if ((ctl & L4_EXREGS_RESUME) && t->state == T_INACTIVE)
    make_ready(t);
  if (t == cur && t->state == T_INACTIVE)
    schedule();
}

/* ThreadControl: EAX dest, ESI space specifier, ECX pager, EBX exception handler.
 *   dest an interrupt thread: attach it to the handler in ECX (ECX = dest detaches);
 *   space = nil: delete dest (any thread may delete itself);
 *   dest exists: set its pager / exception handler (nil leaves it);
 *   otherwise create dest, inactive, in a new space (space = dest) or in space's space.
 * Out: EAX 1, or 0 with the UTCB error code set. */
void sys_threadctl(struct trapframe *tf) {
  uint32_t dest = tf->eax, space = tf->esi, pager = tf->ecx, exc = tf->ebx;
  struct tcb *t = tcb_lookup(dest);
  if (!cur->space->privileged && !(t == cur && space == NIL))
    return fail(tf, L4_ERR_NO_PRIVILEGE);
  if (dest != NIL && dest != ANY && L4_THREADNO(dest) < L4_NIRQ && L4_VERSION(dest) == 1) {
    irq_attach(L4_THREADNO(dest), pager == dest ? NIL : pager);
    tf->eax = 1;
    return;
  }
  if (space == NIL) {
    if (!t)
      return fail(tf, L4_ERR_INVALID_THREAD);
    tf->eax = 1;
    thread_delete(t);
    return;
  }
  if (t) {
    if (pager != NIL)
      t->pager = t->utcb->pager = pager;
    if (exc != NIL)
      t->exc_handler = t->utcb->exception_handler = exc;
    tf->eax = 1;
    return;
  }
  struct space *s;
  bool fresh = false;
  if (space == dest) {
    if (!(s = space_create()))
      return fail(tf, L4_ERR_NO_MEMORY);
    fresh = true;
  } else {
    struct tcb *st = tcb_lookup(space);
    if (!st)
      return fail(tf, L4_ERR_INVALID_SPACE);
    s = st->space;
  }
  if (!thread_create(dest, s, pager, exc)) {
    if (fresh)
      space_destroy(s);
    return fail(tf, L4_THREADNO(dest) < L4_MAXTHREADS && L4_VERSION(dest) ? L4_ERR_NO_MEMORY
                                                                          : L4_ERR_INVALID_THREAD);
  }
  tf->eax = 1;
}

/* Schedule: EAX dest, EDX new priority (0-255, at most the caller's own unless privileged).
 * Out: EAX old priority + 1, or 0. */
void sys_schedule(struct trapframe *tf) {
  struct tcb *t = tcb_lookup(tf->eax);
  if (!t)
    return fail(tf, L4_ERR_INVALID_THREAD);
  if (!may_control(t) || (!cur->space->privileged && tf->edx > cur->prio))
    return fail(tf, L4_ERR_NO_PRIVILEGE);
  uint32_t old = t->prio;
  bool queued = t->in_rq;
  rq_remove(t);
  t->prio = tf->edx & 0xFF;
  if (queued)
    rq_push(t);
  need_resched = true;
  tf->eax = old + 1;
}

/* I/O permission bitmaps for driver tasks (few): 8 KiB each, bit set = port denied. */
#define NIOBITMAPS 8
static uint8_t iobitmaps[NIOBITMAPS][8192];
static struct space *iobitmap_users[NIOBITMAPS];

void iobitmap_release(struct space *s) {
  for (int i = 0; i < NIOBITMAPS; i++)
    if (iobitmap_users[i] == s)
      iobitmap_users[i] = NULL;
  tss_iobitmap_changed(s);
  s->iobitmap = NULL;
}

/* IoControl (privileged): EAX a thread (its space), EDX first port, ECX count, EBX 1 = grant,
 * 0 = revoke. Out: EAX 1 or 0. */
void sys_iocontrol(struct trapframe *tf) {
  struct tcb *t = tcb_lookup(tf->eax);
  uint32_t port = tf->edx, count = tf->ecx;
  if (!cur->space->privileged)
    return fail(tf, L4_ERR_NO_PRIVILEGE);
  if (!t || port > 0xFFFF || count > 0x10000 - port)
    return fail(tf, L4_ERR_INVALID_THREAD);
  struct space *s = t->space;
  if (!s->iobitmap) {
    for (int i = 0; i < NIOBITMAPS && !s->iobitmap; i++)
      if (!iobitmap_users[i]) {
        iobitmap_users[i] = s;
        s->iobitmap = iobitmaps[i];
        memset(s->iobitmap, 0xFF, 8192);
      }
    if (!s->iobitmap)
      return fail(tf, L4_ERR_NO_MEMORY);
  }
  for (uint32_t p = port; p < port + count; p++) {
    if (tf->ebx)
      s->iobitmap[p / 8] &= ~(1u << (p % 8));
    else
      s->iobitmap[p / 8] |= 1u << (p % 8);
  }
  tss_iobitmap_changed(s);
  if (s == cur->space)
    tss_set_iobitmap(s);
  tf->eax = 1;
}
