/* kernel.h: the microkernel's objects (threads, address spaces, mapping nodes) and every
 * subsystem's entry points. One header: the kernel is small enough to read in one go. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "l4/abi.h"
#include "x86.h"

#define NIL  0u
#define ANY  0xFFFFFFFFu
#define KSTACK_SIZE PGSIZE

/* An address space: a page directory whose kernel half is shared by all, a shadow array of
 * mapping-database nodes per page table, and (for driver tasks) an I/O permission bitmap. */
struct space {
  uint32_t *pgdir;                  /* kernel virtual */
  struct mapnode **nodes[1024];     /* per page table: 1024 node pointers, or NULL */
  uint8_t *iobitmap;                /* 8 KiB, bit set = port denied; NULL = no ports */
  int threads;                      /* reference count */
  bool privileged;                  /* sigma0 and the root task: ThreadControl, IoControl, ... */
  bool sigma0;                      /* page faults map physical memory 1:1 */
};

enum tstate { T_FREE, T_INACTIVE, T_READY, T_SEND, T_RECV, T_DEAD };

struct tcb {
  uint32_t id;
  enum tstate state;
  struct space *space;
  char name[16];
  uint8_t prio;
  int slice;                        /* ticks left */
  struct context *ctx;              /* saved kernel context when not running */
  struct trapframe *tf;             /* user registers (top of the kernel stack) */
  uint8_t *kstack;
  struct l4_utcb *utcb;             /* kernel virtual address of the UTCB page */
  uint32_t pager, exc_handler;
  /* IPC */
  uint32_t partner;                 /* T_SEND: destination; T_RECV: source specifier (or ANY) */
  uint32_t rcv_from;                /* receive phase that follows the send phase, NIL if none */
  uint32_t rcv_timeout;
  uint64_t wakeup;                  /* tick at which a blocked IPC times out, 0 = never */
  struct tcb *sendq, *qnext;        /* threads waiting to send to us; link in that queue */
  struct tcb *rqnext;               /* ready-queue link */
  bool in_rq;
  bool kmsg;                        /* sending the kernel-built message below (fault, exception) */
  bool kreply;                      /* the reply goes to the kernel on this thread's behalf */
  int kreply_err;                   /* set when that kernel call failed */
  uint32_t kbuf[L4_EXC_WORDS + 1];
};

struct mapnode {
  struct space *space;
  uint32_t va;
  uint32_t frame;                   /* physical */
  uint8_t rights;
  struct mapnode *parent, *child, *sibling;
};

extern struct tcb tcbs[L4_MAXTHREADS];
extern struct tcb *cur;
extern struct l4_kip *kip;
extern struct space *kspace_sigma0;
extern uint64_t ticks;
extern uint32_t kernel_pgdir_pa;

/* console.c */
void console_init(void);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs_user(const char *s, int n);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(struct trapframe *tf, const char *reason) __attribute__((noreturn));
void poweroff(int status) __attribute__((noreturn));

/* cpu.c */
void cpu_init(void);
void tss_set_esp0(uint32_t esp0);
void tss_set_iobitmap(struct space *s);
void utcb_segment(uint32_t base);
void tss_iobitmap_changed(struct space *s);
void pic_mask(int irq, bool masked);
void pic_eoi(int irq);

/* mem.c */
void mem_init(uint32_t phys_top, uint32_t reserved_end);
void *page_alloc(void);                  /* zeroed kernel page, or NULL */
void page_free(void *p);
uint32_t pool_end(void);
struct space *space_create(void);
void space_destroy(struct space *s);
void space_switch(struct space *s);
uint32_t *pte_lookup(struct space *s, uint32_t va, bool create);
bool user_range_ok(uint32_t va, uint32_t len);
void kip_init(void);

/* mdb.c: the mapping database */
void mdb_init(void);
bool mdb_insert_root(struct space *s, uint32_t va, uint32_t frame, uint8_t rights);
int mdb_map(struct space *from, uint32_t sva, struct space *to, uint32_t dva, uint8_t rights, bool grant);
void mdb_unmap(struct space *s, uint32_t va, uint8_t rights, bool flush);
uint32_t mdb_probe(struct space *s, uint32_t va);
void mdb_flush_space(struct space *s);
void mdb_dump(struct space *s, uint32_t va);
extern bool ktrace;
int map_fpage_items(struct tcb *src, struct tcb *dst, uint32_t window, int first, int count);
void sys_unmap(struct trapframe *tf);

/* thread.c */
void threads_init(void);
struct tcb *thread_create(uint32_t id, struct space *s, uint32_t pager, uint32_t exc);
void thread_kill(struct tcb *t, const char *why);
void thread_delete(struct tcb *t);
void make_ready(struct tcb *t);
void schedule(void);
void switch_to(struct tcb *t);
void switch_context(struct tcb *next);
bool irq_pending_for(struct tcb *t, uint32_t from, bool take);
void sched_tick(void);
void idle_loop(void) __attribute__((noreturn));
void sys_threadswitch(struct trapframe *tf);
void sys_exregs(struct trapframe *tf);
void sys_threadctl(struct trapframe *tf);
void sys_schedule(struct trapframe *tf);
void sys_iocontrol(struct trapframe *tf);
void iobitmap_release(struct space *s);
uint32_t msg_word(struct tcb *t, int i);
bool sigma0_identity(struct space *s, uint32_t va);
void ipc_remove_from_queues(struct tcb *t);
extern bool need_resched;
void swtch(struct context **old, struct context *new);
void trapret(void);

/* A live thread with exactly this id, or NULL. Inline: every IPC starts with it. */
static inline struct tcb *tcb_lookup(uint32_t id) {
  uint32_t n = L4_THREADNO(id);
  if (n < L4_NIRQ || n >= L4_MAXTHREADS)  /* also nil and any */
    return NULL;
  struct tcb *t = &tcbs[n];
  if (t->id != id || t->state == T_FREE || t->state == T_DEAD)
    return NULL;
  return t;
}

/* ipc.c */
void sys_ipc(struct trapframe *tf);
bool fastpath_ipc(struct trapframe *tf);
extern bool fastpath_enabled;
extern int irqs_pending;
extern uint32_t fastpath_hits;
void ipc_abort(struct tcb *t, int code);
void ipc_timeouts(void);
bool kernel_call(struct tcb *t, uint32_t to);
bool kernel_call_killed(struct tcb *t);
void irq_attach(int irq, uint32_t handler);
void irq_raise(int irq);
bool irq_ack(struct tcb *t, int irq);
uint32_t irq_handler_of(int irq);

/* trap.c */
void trap(struct trapframe *tf);
