/* power.c: ending the machine: the debug exit port 0xF4 (jx86, and QEMU's isa-debug-exit device). */
#include "defs.h"
#include "x86.h"

#define EXIT_PORT 0xF4

/* jx86 stops with exit status 'status'; QEMU exits with (status << 1) | 1. Without the device
 * the write is ignored and we halt with interrupts off. */
void poweroff(int status) {
  cli();
  outl(EXIT_PORT, status);
  for (;;)
    hlt();
}
