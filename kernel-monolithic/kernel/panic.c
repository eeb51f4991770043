/* panic.c: fatal kernel errors: print the reason, the registers and an EBP-chain backtrace, then halt. */
#include "defs.h"
#include "module.h"
#include "x86.h"

extern char etext[];

/* Walks the saved-EBP chain: each frame holds [ebp] = caller's ebp, [ebp+4] = return address.
 * entry.S starts the chain with ebp = 0; the kernel is built with -fno-omit-frame-pointer. */
void backtrace(uint32_t ebp) {
  printk("backtrace (addr2line -e kernel.elf):\n");
  for (int depth = 0; depth < 16; depth++) {
    if (ebp < KERNBASE || (ebp & 3))
      break;
    uint32_t *frame = (uint32_t *)ebp;
    uint32_t ret = frame[1], off;
    const char *mod = module_at(ret, &off);
    if (mod)
      printk("  %p [%s+0x%x]\n", (void *)ret, mod, off);
    else if (ret >= KERNLINK && ret < (uint32_t)etext)
      printk("  %p\n", (void *)ret);
    else
      break;
    ebp = frame[0];
  }
}

static void halt(void) __attribute__((noreturn));
static void halt(void) {
  /* "panic=exit" on the command line ends scripted runs at once, with a failure status */
  if (cmdline_has("panic=exit"))
    poweroff(1);
  for (;;) {
    cli();
    hlt();
  }
}

void panic(const char *fmt, ...) {
  cli();
  va_list ap;
  va_start(ap, fmt);
  printk("\npanic: ");
  vprintk(fmt, ap);
  va_end(ap);
  printk("\n  esp %08x ebp %08x eflags %08x\n", resp(), rebp(), readeflags());
  printk("  cr0 %08x cr2 %08x cr3 %08x cr4 %08x\n", rcr0(), rcr2(), rcr3(), rcr4());
  backtrace(rebp());
  halt();
}

/* A CPU exception in kernel mode: the trap frame holds the registers at the faulting instruction. */
void panic_trap(struct trapframe *tf, const char *reason) {
  cli();
  printk("\npanic: %s (trap %d, err %x) at eip %08x\n", reason, tf->trapno, tf->err, tf->eip);
  printk("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
  printk("  esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp, (uint32_t)&tf->esp);
  printk("  cs %04x ds %04x es %04x eflags %08x\n", tf->cs, tf->ds, tf->es, tf->eflags);
  printk("  cr0 %08x cr2 %08x cr3 %08x cr4 %08x\n", rcr0(), rcr2(), rcr3(), rcr4());
  uint32_t off;
  const char *mod = module_at(tf->eip, &off);
  if (mod)
    printk("  %p [%s+0x%x] <- faulting instruction, in module %s\n", (void *)tf->eip, mod, off, mod);
  else
    printk("  %p <- faulting instruction\n", (void *)tf->eip);
  backtrace(tf->ebp);
  halt();
}

EXPORT_SYMBOL(panic);
