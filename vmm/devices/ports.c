/* ports.c: the VM's I/O ports. The PIC pair is emulated (vpic.c); the other devices of this one
 * VM are the host's own, reached through the hypervisor port by port: COM1 (the VM's console is
 * the host console), the primary ATA channel (the VM's disk is the host's hda), the 8254, CMOS,
 * the VGA CRT controller, port 0xE9 and the jx86 performance counters (which then count the
 * hypervisor's work too: what a benchmark in the VM should see). The exit port ends the VM (and, with one VM, the run)
 * with the guest's status. Every other port reads as all ones and ignores writes. */
#include "vmm.h"

static uint32_t com1_lcr;                /* the guest's LCR: DLAB decides what port 0x3F8 is */

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

void port_io(struct frame *f, uint16_t port, int size, bool out, uint32_t *val) {
  (void)f;
  vcpu.ports[port]++;
  if (port == 0x20 || port == 0x21 || port == 0xA0 || port == 0xA1) {
    vpic_io(port, out, val);
  } else if (port == 0xF4 && out) {
    uint32_t status = size == 1 ? (*val & 0xFF) : size == 2 ? (*val & 0xFFFF) : *val;
    vmm_printf("vmm: VM 0 powered off (status %d)\n", status);
    if (opt_stats)
      stats_print();
    port_out(0xF4, size, status);
    for (;;)
      __asm__ volatile("cli; hlt");
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
