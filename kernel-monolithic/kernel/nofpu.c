/* nofpu.c: a CPU without an x87 (CPUID.1:EDX.FPU = 0) must not run floating-point code silently
 * wrong. With CR0.EM set every x87 instruction raises #NM, and trap.c turns that into SIGFPE,
 * as Linux does without math emulation: a program using the FPU dies loudly. (With the bit
 * clear, an FPU-less 386 skips escape opcodes, and awk would print "nan".) A CPU with an FPU
 * is left alone here: FPU state handling belongs to the FPU code. */
#include "defs.h"
#include "x86.h"

#define CR0_MP 0x2
#define CR0_EM 0x4

void nofpu_init(void) {
  uint32_t a, b, c, d;
  cpuid(1, &a, &b, &c, &d);
  if (d & 1)
    return;
  lcr0((rcr0() | CR0_EM) & ~CR0_MP);
  printk("cpu: no x87 FPU: floating-point instructions raise SIGFPE (CR0.EM)\n");
}
