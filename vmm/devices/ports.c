/* ports.c: the VM's I/O ports. The PIC pair is emulated (vpic.c); the other devices of this one
 * VM are the host's own, reached through the hypervisor port by port: COM1 (the VM's console is
 * the host console), the primary ATA channel (the VM's disk is the host's hda), the 8254, CMOS,
 * the VGA CRT controller, port 0xE9 and the jx86 performance counters (which then count the
 * hypervisor's work too: what a benchmark in the VM should see). The exit port ends the VM (and, with one VM, the run)
 * with the guest's status. Every other port reads as all ones and ignores writes. */
#include "vmm.h"

static uint32_t com1_lcr PERVM;               /* the guest's LCR: DLAB decides what port 0x3F8 is */

static bool passthrough(uint16_t p) {
  return (p >= 0x40 && p <= 0x43) || p == 0x61 ||       /* 8254 PIT, speaker gate */
         (p >= 0x3F8 && p <= 0x3FF) ||                   /* COM1 */
         (p >= 0x1F0 && p <= 0x1F7) || p == 0x3F6 ||     /* ATA primary */
         p == 0x70 || p == 0x71 ||                       /* CMOS/RTC */
         (p >= 0x3C0 && p <= 0x3DF) ||                   /* VGA */
         p == 0xE9 || p == 0x60 || p == 0x64 ||          /* debug console, 8042 */
         (p >= 0x5A0 && p <= 0x5AF);                     /* jx86 performance counters (host's) */
}

static uint32_t port_in(uint16_t port, int size) {
  return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void port_out(uint16_t port, int size, uint32_t v) {
  if (size == 1)
    outb(port, v);
  else if (size == 2)
    outw(port, v);
  else
    outl(port, v);
}

static uint8_t com1_ier PERVM, com1_mcr PERVM;   /* the guest's IER and MCR, for a console move */
static uint8_t cmos_index PERVM;
static int rx_held PERVM;                /* a byte the hypervisor took from RBR for the VM, + 1 */

/* With two VMs each has its own devices: its console is its COM1 (VM 0: the host's COM1,
 * VM 1: the host's COM2, so each reaches the host separately), its disk a virtual ATA channel
 * (vata.c), its timer the hypervisor's (the 8254's programming is ignored). VM 0 keeps the
 * screen, the keyboard and the CMOS clock; VM 1 may read the clock. The debug console and
 * the performance counters are both VMs'. Anything else reads all ones. */
static void vm_port(uint16_t port, int size, bool out, uint32_t *val) {
  int id = vcpu.id;
  if (port >= 0x3F8 && port <= 0x3FF) {
    uint16_t host = (id == front ? 0x3F8 : 0x2F8) + (port - 0x3F8);
    bool dlab = com1_lcr & 0x80;
    if (!out && port == 0x3F8 && !dlab && rx_held) {
      *val = rx_held - 1;                /* the byte taken at the LSR read */
      rx_held = 0;
      return;
    }
    if (out)
      port_out(host, size, *val);
    else
      *val = port_in(host, size);
    /* The front VM's LSR read with data ready: the hypervisor takes the byte first, so that
     * Control-] opens the hypervisor console without reaching the VM; any other byte is held
     * for the VM's RBR read. */
    if (!out && port == 0x3FD && id == front && !rx_held && (*val & 1)) {
      uint8_t c = inb(host - 5);
      if (c == 0x1D)
        hcon_run();
      else
        rx_held = c + 1;
      *val = (inb(0x3FD) & ~1) | (rx_held ? 1 : 0);
      return;
    }
    if (!out && port == 0x3FD && rx_held)
      *val |= 1;
    if (port == 0x3FB && out)
      com1_lcr = *val;
    if (port == 0x3F9 && out && !dlab)
      com1_ier = *val;
    if (port == 0x3FC && out)
      com1_mcr = *val;
    /* Control-] on the host's COM1 opens the hypervisor console (the byte still reaches the VM) */
    if (id == front && port == 0x3F8 && !out && !(com1_lcr & 0x80) && (*val & 0xFF) == 0x1D)
      hcon_run();
  } else if ((port >= 0x1F0 && port <= 0x1F7) || port == 0x3F6) {
    vata_io(port, size, out, val);
  } else if ((port >= 0x40 && port <= 0x43) || port == 0x61) {
    if (!out)
      *val = port == 0x61 ? inb(0x61) : 0;
  } else if (port == 0x70 || port == 0x71) {
    /* the index register is the VM's: set the host's right before each data access */
    if (port == 0x70 && out) {
      cmos_index = *val;
    } else if (port == 0x71) {
      outb(0x70, cmos_index);
      if (!out)
        *val = inb(0x71);
      else if (id == 0)
        outb(0x71, *val);
    } else {
      *val = cmos_index;
    }
  } else if (port == 0xE9 || (port >= 0x5A0 && port <= 0x5AF) ||
             (id == 0 && ((port >= 0x3C0 && port <= 0x3DF) || port == 0x60 || port == 0x64))) {
    if (out)
      port_out(port, size, *val);
    else
      *val = port_in(port, size);
  } else if (!out) {
    *val = 0xFFFFFFFF;
  }
}

/* The consoles changed host ports (the hypervisor console's "f N"): each VM's UART set-up (line
 * control, interrupt enables, MCR with OUT2, the interrupt gate) goes to the host UART it now
 * owns, which may never have been programmed by it. OUT2 is set last, after a moment off: a
 * UART's interrupt output is a level and the 8259 latches edges, so input typed ahead while the
 * console moved (the line already high) interrupts the VM that now owns the port. */
void ports_console_moved(void) {
  for (int v = 0; v < nvms; v++) {
    uint16_t host = v == front ? 0x3F8 : 0x2F8;
    uint8_t lcr = *(uint8_t *)WINVA(v, &com1_lcr), ier = *(uint8_t *)WINVA(v, &com1_ier);
    uint8_t mcr = *(uint8_t *)WINVA(v, &com1_mcr);
    outb(host + 4, mcr & ~8);
    outb(host + 3, lcr & 0x7F);
    outb(host + 1, ier);
    outb(host + 3, lcr);
    outb(host + 4, mcr);
  }
}

/* A trapped IN or OUT (not INS/OUTS, in protected or v86 mode): size bytes between the
 * accumulator (AL, AX or EAX) and port; IN replaces only those bytes. Counted as an in/out exit. */
void port_io_acc(struct frame *f, uint16_t port, int size, bool out) {
  count(out ? EX_OUT : EX_IN);
  uint32_t v = f->eax;
  port_io(f, port, size, out, &v);
  if (!out) {
    uint32_t mask = size == 4 ? 0xFFFFFFFF : (1u << (8 * size)) - 1;
    f->eax = (f->eax & ~mask) | (v & mask);
  }
}

void port_io(struct frame *f, uint16_t port, int size, bool out, uint32_t *val) {
  (void)f;
  vcpu.ports[port]++;
  if (port == 0x20 || port == 0x21 || port == 0xA0 || port == 0xA1) {
    vpic_io(port, out, val);
  } else if (port == 0xF4 && out) {
    uint32_t status = size == 1 ? (*val & 0xFF) : size == 2 ? (*val & 0xFFFF) : *val;
    vmm_printf("vmm: VM %d powered off (status %d)\n", vcpu.id, status);
    if (status != 0 && nvms > 1)
      vm_report("powered off with a failure status (a panic with panic=exit)");
    if (opt_stats)
      stats_print();
    vm_stop(status);
  } else if (nvms > 1) {
    vm_port(port, size, out, val);
  } else if (passthrough(port)) {
    if (out)
      port_out(port, size, *val);
    else
      *val = port_in(port, size);
    if (port == 0x3FB && out)
      com1_lcr = *val;
    /* Control-] typed on the console asks for the exit table (the byte still reaches the guest) */
    if (port == 0x3F8 && !out && !(com1_lcr & 0x80) && (*val & 0xFF) == 0x1D)
      stats_print();
  } else if (!out) {
    *val = 0xFFFFFFFF;
  }
}
