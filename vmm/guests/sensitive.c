/* sensitive.c: the IA-32 instructions that are sensitive but do not trap, each executed the way a
 * kernel would and compared with what it gives on bare metal in ring 0. On bare jx86 every line
 * says "ok"; in the VMM on the faithful CPU the ones the hypervisor cannot see say "differs"
 * (docs/vmm.md explains each); on the strict CPU they all trap, are emulated, and say "ok". */
#include "guest.h"
#include "libkern/uart16550.h"

#define FL_IF 0x200

static void check(const char *name, uint32_t got, uint32_t want) {
  if (got == want)
    gprintf("sensitive: %s: ok\n", name);
  else
    gprintf("sensitive: %s: differs (got %x, bare metal gives %x)\n", name, got, want);
}

static uint32_t iret_with_cs(bool from_register) {
  uint32_t f;
  __asm__ volatile("cli");
  if (from_register)
    __asm__ volatile("pushfl; orl $0x200, (%%esp); pushl %%cs; pushl $1f; iret; 1:" ::: "memory", "cc");
  else
    __asm__ volatile("pushfl; orl $0x200, (%%esp); pushl %0; pushl $1f; iret; 1:" : : "i"(KCODE) : "memory", "cc");
  f = geflags();
  __asm__ volatile("cli");
  return f & FL_IF;
}

int gmain(uint32_t magic, uint32_t mbi) {
  (void)magic;
  (void)mbi;
  gstart();
  gprintf("sensitive: ring-0 guest, cs %x\n", KCODE);

  __asm__ volatile("cli");
  check("pushf after cli: IF", geflags() & FL_IF, 0);
  __asm__ volatile("sti");
  check("pushf after sti: IF", geflags() & FL_IF, FL_IF);
  __asm__ volatile("cli");

  __asm__ volatile("pushfl; orl $0x200, (%%esp); popfl" ::: "memory", "cc");
  check("popf sets IF", geflags() & FL_IF, FL_IF);
  __asm__ volatile("cli");

  check("iret to ring 0 (frame cs $0x08) restores IF", iret_with_cs(false), FL_IF);
  check("iret to ring 0 (frame cs from %cs) restores IF", iret_with_cs(true), FL_IF);

  uint8_t d[6];
  __asm__ volatile("sgdt %0" : "=m"(d));
  check("sgdt base", d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[5] << 24, gdt_base_loaded);
  __asm__ volatile("sidt %0" : "=m"(d));
  check("sidt base", d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[5] << 24, idt_base_loaded);

  uint32_t v = 0;
  __asm__ volatile("xorl %0, %0; str %w0" : "=r"(v));
  check("str", v, TSSSEL);
  __asm__ volatile("movl $0x1234, %0; sldt %w0" : "=r"(v));
  check("sldt", v & 0xFFFF, 0);
  __asm__ volatile("smsw %0" : "=r"(v));
  check("smsw (low CR0 bits)", v & 0xFFFF, rcr0() & 0xFFFF);

  __asm__ volatile("xorl %0, %0; movw %%cs, %w0" : "=r"(v));
  check("mov from cs: RPL", v & 3, 0);
  __asm__ volatile("xorl %0, %0; pushl %%ss; popl %0" : "=r"(v));
  check("push ss: RPL", v & 3, 0);

  uint32_t z;
  __asm__ volatile("lar %2, %0; setz %b1" : "=r"(v), "=q"(z) : "r"((uint32_t)KCODE) : "cc");
  check("lar kernel cs: DPL", (z & 1) ? (v >> 13) & 3 : 99, 0);
  __asm__ volatile("lsl %2, %0; setz %b1" : "=r"(v), "=q"(z) : "r"((uint32_t)KDATA) : "cc");
  check("lsl kernel ds: limit", (z & 1) ? v : 99, 0xFFFFFFFF);
  __asm__ volatile("movl $0, %1; verr %w2; setz %b1" : "=r"(v), "=q"(z) : "r"((uint32_t)UCODE) : "cc");
  check("verr user cs", z & 1, 1);
  __asm__ volatile("movl $0, %1; verw %w2; setz %b1" : "=r"(v), "=q"(z) : "r"((uint32_t)KDATA) : "cc");
  check("verw kernel ds", z & 1, 1);

  gprintf("sensitive: done\n");
  return 0;
}
