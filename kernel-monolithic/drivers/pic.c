/* pic.c: the two cascaded 8259A interrupt controllers (8259A datasheet), remapped to vectors 32-47. */
#include "defs.h"
#include "x86.h"
#include "traps.h"

#define PIC1 0x20          /* master: command port; data port is +1 */
#define PIC2 0xA0          /* slave, cascaded on master IRQ 2 */
#define OCW3_READ_ISR 0x0B
#define EOI 0x20

static uint16_t mask = 0xFFFF & ~(1 << 2);   /* all off but the cascade */

static void setmask(void) {
  outb(PIC1 + 1, mask);
  outb(PIC2 + 1, mask >> 8);
}

void picinit(void) {
  /* ICW1: edge triggered, cascade, ICW4 follows */
  outb(PIC1, 0x11);
  outb(PIC2, 0x11);
  /* ICW2: vector base; the BIOS's default of 8 would collide with CPU exceptions */
  outb(PIC1 + 1, T_IRQ0);
  outb(PIC2 + 1, T_IRQ0 + 8);
  /* ICW3: master has a slave on IRQ 2; slave's cascade identity is 2 */
  outb(PIC1 + 1, 1 << 2);
  outb(PIC2 + 1, 2);
  /* ICW4: 8086 mode, normal (not automatic) EOI */
  outb(PIC1 + 1, 0x01);
  outb(PIC2 + 1, 0x01);
  setmask();
}

void picenable(int irq) {
  mask &= ~(1 << irq);
  setmask();
}

void piceoi(int irq) {
  if (irq >= 8)
    outb(PIC2, EOI);
  outb(PIC1, EOI);
}

/* A spurious IRQ 7 (or 15) is one whose in-service bit is clear: it must not get an EOI
 * (a spurious 15 still needs one to the master, for the cascade). */
bool picspurious(int irq) {
  int port = irq < 8 ? PIC1 : PIC2;
  outb(port, OCW3_READ_ISR);
  if (inb(port) & (1 << (irq & 7)))
    return false;
  if (irq >= 8)
    outb(PIC1, EOI);
  return true;
}
