/* trap.c: every entry into the kernel: interrupts, system calls, and CPU exceptions from user
 * mode (which become page-fault or exception IPC). An exception in kernel mode is a kernel bug:
 * panic. */
#include "kernel.h"
#include "libkern/string.h"

/* Is [va, va+len) mapped user-readable in the current space? (KDebug reads user strings.) */
static bool user_readable(uint32_t va, uint32_t len) {
  if (!user_range_ok(va, len))
    return false;
  for (uint32_t p = va & ~(PGSIZE - 1); p < va + len; p += PGSIZE) {
    uint32_t *pte = pte_lookup(cur->space, p, false);
    if (!pte || (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
      return false;
  }
  return true;
}

static void sys_kdebug(struct trapframe *tf) {
  uint32_t op = tf->eax, a = tf->edx, b = tf->ecx;
  bool priv = cur->space->privileged;
  tf->eax = 0;
  switch (op) {
  case L4_KD_PUTC:
    kputs_user((const char *)&a, 1);
    break;
  case L4_KD_PUTS:
    if (b <= 256 && user_readable(a, b))
      kputs_user((const char *)a, (int)b);
    break;
  case L4_KD_POWEROFF:
    if (priv) {
      kprintf("mk: power off (%d)\n", (int)a);
      poweroff((int)a);
    }
    break;
  case L4_KD_SETNAME:
    if (user_readable(a, 15)) {
      memcpy(cur->name, (const char *)a, 15);
      cur->name[15] = 0;
    }
    break;
  case L4_KD_FASTPATH:
    if (priv && a <= 1)
      fastpath_enabled = a;
    tf->eax = fastpath_hits;
    break;
  case L4_KD_MDBDUMP: {
    struct tcb *t = tcb_lookup(a);
    if (t && b < L4_USER_TOP)
      mdb_dump(t->space, b);
    break;
  }
  case L4_KD_PROBE: {
    struct tcb *t = tcb_lookup(a);
    if (priv && t && b < L4_USER_TOP)
      tf->eax = mdb_probe(t->space, b & ~(PGSIZE - 1));
    break;
  }
  }
}

/* Build the exception message in t->kbuf and call the handler. */
static bool exception_ipc(struct tcb *t, struct trapframe *tf) {
  uint32_t *m = t->kbuf;
  m[0] = (L4_LABEL_EXCEPTION << 16) | L4_EXC_WORDS;
  m[L4_EXC_EIP] = tf->eip;
  m[L4_EXC_EFLAGS] = tf->eflags;
  m[L4_EXC_NUMBER] = tf->trapno;
  m[L4_EXC_ERROR] = tf->err;
  m[L4_EXC_EDI] = tf->edi;
  m[L4_EXC_ESI] = tf->esi;
  m[L4_EXC_EBP] = tf->ebp;
  m[L4_EXC_ESP] = tf->esp;
  m[L4_EXC_EBX] = tf->ebx;
  m[L4_EXC_EDX] = tf->edx;
  m[L4_EXC_ECX] = tf->ecx;
  m[L4_EXC_EAX] = tf->eax;
  return kernel_call(t, t->exc_handler);
}

/* A page fault goes to the pager (label 0xFFE0 | rwx, MR1 address, MR2 IP); any other exception,
 * a fault without a pager and int $0x80 go to the exception handler; without one the thread dies. */
static void user_exception(struct trapframe *tf) {
  struct tcb *t = cur;
  if (tf->trapno == 14) {
    uint32_t addr = rcr2();
    if (sigma0_identity(t->space, addr))
      return;
    if (addr < L4_USER_TOP && tcb_lookup(t->pager)) {
      uint32_t rwx = (tf->err & 2) ? 2 : (addr == tf->eip ? 1 : 4);
      t->kbuf[0] = ((L4_LABEL_PAGEFAULT | rwx) << 16) | 2;
      t->kbuf[1] = addr;
      t->kbuf[2] = tf->eip;
      if (ktrace)
        kprintf("trace: page fault %s (%x) addr %08x ip %08x -> pager %x, label %x\n", t->name, t->id, addr,
                tf->eip, t->pager, L4_LABEL_PAGEFAULT | rwx);
      if (kernel_call(t, t->pager) || t->kreply_err == L4_ERR_CANCELED)
        return;                          /* mapped, or halted meanwhile: retry the access */
    }
  }
  if (tcb_lookup(t->exc_handler)) {
    if (ktrace)
      kprintf("trace: exception %d %s (%x) ip %08x -> handler %x\n", tf->trapno, t->name, t->id, tf->eip,
              t->exc_handler);
    if (exception_ipc(t, tf) || t->kreply_err == L4_ERR_CANCELED)
      return;                            /* handled, or halted meanwhile: it will trap again */
    if (kernel_call_killed(t)) {
      thread_kill(t, "by its exception handler");
      return;
    }
  }
  thread_kill(t, NULL);
}

static void interrupt(int irq) {
  if (irq == 0) {
    ticks++;
    uint64_t us = ticks * kip->tick_us;
    kip->clock_lo = (uint32_t)us;
    kip->clock_hi = (uint32_t)(us >> 32);
    ipc_timeouts();
    sched_tick();
    pic_eoi(0);
    return;
  }
  if (irq == 7 || irq == 15) {           /* spurious? the ISR bit says */
    outb(irq == 7 ? 0x20 : 0xA0, 0x0B);
    if (!(inb(irq == 7 ? 0x20 : 0xA0) & 0x80)) {
      if (irq == 15)
        pic_eoi(2);
      return;
    }
  }
  irq_raise(irq);
  pic_eoi(irq);
}

void trap(struct trapframe *tf) {
  /* the IPC fast path first: nothing else may cost it a cycle */
  if (tf->trapno == L4_VEC_IPC && fastpath_ipc(tf)) {
    if (need_resched)
      schedule();
    return;
  }
  bool user = (tf->cs & 3) == 3;
  if (tf->trapno >= 32 && tf->trapno < 48) {
    interrupt(tf->trapno - 32);
  } else if (!user) {
    panic_trap(tf, tf->trapno == 14 ? "page fault" : "kernel exception");
  } else {
    switch (tf->trapno) {
    case L4_VEC_IPC:
      sys_ipc(tf);
      break;
    case L4_VEC_THREADSWITCH: sys_threadswitch(tf); break;
    case L4_VEC_EXREGS: sys_exregs(tf); break;
    case L4_VEC_THREADCTL: sys_threadctl(tf); break;
    case L4_VEC_UNMAP: sys_unmap(tf); break;
    case L4_VEC_SCHEDULE: sys_schedule(tf); break;
    case L4_VEC_IOCONTROL: sys_iocontrol(tf); break;
    case L4_VEC_KDEBUG: sys_kdebug(tf); break;
    case L4_VEC_CLOCK: {
      uint64_t us = ticks * kip->tick_us;
      tf->eax = (uint32_t)us;
      tf->edx = (uint32_t)(us >> 32);
      break;
    }
    default:
      user_exception(tf);
    }
  }
  if (user && need_resched)
    schedule();
}
