/* ipc.c: the one IPC system call (send phase, then receive phase), its register fast path, and
 * the messages the kernel sends on a thread's behalf: page faults, exceptions, interrupts.
 *
 * A message is MR0 (the tag) .. MR(u+t). Between user threads MR0-MR2 travel in registers (ESI,
 * EBX, EBP), the rest through the UTCBs. Whoever completes an IPC writes the partner's results
 * into its trapframe (and UTCB) before making it runnable, so a blocked thread, once woken,
 * just returns to user mode. States: T_SEND (queued on the destination's send queue), T_RECV
 * (partner = the source it waits for, or ANY). A Call's sender goes from T_SEND straight to T_RECV
 * when its message is taken, so the reply can never miss it. */
#include "kernel.h"
#include "libkern/string.h"

bool fastpath_enabled = true;
bool ktrace;                             /* "mktrace" on the command line: kernel-sent IPC on COM1 */
uint32_t fastpath_hits;
uint64_t ticks;

#define KILL_REQUESTED 100               /* kreply_err: the exception handler asked for a kill */
#define PF_PASSED_ON 101                 /* kreply_err: the pager passed the fault on (L4_PF_REPLY_EXCEPTION) */

uint32_t msg_word(struct tcb *t, int i) {
  if (t->kmsg)
    return i <= L4_EXC_WORDS ? t->kbuf[i] : 0;
  switch (i) {
  case 0: return t->tf->esi;
  case 1: return t->tf->ebx;
  case 2: return t->tf->ebp;
  }
  return t->utcb->mr[i];
}

static void set_result(struct tcb *t, uint32_t tag, uint32_t from) {
  if (t->kreply)
    return;
  t->tf->esi = tag;
  t->tf->eax = from;
}

static void ipc_error(struct tcb *t, int code, int phase) {
  if (t->kreply) {
    t->kreply_err = code;
    return;
  }
  t->utcb->error_code = (uint32_t)(code << 1 | phase);
  t->tf->esi = L4_TAG_ERROR;
  t->tf->eax = NIL;
}

static uint64_t deadline(uint32_t timeout) {
  if (timeout == L4_TIMEOUT_NEVER)
    return 0;
  uint64_t us = (uint64_t)(timeout & 0x3FF) << ((timeout >> 10) & 0x1F);
  uint32_t n = us >= 0xFFFFFFFFull - kip->tick_us ? 0xFFFFFFFFu / kip->tick_us
                                                   : ((uint32_t)us + kip->tick_us - 1) / kip->tick_us;
  return ticks + (n ? n : 1);
}

/* The reply to a page fault or exception the kernel sent for dst: map items land anywhere in
 * dst's space; an exception reply may carry new registers or ask for the thread's death. */
static int kernel_receive(struct tcb *src, struct tcb *dst, uint32_t tag, uint32_t u, uint32_t t) {
  if (t && map_fpage_items(src, dst, 1u << 4, (int)u + 1, (int)t))
    return L4_ERR_OVERFLOW;
  if ((dst->kbuf[0] >> 16) != L4_LABEL_EXCEPTION) {
    if ((tag >> 16) == L4_PF_REPLY_EXCEPTION)
      dst->kreply_err = PF_PASSED_ON;     /* user_exception() goes on to the exception handler */
    return 0;
  }
  if ((tag >> 16) == L4_EXC_REPLY_KILL) {
    dst->kreply_err = KILL_REQUESTED;
    return 0;
  }
  if (u >= L4_EXC_WORDS) {
    struct trapframe *tf = dst->tf;
    tf->eip = msg_word(src, L4_EXC_EIP);
    tf->eflags = (tf->eflags & ~0xCD5u) | (msg_word(src, L4_EXC_EFLAGS) & 0xCD5u);
    tf->edi = msg_word(src, L4_EXC_EDI);
    tf->esi = msg_word(src, L4_EXC_ESI);
    tf->ebp = msg_word(src, L4_EXC_EBP);
    tf->esp = msg_word(src, L4_EXC_ESP);
    tf->ebx = msg_word(src, L4_EXC_EBX);
    tf->edx = msg_word(src, L4_EXC_EDX);
    tf->ecx = msg_word(src, L4_EXC_ECX);
    tf->eax = msg_word(src, L4_EXC_EAX);
  }
  return 0;
}

/* Copy src's message into dst. Returns 0 or an error code (then nothing was delivered). */
static int deliver(struct tcb *src, struct tcb *dst) {
  uint32_t tag = msg_word(src, 0);
  uint32_t u = tag & 0x3F, t = (tag >> 6) & 0x3F;
  if (u + t > 63)
    return L4_ERR_OVERFLOW;
  if (dst->kreply)
    return kernel_receive(src, dst, tag, u, t);
  if (t) {
    int err = map_fpage_items(src, dst, dst->utcb->acceptor, (int)u + 1, (int)t);
    if (err)
      return err;
  }
  for (uint32_t i = 3; i <= u + t; i++)
    dst->utcb->mr[i] = msg_word(src, i);
  dst->tf->ebx = msg_word(src, 1);
  dst->tf->ebp = msg_word(src, 2);
  set_result(dst, tag & ~0xF000u, src->id);
  return 0;
}

static bool is_irq_thread(uint32_t id) {
  return id != NIL && id != ANY && L4_THREADNO(id) < L4_NIRQ && L4_VERSION(id) == 1;
}

static void dequeue_sender(struct tcb *s) {
  struct tcb *d = &tcbs[L4_THREADNO(s->partner) % L4_MAXTHREADS];
  for (struct tcb **pp = &d->sendq; *pp; pp = &(*pp)->qnext)
    if (*pp == s) {
      *pp = s->qnext;
      return;
    }
}

/* A queued sender's message was taken: it starts its receive phase, or is done. */
static void sender_done(struct tcb *s) {
  if (s->rcv_from != NIL) {
    s->state = T_RECV;
    s->partner = s->rcv_from;
    s->wakeup = deadline(s->rcv_timeout);
  } else {
    set_result(s, 0, NIL);
    make_ready(s);
  }
}

/* Returns true when the message went to a waiting receiver (*woken) and the receive phase, if
 * any, should follow; false when the IPC is over (an error, or it blocked and was completed). */
static bool send_phase(struct tcb *me, uint32_t to, uint32_t timeout, struct tcb **woken) {
  if (is_irq_thread(to)) {
    if (!irq_ack(me, L4_THREADNO(to))) {
      ipc_error(me, L4_ERR_NOPARTNER, 0);
      return false;
    }
    return true;
  }
  struct tcb *d = tcb_lookup(to);
  if (!d) {
    ipc_error(me, L4_ERR_NOPARTNER, 0);
    return false;
  }
  if (d->state == T_RECV && (d->partner == ANY || d->partner == me->id)) {
    int err = deliver(me, d);
    if (err) {
      ipc_error(me, err, 0);
      ipc_error(d, err, 1);
      make_ready(d);
      return false;
    }
    make_ready(d);
    *woken = d;
    return true;
  }
  if (timeout == L4_TIMEOUT_ZERO) {
    ipc_error(me, L4_ERR_TIMEOUT, 0);
    return false;
  }
  me->state = T_SEND;
  me->partner = to;
  me->wakeup = deadline(timeout);
  me->qnext = NULL;
  struct tcb **pp = &d->sendq;
  while (*pp)
    pp = &(*pp)->qnext;
  *pp = me;
  schedule();
  return false;
}

static void receive_phase(struct tcb *me, uint32_t from, uint32_t timeout, struct tcb *woken) {
  for (struct tcb **pp = &me->sendq; *pp; pp = &(*pp)->qnext) {
    struct tcb *s = *pp;
    if (from != ANY && from != s->id)
      continue;
    *pp = s->qnext;
    int err = deliver(s, me);
    if (err) {
      ipc_error(me, err, 1);
      ipc_error(s, err, 0);
      make_ready(s);
      return;
    }
    sender_done(s);
    return;
  }
  if (irq_pending_for(me, from, true))
    return;
  if (from != ANY && !tcb_lookup(from) && !is_irq_thread(from)) {
    ipc_error(me, L4_ERR_NOPARTNER, 1);
    return;
  }
  if (timeout == L4_TIMEOUT_ZERO) {
    ipc_error(me, L4_ERR_TIMEOUT, 1);
    return;
  }
  me->state = T_RECV;
  me->partner = from;
  me->wakeup = deadline(timeout);
  if (woken)
    switch_to(woken);                    /* direct process switch: the partner runs at once */
  else
    schedule();
}

static void ipc(struct tcb *me, uint32_t to, uint32_t from, uint32_t timeouts) {
  struct tcb *woken = NULL;
  me->rcv_from = from;
  me->rcv_timeout = timeouts & 0xFFFF;
  if (to != NIL && !send_phase(me, to, timeouts >> 16, &woken))
    return;
  if (from != NIL)
    receive_phase(me, from, timeouts & 0xFFFF, woken);
  else
    set_result(me, 0, NIL);
}

/* Ipc: EAX to, EDX from specifier, ECX timeouts, ESI MR0, EBX MR1, EBP MR2.
 * Out: EAX sender, ESI MR0 (E flag on error, UTCB error code), EBX MR1, EBP MR2. */
void sys_ipc(struct trapframe *tf) {
  ipc(cur, tf->eax, tf->edx, tf->ecx);
}

/* The fast path for the two calls that make up an RPC, Call and ReplyWait, when the message is
 * register-only and the partner is already waiting. Every guard falls back to sys_ipc(), which
 * produces the same result (IpcTest compares the two). */
bool fastpath_ipc(struct trapframe *tf) {
  uint32_t tag = tf->esi, to = tf->eax, from = tf->edx;
  if (!fastpath_enabled)
    return false;
  if (tag & 0xFC0)                       /* typed items */
    return false;
  if ((tag & 0x3F) > 2)                  /* words beyond the registers */
    return false;
  if (to == NIL || (from != to && from != ANY))
    return false;                        /* neither Call nor ReplyWait */
  if ((tf->ecx & 0xFFFF) != L4_TIMEOUT_NEVER)
    return false;
  struct tcb *d = tcb_lookup(to);
  if (!d || d->state != T_RECV || d->kreply)
    return false;                        /* partner not waiting, or a kernel reply */
  if (d->partner != ANY && d->partner != cur->id)
    return false;
  if (d->prio != cur->prio)
    return false;                        /* the scheduler must decide */
  if (from == ANY && (cur->sendq || (irqs_pending && irq_pending_for(cur, ANY, false))))
    return false;                        /* a client is already waiting for us */

  d->tf->esi = tag & ~0xF000u;
  d->tf->ebx = tf->ebx;
  d->tf->ebp = tf->ebp;
  d->tf->eax = cur->id;
  d->wakeup = 0;
  d->state = T_READY;
  cur->state = T_RECV;
  cur->partner = from;
  cur->rcv_from = from;
  cur->wakeup = 0;
  fastpath_hits++;
  switch_context(d);
  return true;
}

/* End a blocked IPC of t with an error (halt, timeout, partner deleted). */
void ipc_abort(struct tcb *t, int code) {
  if (t->state == T_SEND) {
    dequeue_sender(t);
    ipc_error(t, code, 0);
  } else if (t->state == T_RECV) {
    ipc_error(t, code, 1);
  } else {
    return;
  }
  make_ready(t);
}

void ipc_timeouts(void) {
  for (int i = L4_NIRQ; i < L4_MAXTHREADS; i++) {
    struct tcb *t = &tcbs[i];
    if ((t->state == T_SEND || t->state == T_RECV) && t->wakeup && t->wakeup <= ticks)
      ipc_abort(t, L4_ERR_TIMEOUT);
  }
}

/* t is going away: nobody may stay blocked on it. */
void ipc_remove_from_queues(struct tcb *t) {
  if (t->state == T_SEND)
    dequeue_sender(t);
  while (t->sendq) {
    struct tcb *s = t->sendq;
    t->sendq = s->qnext;
    s->state = T_READY;                  /* not queued any more: ipc_abort must not dequeue */
    ipc_error(s, L4_ERR_NOPARTNER, 0);
    make_ready(s);
  }
  for (int i = L4_NIRQ; i < L4_MAXTHREADS; i++) {
    struct tcb *r = &tcbs[i];
    if (r != t && r->state == T_RECV && r->partner == t->id)
      ipc_abort(r, L4_ERR_NOPARTNER);
  }
}

/* The kernel calls `to` on t's behalf with the message in t->kbuf (a page fault or exception)
 * and waits for the reply. False when the call failed or the handler asked for a kill. */
bool kernel_call(struct tcb *t, uint32_t to) {
  t->kmsg = true;
  t->kreply = true;
  t->kreply_err = 0;
  ipc(t, to, to, 0);
  t->kmsg = false;
  t->kreply = false;
  return t->kreply_err == 0;
}

bool kernel_call_killed(struct tcb *t) { return t->kreply_err == KILL_REQUESTED; }

/* ---- interrupts: IRQ n is thread L4_IRQTHREAD(n); its handler receives 0xFFF0 messages ---- */

static uint32_t irq_handler[L4_NIRQ];
static bool irq_pending[L4_NIRQ];
int irqs_pending;                        /* how many of irq_pending[] are set: the common 0 is cheap */

uint32_t irq_handler_of(int irq) { return irq_handler[irq]; }

/* IRQ 0 is the kernel's own timer and IRQ 2 the cascade: neither can be given away. */
void irq_attach(int irq, uint32_t handler) {
  if (irq == 0 || irq == 2)
    return;
  irq_handler[irq] = handler;
  if (irq_pending[irq])
    irqs_pending--;
  irq_pending[irq] = false;
  pic_mask(irq, handler == NIL);
}

/* The line stays masked until the handler acknowledges. */
void irq_raise(int irq) {
  pic_mask(irq, true);
  struct tcb *h = tcb_lookup(irq_handler[irq]);
  if (!h)
    return;
  uint32_t id = L4_IRQTHREAD(irq);
  if (ktrace)
    kprintf("trace: irq %d -> handler %s (%x)%s\n", irq, h->name, h->id,
            h->state == T_RECV && (h->partner == ANY || h->partner == id) ? "" : ", pending");
  if (h->state == T_RECV && !h->kreply && (h->partner == ANY || h->partner == id)) {
    set_result(h, L4_LABEL_IRQ << 16, id);
    make_ready(h);
  } else if (!irq_pending[irq]) {
    irq_pending[irq] = true;
    irqs_pending++;
  }
}

bool irq_ack(struct tcb *t, int irq) {
  if (irq_handler[irq] != t->id || irq == 0 || irq == 2)
    return false;
  if (ktrace)
    kprintf("trace: irq %d acknowledged by %s (%x)\n", irq, t->name, t->id);
  pic_mask(irq, false);
  return true;
}

/* A pending interrupt for t that `from` accepts; with take, deliver it to t now. */
bool irq_pending_for(struct tcb *t, uint32_t from, bool take) {
  if (!irqs_pending)
    return false;
  for (int irq = 1; irq < L4_NIRQ; irq++) {
    if (!irq_pending[irq] || irq_handler[irq] != t->id || (from != ANY && from != L4_IRQTHREAD(irq)))
      continue;
    if (take) {
      irq_pending[irq] = false;
      irqs_pending--;
      set_result(t, L4_LABEL_IRQ << 16, L4_IRQTHREAD(irq));
    }
    return true;
  }
  return false;
}
