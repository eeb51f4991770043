/* root.c: the root task (boot module 1, privileged). It owns the policy: which boot task gets
 * which I/O ports and which IRQ. The kernel has already made every boot module a task; a driver
 * asks for its resources with ROOT_LABEL_RESOURCES and runs once the root has granted them. */
#include "srv.h"

static const struct policy {
  const char *task;
  uint16_t port, nports;          /* one I/O port range */
  uint16_t port2, nports2;        /* a second one (0: none) */
  int irq;                        /* -1: none */
} policy[] = {
  { "ata", 0x1F0, 8, 0x3F6, 1, 14 },      /* primary ATA channel: command block, control, IRQ 14 */
  { "console", 0x3F8, 8, 0, 0, 4 },       /* COM1 16550, IRQ 4 */
  { "ext2fs", 0x70, 2, 0, 0, -1 },        /* the CMOS clock, for inode times */
  { "posix", 0x5A0, 16, 0, 0, -1 },       /* jx86's performance counters, for /proc/jx86 (kbench) */
};

/* Threads created for the restart server, with the name of the task they replace. */
static struct { l4_threadid_t t; char name[17]; } dyn[16];

/* The boot-module name of thread t (or of the task a restarted thread replaces), or 0. */
static const char *task_name(l4_threadid_t t) {
  struct l4_kip *k = l4_kip();
  for (int i = 0; i < 16; i++)
    if (dyn[i].t == t)
      return dyn[i].name;
  for (uint32_t i = 0; i < k->nboot; i++)
    if (k->boot[i].thread == t)
      return k->boot[i].name;
  return 0;
}

/* Grants what the policy gives t's task; 1 if there was an entry. */
static int grant(l4_threadid_t t) {
  const char *name = task_name(t);
  for (unsigned i = 0; name && i < sizeof(policy) / sizeof(policy[0]); i++) {
    const struct policy *p = &policy[i];
    if (strcmp(p->task, name) != 0)
      continue;
    int ok = l4_io_control(t, p->port, p->nports, 1);
    if (p->nports2)
      ok &= l4_io_control(t, p->port2, p->nports2, 1);
    if (p->irq >= 0)        /* the driver becomes the handler of the interrupt thread */
      ok &= l4_thread_control(L4_IRQTHREAD(p->irq), L4_IRQTHREAD(p->irq), t, L4_NILTHREAD);
    printf("root: %s (%x): ports %x+%u%s, irq %d: %s\n", name, t, p->port, p->nports,
           p->nports2 ? " and more" : "", p->irq, ok ? "granted" : "FAILED");
    return ok;
  }
  return 0;
}

/* Drivers (tasks the policy gives hardware, and the buggy driver) may be killed on request of
 * the personality (kill -9 1000+thread on the shell), to demonstrate the restart server. */
static bool is_driver(const char *name) {
  for (unsigned i = 0; i < sizeof(policy) / sizeof(policy[0]); i++)
    if (strcmp(policy[i].task, name) == 0)
      return true;
  return strcmp(name, "buggy") == 0;
}

/* Thread management for the personality ("posix" boot task only). */
static int manage(l4_threadid_t from, l4_word_t label) {
  const char *name = task_name(from);
  if (label == ROOT_LABEL_POWEROFF && name)     /* any boot task may end the run */
    poweroff(L4_MR(1));
  bool restart = name && strcmp(name, "restart") == 0;
  if (!name || (strcmp(name, "posix") != 0 && !restart))
    return 0;
  l4_threadid_t t = L4_MR(1);
  if (label == ROOT_LABEL_WATCH && restart)
    return task_name(t) && l4_thread_control(t, t, L4_NILTHREAD, from);
  if (label == ROOT_LABEL_DELETE && task_name(t) && (restart || is_driver(task_name(t))))
    return l4_thread_control(t, L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);   /* kill a driver */
  if (L4_THREADNO(t) < ROOT_FIRST_DYNAMIC)
    return 0;
  if (label == ROOT_LABEL_DELETE)
    return l4_thread_control(t, L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);
  l4_threadid_t space = L4_MR(2) ? L4_MR(2) : t;
  l4_word_t ip = L4_MR(5), sp = L4_MR(6);
  char dname[17];
  memcpy(dname, &L4_MR(7), 16);
  dname[16] = 0;
  if (!l4_thread_control(t, space, L4_MR(3), L4_MR(4)))
    return 0;
  static int ndyn;
  if (restart) {                      /* the oldest entry goes: its thread is long gone */
    dyn[ndyn % 16].t = t;
    memcpy(dyn[ndyn++ % 16].name, dname, 17);
  }
  return l4_start(t, (void (*)(void))ip, (void *)sp);
}

int main(void) {
  set_name("root");
  printf("root: %u boot tasks\n", l4_kip()->nboot);
  l4_threadid_t from;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &from);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(0, 1, 0);
    if (!l4_ipc_failed(tag) && l4_label(tag) == ROOT_LABEL_RESOURCES)
      L4_MR(1) = grant(from);
    else if (!l4_ipc_failed(tag) && l4_label(tag) >= ROOT_LABEL_CREATE && l4_label(tag) <= ROOT_LABEL_WATCH)
      L4_MR(1) = manage(from, l4_label(tag));
    else
      L4_MR(1) = 0;
    tag = l4_reply_wait(from, reply, &from);
  }
}
