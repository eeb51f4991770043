/* hostile.c: a guest kernel that hands the hypervisor bad selectors and tables. Each abuse must
 * end as it would on bare metal (a fault for the guest) or, where the VMM cannot follow the
 * hardware, with the VM killed and a message; never with the hypervisor faulting. */
#include "guest.h"
#include "libkern/uart16550.h"

extern volatile uint32_t probe_recover;

/* iret to an IRET frame whose CS is sel (not in the GDT): #GP(sel) */
static void bad_iret(uint32_t sel) {
  last_vector = -1;
  __asm__ volatile("movl $1f, probe_recover\n\t"
                   "pushfl\n\tpushl %0\n\tpushl $1f\n\tiret\n1:"
                   : : "r"(sel) : "memory", "cc");
}

static void bad_ss(uint32_t sel) {
  last_vector = -1;
  __asm__ volatile("movl $1f, probe_recover\n\tmovw %w0, %%ss\n1:" : : "r"(sel) : "memory");
}

int gmain(uint32_t magic, uint32_t mbi) {
  (void)magic;
  (void)mbi;
  gstart();
  bad_iret(0x38);
  gprintf("hostile: iret to cs 0x38: fault %d err %x\n", last_vector, last_err);
  bad_iret(0x18 | 3 | 0x400);
  gprintf("hostile: iret to cs 0x41b: fault %d err %x\n", last_vector, last_err);
  bad_ss(0x40);
  gprintf("hostile: mov 0x40 to ss: fault %d err %x\n", last_vector, last_err);
  bad_ss(0x18);
  gprintf("hostile: mov code segment to ss: fault %d err %x\n", last_vector, last_err);
  gprintf("hostile: port 0x1234 reads %x\n", inb(0x1234));
  /* a GDT with nothing but the null descriptor: the CPU keeps the cached CS and SS */
  static uint64_t tiny[1];
  volatile uint16_t pd[3] = { sizeof tiny - 1, (uint32_t)tiny, (uint32_t)tiny >> 16 };
  gprintf("hostile: loading a GDT without my segments\n");
  __asm__ volatile("lgdt (%0)" : : "r"(pd) : "memory");
  gprintf("hostile: still running on cached segments\n");
  return 0;
}
