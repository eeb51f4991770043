/* vpic.c: the VM's 8259A pair (master at 0x20, slave at 0xA0 on its IRQ 2), emulated: the
 * initialisation words, masks, in-service bits, specific and non-specific EOI, IRR/ISR reads,
 * auto-EOI. The real 8259s belong to the hypervisor (vectors IRQ_BASE..+15): a real IRQ is
 * masked and acknowledged at once, becomes a request on the virtual PIC, and the real line is
 * unmasked again when the guest sends the virtual EOI (so a device that keeps its line up
 * cannot interrupt the hypervisor in a loop). */
#include "vmm.h"

struct pic {
  uint8_t irr, isr, imr, base;
  uint8_t step;          /* 0: normal, 1..3: expecting ICW2..ICW4 */
  bool icw4, single, read_isr, auto_eoi;
};
static struct pic pic[2] PERVM;
static uint16_t busy;    /* real IRQ lines masked until their VM's EOI (shared by the VMs) */

/* Which VM and virtual line each real IRQ line belongs to. With one VM every line is its own.
 * With two the hypervisor owns the timer (IRQ 0: every VM's virtual IRQ 0, sched.c) and the
 * disk (it polls the host drives, vata.c); COM1 (IRQ 4) is VM 0's IRQ 4 and COM2 (IRQ 3) VM 1's
 * IRQ 4; the keyboard, the RTC and the mouse are VM 0's. */
static int line_vm(int line) {
  if (nvms == 1)
    return 0;
  switch (line) {
  case 1: case 8: case 12: return 0;
  case 4: return front;             /* the host's COM1 belongs to the front VM, COM2 to the other */
  case 3: return 1 - front;
  default: return -1;
  }
}

static int line_virq(int line) {
  return nvms > 1 && line == 3 ? 4 : line;
}

/* The real line behind VM vm's virtual line virq, or -1. */
static int virq_line(int vm, int virq) {
  for (int l = 0; l < 16; l++)
    if (line_vm(l) == vm && line_virq(l) == virq)
      return l;
  return -1;
}

static void unbusy(int virq) {
  int l = virq_line(vcpu.id, virq);
  if (l >= 0)
    busy &= ~(1 << l);
}

/* The real masks: a line is open when its VM has its virtual line unmasked and it is not
 * waiting for that VM's EOI; with two VMs the timer is always open (the hypervisor's). */
static void real_masks(void) {
  vms[vcpu.id].vimr = pic[0].imr | pic[1].imr << 8;
  uint16_t m = 0xFFFF;
  for (int l = 0; l < 16; l++) {
    int vm = line_vm(l);
    if (vm >= 0 && !(vms[vm].vimr & (1 << line_virq(l))))
      m &= ~(1 << l);
  }
  m |= busy;
  if (nvms > 1)
    m &= ~1;
  if ((m & 0xFF00) != 0xFF00)
    m &= ~4;             /* the cascade stays open while any slave line is */
  outb(0x21, m);
  outb(0xA1, m >> 8);
}

void vpic_release_lines(int vm) {
  for (int l = 0; l < 16; l++)
    if (line_vm(l) == vm)
      busy &= ~(1 << l);
}

void vpic_reroute(void) {
  busy &= ~0x18;
  real_masks();
  ports_console_moved();
}

void vpic_init(void) {
  pic[0].imr = pic[1].imr = 0xFF;
  pic[0].base = 0x08;
  pic[1].base = 0x70;
  vms[vcpu.id].vimr = 0xFFFF;
  if (vcpu.id > 0 || vms[vcpu.id].restarts)
    return;              /* the real PICs are set up once */
  outb(0x20, 0x11);
  outb(0xA0, 0x11);
  outb(0x21, IRQ_BASE);
  outb(0xA1, IRQ_BASE + 8);
  outb(0x21, 4);
  outb(0xA1, 2);
  outb(0x21, 1);
  outb(0xA1, 1);
  real_masks();
}

static int lowest_bit(uint8_t b) {
  for (int i = 0; i < 8; i++)
    if (b & (1 << i))
      return i;
  return -1;
}

/* The IRQ a chip would present now: the highest-priority unmasked request above any in service. */
static int pic_get(struct pic *p) {
  int r = lowest_bit(p->irr & ~p->imr);
  int s = lowest_bit(p->isr);
  if (r < 0 || (s >= 0 && s <= r))
    return -1;
  return r;
}

void vpic_raise(int irq) {
  pic[irq >> 3].irr |= 1 << (irq & 7);
}

static void cascade(void) {
  if (pic_get(&pic[1]) >= 0)
    pic[0].irr |= 4;
  else
    pic[0].irr &= ~4;
}

int vpic_pending(void) {
  cascade();
  int m = pic_get(&pic[0]);
  if (m < 0)
    return -1;
  if (m == 2)
    return pic[1].base + pic_get(&pic[1]);
  return pic[0].base + m;
}

void vpic_ack(int vector) {
  (void)vector;
  cascade();
  int m = pic_get(&pic[0]);
  if (m < 0)
    return;
  if (m == 2) {
    int s = pic_get(&pic[1]);
    pic[1].irr &= ~(1 << s);
    if (!pic[1].auto_eoi)
      pic[1].isr |= 1 << s;
    else
      unbusy(s + 8);
  } else if (pic[0].auto_eoi) {
    unbusy(m);
  }
  pic[0].irr &= ~(1 << m);
  if (!pic[0].auto_eoi)
    pic[0].isr |= 1 << m;
  cascade();
  real_masks();
}

static void eoi(int chip, int irq) {
  pic[chip].isr &= ~(1 << irq);
  if (chip == 1 || irq != 2)
    unbusy(irq + 8 * chip);
  real_masks();
}

static void write_cmd(int c, uint8_t v) {
  struct pic *p = &pic[c];
  if (v & 0x10) {                                   /* ICW1 */
    p->step = 1;
    p->icw4 = v & 1;
    p->single = v & 2;
    p->imr = 0;
    p->isr = 0;
    p->irr = 0;
    p->read_isr = false;
    p->auto_eoi = false;
  } else if (v & 0x08) {                            /* OCW3 */
    if (v & 2)
      p->read_isr = v & 1;
  } else if (v & 0x20) {                            /* OCW2: EOI */
    int irq = (v & 0x40) ? (v & 7) : lowest_bit(p->isr);
    if (irq >= 0)
      eoi(c, irq);
  }
}

static void write_data(int c, uint8_t v) {
  struct pic *p = &pic[c];
  switch (p->step) {
  case 1:
    p->base = v & 0xF8;
    p->step = p->single ? (p->icw4 ? 3 : 0) : 2;
    break;
  case 2:
    p->step = p->icw4 ? 3 : 0;
    break;
  case 3:
    p->auto_eoi = v & 2;
    p->step = 0;
    break;
  default:
    p->imr = v;
    real_masks();
  }
}

bool vpic_io(uint16_t port, bool out, uint32_t *val) {
  int c = port >= 0xA0;
  bool data = port & 1;
  if (out) {
    if (data)
      write_data(c, *val);
    else
      write_cmd(c, *val);
  } else {
    *val = data ? pic[c].imr : (pic[c].read_isr ? pic[c].isr : pic[c].irr);
  }
  return true;
}

/* A real interrupt, in the hypervisor: filter the 8259's spurious IRQ 7/15, hold the line
 * masked, acknowledge it, and make it a request on the VM's PIC. */
void real_irq(int irq) {
  if (irq == 7 || irq == 15) {
    outb(irq == 7 ? 0x20 : 0xA0, 0x0B);
    bool real = inb(irq == 7 ? 0x20 : 0xA0) & 0x80;
    if (!real) {
      if (irq == 15)
        outb(0x20, 0x20);
      return;
    }
  }
  if (nvms > 1 && irq == 0) {           /* the hypervisor's timer */
    outb(0x20, 0x20);
    sched_tick();
    return;
  }
  busy |= 1 << irq;
  real_masks();
  if (irq >= 8)
    outb(0xA0, 0x20);
  outb(0x20, 0x20);
  if (line_vm(irq) >= 0)
    vm_raise(line_vm(irq), line_virq(irq));
}
