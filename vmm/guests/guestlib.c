/* guestlib.c: console, power-off, descriptor tables and the fault handler of the test guests. */
#include <stdarg.h>
#include "guest.h"
#include "libkern/format.h"
#include "libkern/uart16550.h"

uint32_t gdt_base_loaded, idt_base_loaded;
volatile int last_vector = -1;
volatile uint32_t last_err, last_cr2;
volatile uint32_t probe_recover;

static uint64_t gdt[6];
static uint64_t idt[32];
static struct { uint32_t link, esp0, ss0, rest[22]; uint16_t t, iomb; } tss;
extern uint32_t gvectors[];

static void put(void *ctx, char c) {
  (void)ctx;
  if (c == '\n')
    uart16550_putc(UART_COM1, '\r');
  uart16550_putc(UART_COM1, c);
}

void gprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kformat(put, 0, fmt, ap);
  va_end(ap);
}

_Noreturn void gexit(int status) {
  outl(0xF4, status);
  for (;;)
    __asm__ volatile("cli; hlt");
}

static uint64_t seg(uint32_t base, uint32_t limit, int type, int dpl, int s, int g) {
  uint32_t lo = (limit & 0xFFFF) | (base << 16);
  uint32_t hi = ((base >> 16) & 0xFF) | (type << 8) | (s << 12) | (dpl << 13) | (1 << 15) |
                (limit & 0xF0000) | ((s ? 1 : 0) << 22) | (g << 23) | (base & 0xFF000000);
  return ((uint64_t)hi << 32) | lo;
}

/* Every test guest starts alike: COM1 for its lines, both PICs masked (no interrupts wanted), then
 * gsetup(). */
void gstart(void) {
  uart16550_setup(UART_COM1);
  outb(0x21, 0xFF);
  outb(0xA1, 0xFF);
  gsetup();
}

void gsetup(void) {
  gdt[1] = seg(0, 0xFFFFF, 0xA, 0, 1, 1);
  gdt[2] = seg(0, 0xFFFFF, 0x2, 0, 1, 1);
  gdt[3] = seg(0, 0xFFFFF, 0xA, 3, 1, 1);
  gdt[4] = seg(0, 0xFFFFF, 0x2, 3, 1, 1);
  tss.ss0 = KDATA;
  tss.iomb = sizeof tss;
  gdt[5] = seg((uint32_t)&tss, sizeof tss - 1, 0x9, 0, 0, 0);
  volatile uint16_t pd[3] = { sizeof gdt - 1, (uint32_t)gdt, (uint32_t)gdt >> 16 };
  __asm__ volatile("lgdt (%0)" : : "r"(pd) : "memory");
  __asm__ volatile("movw %0, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
                   "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tljmp %1, $1f\n1:"
                   : : "i"(KDATA), "i"(KCODE) : "eax", "memory");
  __asm__ volatile("ltr %0" : : "r"((uint16_t)TSSSEL));
  for (int v = 0; v < 32; v++) {
    uint32_t off = gvectors[v];
    idt[v] = ((uint64_t)((off & 0xFFFF0000) | 0x8E00) << 32) | (KCODE << 16) | (off & 0xFFFF);
  }
  volatile uint16_t ipd[3] = { sizeof idt - 1, (uint32_t)idt, (uint32_t)idt >> 16 };
  __asm__ volatile("lidt (%0)" : : "r"(ipd) : "memory");
  gdt_base_loaded = (uint32_t)gdt;
  idt_base_loaded = (uint32_t)idt;
}

/* A fault inside probe_read/probe_write is recorded and the probe returns 0xDEADBEEF; any other
 * exception is a failed test. */
void gtrap(struct gframe *f) {
  uint32_t cr2;
  __asm__ volatile("movl %%cr2, %0" : "=r"(cr2));
  if (probe_recover) {
    last_vector = f->vector;
    last_err = f->err;
    last_cr2 = cr2;
    f->eip = probe_recover;
    probe_recover = 0;
    return;
  }
  gprintf("guest: FAIL unexpected exception %d err %x at eip %x cr2 %x\n", f->vector, f->err, f->eip, cr2);
  gexit(1);
}
