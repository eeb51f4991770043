/* sched.c: several VMs time-sliced on the one CPU. Each VM has a hypervisor thread: its own
 * hypervisor stack in its per-VM window, on which its exits are handled. A world switch
 * (world_switch) saves this VM's real CR3 (its current shadow page directory) and stack
 * pointer, and continues the other VM's thread where it last switched out -- at the end of an
 * exit whose slice was used up, or in its HLT wait. The shadow page directory of each VM maps
 * the per-VM window to that VM's memory, so the CR3 load in swtch switches the virtual CPU,
 * the shadow bookkeeping, the real GDT/IDT/TSS and the stack all at once.
 *
 * The timer is the hypervisor's (the 8254 at HZ, IRQ 0): each tick raises virtual IRQ 0 in
 * every VM (a VM that is not running sees it when it next runs; ticks missed meanwhile are
 * merged into one, so a guest's clock runs slow while it shares the CPU) and counts towards
 * the running VM's slice of SLICE ticks. */
#include "vmm.h"

struct vmctl vms[NVM];
int nvms = 1, curvm;
static int slice_ticks;
static uint64_t switch_t0;
uint64_t switch_cycles, switch_count;  /* measured world switches: swtch, CR3 load included */

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t)hi << 32 | lo;
}

#define SLICE 2                       /* timer ticks per slice (10 ms each) */

extern void swtch(uint32_t *save_esp, uint32_t cr3, uint32_t esp);
extern _Noreturn void host_exit(uint32_t status);

bool vm_runnable(int v) {
  return vms[v].state == VM_RUNNING && (!vms[v].halted || vms[v].pending);
}

void vm_raise(int v, int irq) {
  if (v == curvm)
    vpic_raise(irq);
  else
    vms[v].pending |= 1 << irq;
}

void vm_fold_pending(void) {
  uint16_t p = vms[curvm].pending;
  vms[curvm].pending = 0;
  for (int i = 0; i < 16; i++)
    if (p & (1 << i))
      vpic_raise(i);
}

void world_switch(int next) {
  int me = curvm;
  if (next == me)
    return;
  vms[me].cr3 = shadow_pd_pa();
  curvm = next;
  vms[next].switches_in++;
  slice_ticks = 0;
  switch_t0 = rdtsc();
  fpu_switch(next);                    /* the x87 state is the VM's too (fpu.c) */
  swtch(&vms[me].esp, vms[next].cr3, vms[next].esp);
  /* this VM runs again (switch_t0 was set by the VM that switched to this one) */
  switch_cycles += rdtsc() - switch_t0;
  switch_count++;
  vm_fold_pending();
  snap_check_restore();                /* a restore asked for on the console: now, on this thread */
}

/* The next VM after the running one that can run, or -1. */
static int pick_other(void) {
  for (int i = 1; i < nvms; i++) {
    int v = (curvm + i) % nvms;
    if (vm_runnable(v))
      return v;
  }
  return -1;
}

/* The stall of issue #16 (docs/vmm.md, "The stall"): the guest kernel runs with the real IF equal
 * to its virtual IF, so while a guest kernel keeps its interrupts off, the hypervisor's tick
 * waits in the 8259 -- and the slice never ends. VM 0's kernel wrecked by memcorrupt n=65536
 * ran on with interrupts off (in the burst, exiting at every page it touched) and never enabled
 * them again: it kept the CPU for good and VM 1 never ran again. Now an exit after which the
 * guest kernel runs on with interrupts off takes a waiting tick in the hypervisor, so the slice
 * ends at the next exit whatever the guest's IF. (A guest that spins with interrupts off and
 * never exits is still not preempted: the jx86 PC has no NMI source to take the CPU back.)
 *
 * And a watchdog: a VM whose kernel is found with interrupts off at HANG_TICKS ticks of its own
 * in a row (one second of its CPU time) without a single port access meanwhile is hung, and is
 * stopped (or restarted) like a VM that failed. Port I/O resets it: the monolith's ATA driver
 * polls with interrupts off, and in a VM, where every port access is an exit, one transfer
 * keeps them off for longer than a second -- that is not a hang. */
#define HANG_TICKS 100
static int ifoff_ticks[NVM];          /* VM v's ticks in a row that found its kernel with IF off */
static uint64_t ifoff_io[NVM];        /* its port exits at the last such tick */
static int hung_vm = -1;              /* found hung at a tick; stopped at its next exit */

static uint64_t port_exits(void) {
  return vcpu.exits[EX_IN] + vcpu.exits[EX_OUT] + vcpu.exits[EX_INS] + vcpu.exits[EX_OUTS];
}

void sched_tick(void) {
  for (int v = 0; v < nvms; v++)
    if (vms[v].state == VM_RUNNING) {
      vm_raise(v, 0);
      vms[v].ticks++;
    }
  slice_ticks++;
  struct frame *f = vcpu.frame;
  int v = curvm;
  if (f && frame_cpl(f) != 3 && !vcpu.vif && vms[v].state == VM_RUNNING && !vms[v].halted &&
      port_exits() == ifoff_io[v]) {
    if (++ifoff_ticks[v] >= HANG_TICKS)
      hung_vm = v;
  } else {
    ifoff_ticks[v] = 0;
    ifoff_io[v] = port_exits();
  }
}

/* At the end of an exit after which the guest kernel runs on with interrupts off (real IF = 0):
 * if the hypervisor's tick is waiting in the 8259 (IRR bit 0), it is taken here, with every other
 * line masked for the moment (the devices' interrupts stay where they are, for their VM). */
void sched_exit_window(void) {
  struct frame *f = vcpu.frame;
  if (nvms < 2 || !f || frame_cpl(f) == 3 || vcpu.vif)
    return;
  outb(0x20, 0x0A);                           /* OCW3: the next read of port 0x20 is the IRR */
  if (inb(0x20) & 1) {
    uint8_t m0 = inb(0x21), m1 = inb(0xA1);
    outb(0x21, 0xFE);
    outb(0xA1, 0xFF);
    __asm__ volatile("sti; nop; cli" ::: "memory");
    outb(0xA1, m1);
    outb(0x21, m0);
  }
  if (hung_vm == curvm) {
    hung_vm = -1;
    ifoff_ticks[curvm] = 0;
    vm_kill("hang: interrupts off and no port I/O for 1 s of its CPU time");
  }
}

void sched_maybe_switch(void) {
  if (nvms < 2 || slice_ticks < SLICE)
    return;
  int o = pick_other();
  if (o >= 0)
    world_switch(o);
  else
    slice_ticks = 0;
}

/* HLT with the virtual IF set: run another VM, or wait on the real CPU, until one of this
 * VM's interrupts can be delivered. */
void vm_halt_wait(void) {
  vms[curvm].halted = true;
  for (;;) {
    vm_fold_pending();
    if (vms[curvm].state == VM_RUNNING && vpic_pending() >= 0)
      break;
    int o = pick_other();
    if (o >= 0)
      world_switch(o);
    else
      __asm__ volatile("sti; hlt; cli" ::: "memory");
  }
  vms[curvm].halted = false;
}

/* After the hypervisor console: the running VM may have been killed or paused there. */
void sched_after_console(void) {
  bool any = false;
  for (int v = 0; v < nvms; v++)
    any |= vms[v].state == VM_RUNNING || vms[v].state == VM_PAUSED;
  if (!any)
    host_exit(vms[curvm].status);
  if (vms[curvm].state == VM_STOPPED)
    vm_stop(vms[curvm].status);
  while (vms[curvm].state == VM_PAUSED) {
    int o = pick_other();
    if (o >= 0) {
      world_switch(o);
    } else if (inb(0x3FD) & 1) {
      if (inb(0x3F8) == 0x1D)        /* every VM paused or idle: the console is still reachable */
        hcon_run();
    } else {
      __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
  }
}

/* A checksum (FNV-1a) of VM v's kernel code in its guest-physical memory: memory the guest
 * does not change itself, so the hypervisor can show that another VM did not change it either.
 * Reached through the host direct map, from any VM's thread. */
uint32_t vm_text_sum(int v) {
  const uint8_t *p = P2V(vms[v].gbase + vms[v].text_lo);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < vms[v].text_hi - vms[v].text_lo; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

/* The running VM is off (powered off, killed). The others run on; when none is left the run
 * ends with this status. The VM's thread stays here for good. */
_Noreturn void vm_stop(int status) {
  snap_vm_off(curvm);                  /* its disk overlay is committed, its snapshot gone */
  if (status != 0 && vms[curvm].restart && nvms > 1) {
    vmm_printf("vm%d: restarting (policy restart)\n", curvm);
    vm_restart();
  }
  vms[curvm].state = VM_STOPPED;
  vms[curvm].status = status;
  bool any = false;
  for (int v = 0; v < nvms; v++)
    any |= vms[v].state == VM_RUNNING || vms[v].state == VM_PAUSED;
  if (!any)
    host_exit(status);
  for (int v = 0; v < nvms; v++)
    if (vms[v].state == VM_RUNNING || vms[v].state == VM_PAUSED)
      vmm_printf("vmm: VM %d runs on; its kernel code checksum %x\n", v, vm_text_sum(v));
  for (;;) {
    int o = pick_other();
    if (o >= 0)
      world_switch(o);
    else
      __asm__ volatile("sti; hlt; cli" ::: "memory");
  }
}
