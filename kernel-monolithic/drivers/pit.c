/* pit.c: the 8253/8254 programmable interval timer, channel 0 as the HZ scheduler tick on IRQ 0. */
#include "defs.h"
#include "param.h"
#include "x86.h"
#include "traps.h"

#define PIT_CH0  0x40
#define PIT_MODE 0x43
#define PIT_FREQ 1193182   /* input clock in Hz */

void pitinit(void) {
  uint16_t divisor = (PIT_FREQ + HZ / 2) / HZ;
  outb(PIT_MODE, 0x34);          /* channel 0, lobyte/hibyte, mode 2 (rate generator), binary */
  outb(PIT_CH0, divisor & 0xFF);
  outb(PIT_CH0, divisor >> 8);
  picenable(IRQ_TIMER);
}
