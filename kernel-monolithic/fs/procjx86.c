/* procjx86.c: /proc/interrupts and the jx86 performance-counter device read through /proc/jx86
 * (docs/mmu.md: ports 0x5A0 SELECT, 0x5A4 DATA_LO, 0x5A8 DATA_HI, 0x5AC COMMAND (1 = snapshot)
 * and ID ("JXPC")). Counters: 0x00 cycles, 0x01 instructions, 0x10 + 2*event + user for the
 * I-TLB, 0x20 + 2*event + user for the D-TLB. No device (QEMU): the files say so. */
#include "defs.h"
#include "x86.h"

#define PC_SELECT 0x5A0
#define PC_LO     0x5A4
#define PC_HI     0x5A8
#define PC_CMD    0x5AC
#define PC_ID     0x4350584A

static const char *const tlb_events[8] = {
  "hits", "misses", "walks", "faults", "evictions", "flushes", "cr3_flushes", "invlpg",
};

/* A 64-bit counter in decimal without 64-bit division (no libgcc): long division by 10 over
 * four 16-bit limbs. */
static int u64dec(char *out, uint32_t hi, uint32_t lo) {
  uint32_t limb[4] = {hi >> 16, hi & 0xffff, lo >> 16, lo & 0xffff};
  char digits[24];
  int n = 0;
  do {
    uint32_t rem = 0;
    for (int i = 0; i < 4; i++) {
      uint32_t cur = rem << 16 | limb[i];
      limb[i] = cur / 10;
      rem = cur % 10;
    }
    digits[n++] = '0' + rem;
  } while (limb[0] | limb[1] | limb[2] | limb[3]);
  for (int i = 0; i < n; i++)
    out[i] = digits[n - 1 - i];
  out[n] = 0;
  return n;
}

static void counter(uint32_t index, char *out) {
  outl(PC_SELECT, index);
  uint32_t lo = inl(PC_LO), hi = inl(PC_HI);
  u64dec(out, hi, lo);
}

static bool present(void) {
  if (inl(PC_CMD) != PC_ID)
    return false;
  outl(PC_CMD, 1);                 /* snapshot: every counter below is from the same instant */
  return true;
}

/* /proc/jx86/counters: "cycles N" and "instructions N" */
int jx86_counters_show(char *buf, int size) {
  if (!present())
    return snprintk(buf, size, "no jx86 performance counters (port 0x5AC)\n");
  char c[24], i[24];
  counter(0x00, c);
  counter(0x01, i);
  return snprintk(buf, size, "cycles %s\ninstructions %s\n", c, i);
}

/* /proc/jx86/tlb: one row per event, columns I-TLB and D-TLB, supervisor and user. */
int jx86_tlb_show(char *buf, int size) {
  if (!present())
    return snprintk(buf, size, "no jx86 performance counters (port 0x5AC)\n");
  int n = snprintk(buf, size, "%-12s %14s %14s %14s %14s\n", "event", "itlb_kernel", "itlb_user",
                   "dtlb_kernel", "dtlb_user");
  for (uint32_t e = 0; e < 8; e++) {
    char v[4][24];
    counter(0x10 + 2 * e, v[0]);
    counter(0x11 + 2 * e, v[1]);
    counter(0x20 + 2 * e, v[2]);
    counter(0x21 + 2 * e, v[3]);
    n += snprintk(buf + n, size - n, "%-12s %14s %14s %14s %14s\n", tlb_events[e], v[0], v[1], v[2], v[3]);
  }
  return n;
}

/* /proc/interrupts: Linux's layout, one CPU column, for the IRQs the kernel uses; plus the
 * system calls (Linux has no such line; it is what int $0x80 would be). */
int interrupts_show(char *buf, int size) {
  static const struct { int irq; const char *name; } used[] = {
    {0, "timer"}, {4, "serial"}, {7, "spurious"}, {14, "ata"}, {15, "spurious"},
  };
  int n = snprintk(buf, size, "           CPU0\n");
  for (uint32_t i = 0; i < NELEM(used); i++)
    n += snprintk(buf + n, size - n, "%3d: %10u   XT-PIC  %s\n", used[i].irq, irq_count[used[i].irq],
                  used[i].name);
  n += snprintk(buf + n, size - n, "SYS: %10u   int 0x80 system calls\n", syscall_count);
  return n;
}
