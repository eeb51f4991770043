/* console.c: kernel output on COM1 (polled, libkern's 16550 code), panic and power-off.
 * User programs print through the KDebug system call until the console server of the next
 * issue exists. */
#include <stdarg.h>
#include "kernel.h"
#include "libkern/format.h"
#include "libkern/uart16550.h"

#define EXIT_PORT 0xF4

extern char etext[];

void console_init(void) { uart16550_setup(UART_COM1); }

static void put(void *ctx, char c) {
  (void)ctx;
  if (c == '\n')
    uart16550_putc(UART_COM1, '\r');
  uart16550_putc(UART_COM1, c);
}

static void vkprintf(const char *fmt, va_list ap) { kformat(put, NULL, fmt, ap); }

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vkprintf(fmt, ap);
  va_end(ap);
}

void kputs_user(const char *s, int n) {
  for (int i = 0; i < n; i++)
    put(NULL, s[i]);
}

void poweroff(int status) {
  outl(EXIT_PORT, (uint32_t)status);
  for (;;) {
    cli();
    __asm__ volatile("hlt");
  }
}

/* The saved-EBP chain: [ebp] = caller's ebp, [ebp+4] = return address (entry.S ends it with 0). */
static void backtrace(uint32_t ebp) {
  kprintf("backtrace (addr2line -e kernel.elf):\n");
  for (int depth = 0; depth < 16 && ebp >= KERNBASE && !(ebp & 3); depth++) {
    uint32_t *frame = (uint32_t *)ebp;
    if (frame[1] < KERNBASE || frame[1] >= (uint32_t)etext)
      break;
    kprintf("  %p\n", (void *)frame[1]);
    ebp = frame[0];
  }
}

/* Same line family as kernel-monolithic's panic: "panic: reason", registers, backtrace; then the
 * machine stops with exit value 1 (the crash demo and the tests read that). */
void panic(const char *fmt, ...) {
  cli();
  va_list ap;
  va_start(ap, fmt);
  kprintf("\npanic: ");
  vkprintf(fmt, ap);
  va_end(ap);
  kprintf("\n  thread %s (%x) ebp %08x eflags %08x\n", cur ? cur->name : "-", cur ? cur->id : 0, rebp(),
          readeflags());
  kprintf("  cr0 %08x cr2 %08x cr3 %08x cr4 %08x\n", rcr0(), rcr2(), rcr3(), rcr4());
  backtrace(rebp());
  poweroff(1);
}

void panic_trap(struct trapframe *tf, const char *reason) {
  cli();
  kprintf("\npanic: %s (trap %d, err %x) at eip %08x\n", reason, tf->trapno, tf->err, tf->eip);
  kprintf("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
  kprintf("  esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp, (uint32_t)&tf->esp);
  kprintf("  cs %04x ds %04x es %04x eflags %08x\n", tf->cs & 0xFFFF, tf->ds & 0xFFFF, tf->es & 0xFFFF,
          tf->eflags);
  kprintf("  cr0 %08x cr2 %08x cr3 %08x cr4 %08x\n", rcr0(), rcr2(), rcr3(), rcr4());
  kprintf("  thread %s (%x)\n", cur ? cur->name : "-", cur ? cur->id : 0);
  kprintf("  %p <- faulting instruction\n", (void *)tf->eip);
  backtrace(tf->ebp);
  poweroff(1);
}
