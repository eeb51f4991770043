/* cpu.c: descriptor tables (GDT with a per-thread UTCB segment for %gs, IDT, one TSS with an I/O
 * permission bitmap), the 8259 PICs and the 8254 PIT that drives time slices. */
#include "kernel.h"
#include "libkern/string.h"

#define PIT_HZ 100

struct segdesc {
  uint16_t lim_15_0, base_15_0;
  uint8_t base_23_16, type, lim_flags, base_31_24;
};

struct gatedesc {
  uint16_t off_15_0, sel;
  uint8_t zero, type;
  uint16_t off_31_16;
};

/* The 104-byte 32-bit TSS followed by the I/O permission bitmap (one bit per port, 1 = deny)
 * and the 0xFF byte the CPU may read past its end. */
static struct {
  uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
  uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, es, cs, ss, ds, fs, gs, ldt;
  uint16_t trap, iomb;
  uint8_t iobitmap[8192];
  uint8_t end;
} __attribute__((packed, aligned(16))) tss;

#define IOMB_ON   104                    /* offset of iobitmap */
#define IOMB_OFF  0xFFFF                 /* beyond the limit: every port denied at CPL 3 */

static struct segdesc gdt[NSEGS];
static struct gatedesc idt[256];
extern uint32_t vectors[];
static struct space *iobitmap_owner;

static void setseg(int i, uint32_t base, uint32_t limit, uint8_t type, bool pages) {
  if (pages)
    limit >>= 12;
  gdt[i] = (struct segdesc){ limit & 0xFFFF, base & 0xFFFF, (base >> 16) & 0xFF, type,
                             (uint8_t)(((limit >> 16) & 0xF) | (pages ? 0xC0 : 0x40)), base >> 24 };
}

static void setgate(int vec, uint32_t handler, int dpl) {
  idt[vec] = (struct gatedesc){ handler & 0xFFFF, SEL(SEG_KCODE, 0), 0, (uint8_t)(0x8E | (dpl << 5)),
                                handler >> 16 };
}

static void pic_init(void) {
  outb(0x20, 0x11); outb(0xA0, 0x11);      /* ICW1: edge, cascade, ICW4 follows */
  outb(0x21, 0x20); outb(0xA1, 0x28);      /* vectors 32-47 */
  outb(0x21, 0x04); outb(0xA1, 0x02);      /* cascade on IRQ2 */
  outb(0x21, 0x01); outb(0xA1, 0x01);      /* 8086 mode */
  outb(0x21, 0xFA); outb(0xA1, 0xFF);      /* only IRQ0 (timer) and IRQ2 (cascade) */
}

void pic_mask(int irq, bool masked) {
  uint16_t port = irq < 8 ? 0x21 : 0xA1;
  uint8_t bit = 1 << (irq & 7);
  uint8_t m = inb(port);
  outb(port, masked ? (m | bit) : (m & ~bit));
}

void pic_eoi(int irq) {
  if (irq >= 8)
    outb(0xA0, 0x20);
  outb(0x20, 0x20);
}

void cpu_init(void) {
  setseg(SEG_KCODE, 0, 0xFFFFFFFF, 0x9A, true);
  setseg(SEG_KDATA, 0, 0xFFFFFFFF, 0x92, true);
  /* flat user segments: paging alone protects the kernel, so any EIP or ESP a thread is given
   * (ExchangeRegisters, an exception reply) faults in user mode, never on the kernel's IRET */
  setseg(SEG_UCODE, 0, 0xFFFFFFFF, 0xFA, true);
  setseg(SEG_UDATA, 0, 0xFFFFFFFF, 0xF2, true);
  setseg(SEG_TSS, (uint32_t)&tss, sizeof(tss) - 1, 0x89, false);
  setseg(SEG_UTCB, L4_UTCB_BASE, PGSIZE - 1, 0xF2, false);
  lgdt(gdt, sizeof(gdt));
  __asm__ volatile("movw %0, %%ds; movw %0, %%es; movw %0, %%ss; movw %1, %%fs; movw %1, %%gs; ljmp %2, $1f; 1:"
                   : : "r"((uint16_t)SEL(SEG_KDATA, 0)), "r"((uint16_t)0), "i"(SEL(SEG_KCODE, 0)));
  tss.ss0 = SEL(SEG_KDATA, 0);
  tss.iomb = IOMB_OFF;
  tss.end = 0xFF;
  ltr(SEL(SEG_TSS, 0));

  for (int i = 0; i < 20; i++)
    setgate(i, vectors[i], 0);
  for (int i = 0; i < 16; i++)
    setgate(32 + i, vectors[20 + i], 0);
  for (int i = 0; i <= 8; i++)
    setgate(L4_VEC_IPC + i, vectors[36 + i], 3);
  setgate(0x80, vectors[45], 3);           /* Linux-ABI int $0x80: becomes exception IPC */
  setgate(3, vectors[3], 3);               /* int3 too */
  lidt(idt, sizeof(idt));

  pic_init();
  uint32_t div = 1193182 / PIT_HZ;
  outb(0x43, 0x34);                        /* channel 0, lo/hi, rate generator */
  outb(0x40, div & 0xFF);
  outb(0x40, div >> 8);
}

void tss_set_esp0(uint32_t esp0) { tss.esp0 = esp0; }

/* Only driver tasks own a bitmap; everyone else runs with the bitmap switched off (all ports
 * denied), so a switch between ordinary tasks costs one store. */
void tss_set_iobitmap(struct space *s) {
  if (!s || !s->iobitmap) {
    tss.iomb = IOMB_OFF;
    return;
  }
  if (iobitmap_owner != s) {
    memcpy(tss.iobitmap, s->iobitmap, sizeof(tss.iobitmap));
    iobitmap_owner = s;
  }
  tss.iomb = IOMB_ON;
}

/* IoControl changed a bitmap: the copy in the TSS must be refreshed on the next switch. */
void tss_iobitmap_changed(struct space *s) {
  if (iobitmap_owner == s)
    iobitmap_owner = NULL;
}

/* The user %gs segment starts at the running thread's UTCB, so %gs:0 is its MR pointer. */
void utcb_segment(uint32_t base) {
  gdt[SEG_UTCB].base_15_0 = base & 0xFFFF;
  gdt[SEG_UTCB].base_23_16 = (base >> 16) & 0xFF;
  gdt[SEG_UTCB].base_31_24 = base >> 24;
}
