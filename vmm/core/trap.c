/* trap.c: every entry into the hypervisor (an "exit" from the VM) comes through vmm_trap: real
 * interrupts, page faults (shadow paging), #GP/#NP from privileged instructions (emulate.c), and
 * the guest's own exceptions and system calls, which are reflected into the guest kernel
 * through its virtual IDT exactly as the CPU would have delivered them on bare metal. */
#include "vmm.h"

static bool has_errcode(int v) {
  return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/* Delivers vector to the guest: reads the guest's gate, switches to the guest kernel stack of
 * its TSS when the guest was in user mode, pushes the frame the CPU would push (with the
 * guest's view of EFLAGS.IF and CS), and points the frame at the guest's handler in ring 1. */
void reflect(struct frame *f, int vector, bool has_err, uint32_t err) {
  uint32_t g[2];
  if ((uint32_t)vector * 8 + 7 > vcpu.idt_limit || !gread(vcpu.idt_base + vector * 8, g, 8) ||
      !(g[1] & 0x8000))
    vm_kill("triple fault: no usable gate in the guest IDT");
  uint32_t type = (g[1] >> 8) & 0x1F;
  if (type != 0xE && type != 0xF)
    vm_kill("guest IDT gate is not a 32-bit interrupt or trap gate (unsupported)");
  uint16_t sel = g[0] >> 16;
  uint32_t handler = (g[0] & 0xFFFF) | (g[1] & 0xFFFF0000);
  bool user = frame_cpl(f) == 3;
  uint32_t veflags = f->eflags & ~(FL_IF | FL_IOPL);
  if (user ? (f->eflags & FL_IF) : vcpu.vif)
    veflags |= FL_IF;
  uint32_t words[6], n = 0;
  uint32_t esp, ss;
  if (user) {
    uint32_t ts[2];                            /* the guest TSS's esp0, ss0 */
    if (!gread(vcpu.tr_base + 4, ts, 8))
      vm_kill("guest TSS not mapped");
    esp = ts[0];
    ss = (ts[1] & ~3) | 1;
    words[n++] = f->ss;
    words[n++] = f->esp;
  } else {
    esp = f->esp;
    ss = f->ss;
  }
  words[n++] = veflags;
  words[n++] = user ? f->cs : (f->cs & ~3);   /* the guest kernel believes it runs in ring 0 */
  words[n++] = f->eip;
  if (has_err)
    words[n++] = err;
  /* pushed in the CPU's order: the first word at the highest address */
  uint32_t mem[6];
  for (uint32_t i = 0; i < n; i++)
    mem[n - 1 - i] = words[i];
  esp -= 4 * n;
  if (!gwrite(esp, mem, 4 * n))
    vm_kill("guest kernel stack not mapped during interrupt delivery");
  if (!cpu_sel_ok((sel & ~3) | 1, true, 1) || !cpu_sel_ok(ss, false, 1))
    vm_kill("guest gate or kernel stack segment is not a usable ring-0 segment");
  f->esp = esp;
  f->ss = ss;
  f->cs = (sel & ~3) | 1;
  f->eip = handler;
  f->eflags &= ~(FL_TF | FL_NT | FL_RF | FL_VM);
  if (type == 0xE)
    vcpu.vif = false;
}

/* IRET in the guest kernel traps in two ways: to a guest-kernel frame (CS RPL 0 < CPL 1: #GP)
 * and to user mode (the user code descriptor is not present while the guest kernel runs: #NP).
 * Both come here, so the hypervisor always sees the guest's IF change hands. */
void guest_iret(struct frame *f) {
  uint32_t w[5];
  if (!gread(f->esp, w, 12))
    vm_kill("IRET: guest stack not mapped");
  uint16_t cs = w[1];
  count(EX_IRET);
  if ((cs & 3) == 3 && frame_cpl(f) == 3) {        /* user to user: a strict CPU traps it */
    if (!cpu_sel_ok(cs, true, 3)) {
      count(EX_REFLECT_EXC);
      reflect(f, 13, true, cs & ~3);
      return;
    }
    f->esp += 12;
    f->cs = cs;
    f->eip = w[0];
    f->eflags = (f->eflags & (FL_IOPL | FL_IF | FL_VM)) | (w[2] & ~(FL_IOPL | FL_IF | FL_VM | FL_NT)) | 2;
    return;
  }
  if ((cs & 3) == 3) {
    if (!gread(f->esp + 12, &w[3], 8))
      vm_kill("IRET: guest stack not mapped");
    cpu_set_user_cs(true);                     /* fixup() hides it again if we stay in the kernel */
    if (!cpu_sel_ok(cs, true, 3) || !cpu_sel_ok(w[4], false, 3)) {
      count(EX_REFLECT_EXC);
      reflect(f, 13, true, cs & ~3);
      return;
    }
    count(EX_RET_USER);
    f->esp = w[3];
    f->ss = w[4] & 0xFFFF;
    f->cs = cs;
    f->eip = w[0];
    f->eflags = (w[2] & ~(FL_IOPL | FL_VM | FL_NT)) | FL_IF | 2;
    vcpu.vif = w[2] & FL_IF;
    uint32_t sels[4] = { f->ds, f->es, f->fs, f->gs };
    cpu_refresh_data_segs(sels, 4);
    /* data segments the user may not use are nulled, as the CPU does on a return outwards */
    uint32_t *segs[4] = { &f->ds, &f->es, &f->fs, &f->gs };
    for (int i = 0; i < 4; i++)
      if (!cpu_sel_ok(*segs[i], false, 3))
        *segs[i] = 0;
    return;
  }
  if (!cpu_sel_ok((cs & ~3) | 1, true, 1)) {
    count(EX_REFLECT_EXC);
    reflect(f, 13, true, cs & ~3);
    return;
  }
  f->esp += 12;
  f->cs = (cs & ~3) | 1;
  f->eip = w[0];
  f->eflags = (w[2] & ~(FL_IOPL | FL_VM | FL_NT)) | 2;
  vcpu.vif = w[2] & FL_IF;
}

/* A pending virtual interrupt goes in when the guest's IF allows it (always in user mode). */
static void deliver(struct frame *f) {
  if (f->eflags & FL_VM)
    return v86_deliver(f);
  if (frame_cpl(f) != 3 && !vcpu.vif)
    return;
  int vec = vpic_pending();
  if (vec < 0)
    return;
  vpic_ack(vec);
  count(EX_INJECT_IRQ);
  reflect(f, vec, false, 0);
}

/* The real EFLAGS the guest runs with: IOPL 0 (so CLI/STI/IN/OUT trap), and IF = the guest's
 * virtual IF in its kernel (so PUSHF there reads what the guest set) and 1 in user mode. */
static void fixup(struct frame *f) {
  if (f->eflags & FL_VM)
    return v86_fixup(f);
  bool user = frame_cpl(f) == 3;
  if (vcpu.gdt_changed) {
    /* the guest's new GDT may no longer hold the selectors it has loaded; the CPU would keep
     * their cached descriptors, the hypervisor's IRET reloads them: null the data segments it
     * could not load, and end the VM if its CS or SS is gone (never fault in the hypervisor) */
    vcpu.gdt_changed = false;
    uint32_t *segs[4] = { &f->ds, &f->es, &f->fs, &f->gs };
    for (int i = 0; i < 4; i++)
      if (!cpu_data_ok(*segs[i], frame_cpl(f)))
        *segs[i] = 0;
    if (!cpu_sel_ok(f->cs, true, frame_cpl(f)) || !cpu_sel_ok(f->ss, false, frame_cpl(f)))
      vm_kill("the guest's new GDT no longer holds its current CS or SS");
  }
  f->eflags &= ~FL_IOPL;
  if (user || vcpu.vif)
    f->eflags |= FL_IF;
  else
    f->eflags &= ~FL_IF;
  cpu_set_user_cs(user);
}

/* A restored VM enters with its saved frame as at the end of an exit (snapshot.c). */
void trap_resume(struct frame *f) {
  deliver(f);
  fixup(f);
  fpu_sync();
}

void vmm_trap(struct frame *f) {
  int v = f->vector;
  if (frame_cpl(f) != 0)
    vcpu.frame = f;
  if (v >= IRQ_BASE && v < IRQ_BASE + 16) {
    count(EX_IRQ);
    real_irq(v - IRQ_BASE);
    if (frame_cpl(f) == 0)                     /* the hypervisor's own HLT wait */
      return;
  } else if (frame_cpl(f) == 0) {
    vmm_panic("exception %d (err %x) in the hypervisor at eip %x, cr2 %x", v, f->err, f->eip, rcr2());
  } else if (f->eflags & FL_VM) {
    v86_trap(f);                               /* real-mode code of a VM booted from disk */
  } else if (v == 14) {
    uint32_t va = rcr2();
    if (!shadow_fault(f, va)) {
      extern uint32_t shadow_true_err;
      vcpu.cr2 = va;
      shadow_drop(va);
      reflect(f, 14, true, shadow_true_err);
    }
  } else if ((v == 13 || v == 11) && emulate_gp(f)) {
    /* emulated */
  } else {
    count(v == 0x80 ? EX_SYSCALL : EX_REFLECT_EXC);
    reflect(f, v, has_errcode(v), f->err);
  }
  sched_exit_window();                         /* the tick, even if the guest keeps IF off */
  sched_maybe_switch();                        /* the slice is used up: another VM runs first */
  deliver(f);
  fixup(f);
  fpu_sync();                                  /* the guest may have changed CR0.TS/EM/MP/NE */
}
