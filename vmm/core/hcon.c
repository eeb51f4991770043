/* hcon.c: the hypervisor console. With two VMs, Control-] read by the VM whose console is on
 * the host's COM1 (the front VM) opens it: every VM stands still while the operator types
 * one-line commands on COM1 (polled by the hypervisor), and "c" (or another Control-]) lets
 * them run on. Commands:
 *   l        list the VMs: state, world switches, timer ticks, exits, kernel code checksum
 *   s N      VM N's exit statistics
 *   p N      pause VM N        r N   resume VM N
 *   k N      kill VM N (it stops; the run ends when no VM is left)
 *   f N      VM N's console to the host's COM1 (the other VM's to COM2)
 *   snapshot N (or savevm N)   save VM N's whole state (snapshot.c; needs "snap=M")
 *   restore N  (or loadvm N)   VM N goes back to its snapshot (before it next runs)
 *   delvm N  delete VM N's snapshot (its disk overlay is written to its disk)
 *   c        continue
 * While the console waits for a key the CPU halts between timer ticks (a host that idles can
 * tell, as jx86's paced input does, that the console waits for input). */
#include "vmm.h"

int front;

static const char *const state_names[] = { "off", "running", "paused", "stopped" };

static int getc_host(void) {
  while (!(inb(0x3FD) & 1))
    __asm__ volatile("sti; hlt; cli" ::: "memory");
  return inb(0x3F8);
}

/* One line from the host's COM1, echoed; Control-] alone ends the console too. */
static int readline(char *buf, int max) {
  int n = 0;
  for (;;) {
    int c = getc_host();
    if (c == 0x1D)
      return -1;
    if (c == '\r' || c == '\n') {
      vmm_printf("\n");
      buf[n] = 0;
      return n;
    }
    if ((c == 8 || c == 0x7F) && n > 0) {
      n--;
      vmm_printf("\b \b");
    } else if (c >= ' ' && n < max - 1) {
      buf[n++] = c;
      vmm_printf("%c", c);
    }
  }
}

static uint64_t total_exits(int v) {
  const struct vcpu *vc = WINVA(v, &vcpu);
  uint64_t t = 0;
  for (int i = 0; i < EX_COUNT; i++)
    t += vc->exits[i];
  return t;
}

static void list(void) {
  for (int v = 0; v < nvms; v++)
    vmm_printf("vmm: VM %d %s%s%s switches %u ticks %u exits %u code %x\n", v, state_names[vms[v].state],
               vms[v].halted ? " (idle)" : "", v == front ? " front" : "", (uint32_t)vms[v].switches_in,
               (uint32_t)vms[v].ticks, (uint32_t)total_exits(v), vm_text_sum(v));
  for (int v = 0; v < nvms; v++)
    snap_list(v);
}

void hcon_run(void) {
  char line[64];
  vmm_printf("\nvmm: hypervisor console (l, s N, p N, r N, k N, f N, c)\n");
  snap_help();
  for (;;) {
    vmm_printf("vmm> ");
    if (readline(line, sizeof line) < 0)
      break;
    char cmd = line[0];
    int v = (line[1] == ' ' && line[2] >= '0' && line[2] < '0' + nvms) ? line[2] - '0' : -1;
    if (cmd == 'c' || cmd == 'q')
      break;
    if (snap_command(line)) {
      /* snapshot.c */
    } else if (cmd == 'l') {
      list();
    } else if (v < 0 && cmd) {
      vmm_printf("vmm: which VM? (0..%d)\n", nvms - 1);
    } else if (cmd == 's') {
      stats_print_vm(v);
    } else if (cmd == 'p' && vms[v].state == VM_RUNNING) {
      vms[v].state = VM_PAUSED;
      vmm_printf("vmm: VM %d paused\n", v);
    } else if (cmd == 'r' && vms[v].state == VM_PAUSED) {
      vms[v].state = VM_RUNNING;
      vmm_printf("vmm: VM %d resumed\n", v);
    } else if (cmd == 'k' && (vms[v].state == VM_RUNNING || vms[v].state == VM_PAUSED)) {
      vmm_printf("vmm: VM %d killed from the console\n", v);
      vms[v].state = VM_STOPPED;
      vms[v].status = 137;
      snap_vm_off(v);
    } else if (cmd == 'f') {
      front = v;
      vpic_reroute();
      vmm_printf("vmm: VM %d's console is on COM1 now\n", v);
    } else if (cmd) {
      vmm_printf("vmm: cannot '%s' now\n", line);
    }
  }
  vmm_printf("vmm: console closed\n");
  snap_check_restore();               /* the VM that ran the console may be going back */
  sched_after_console();
}
