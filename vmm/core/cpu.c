/* cpu.c: the real descriptor tables the hypervisor owns (GDT, IDT, TSS) and how the guest's
 * virtual ones are reflected in them.
 *
 * The guest kernel runs in ring 1 ("ring compression", as Xen and VMware did on 32-bit x86).
 * Its GDT is copied into the low entries of the real GDT with three changes: DPL 0 becomes 1
 * (so ring 1 can use its own kernel segments), every limit is cut so the segment ends below
 * HYPBASE (ring 1 may touch supervisor pages, so the segment limit is what keeps the guest
 * kernel out of the hypervisor), and system descriptors (TSS, LDT, gates) are made not present
 * (the hypervisor keeps the guest's TR and LDTR virtually). */
#include "vmm.h"
#include "libkern/string.h"

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8))) PERVM;
static uint64_t idt[256] __attribute__((aligned(8))) PERVM;
static struct tss {
  uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
  uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
  uint32_t es, cs, ss, ds, fs, gs, ldt;
  uint16_t trap, iomb;
} tss PERVM;
extern uint32_t vectors[];
/* each VM's hypervisor thread has its own stack, in its window */
static char vmstack[HYPSTACK] __attribute__((aligned(16))) PERVM;
uint32_t cpu_stack_top(void) { return (uint32_t)vmstack + HYPSTACK; }

/* The real GDT slots holding guest user code descriptors (DPL 3): they are made not present
 * while the guest kernel runs, so its IRET to user mode traps (see trap.c, guest_iret). */
static uint16_t user_cs[16] PERVM;
static int nuser_cs PERVM;

static uint64_t seg(uint32_t base, uint32_t limit, uint32_t type, int dpl, int s, int db, int g) {
  uint32_t lo = (limit & 0xFFFF) | (base << 16);
  uint32_t hi = ((base >> 16) & 0xFF) | (type << 8) | (s << 12) | (dpl << 13) | (1 << 15) |
                (limit & 0xF0000) | (db << 22) | (g << 23) | (base & 0xFF000000);
  return ((uint64_t)hi << 32) | lo;
}

static uint64_t gate(uint32_t off, int dpl) {
  uint32_t lo = (off & 0xFFFF) | (HCODE_SEL << 16);
  uint32_t hi = (off & 0xFFFF0000) | (1 << 15) | (dpl << 13) | (0xE << 8);
  return ((uint64_t)hi << 32) | lo;
}

/* One guest descriptor made safe for the real GDT (see the comment at the top). */
static uint64_t deprivilege(uint64_t d, int index) {
  uint32_t lo = d, hi = d >> 32;
  if (!(hi & (1 << 15)))
    return 0;
  if (!(hi & (1 << 12)))                       /* system descriptor: kept virtually */
    return d & ~((uint64_t)1 << 47);
  uint32_t type = (hi >> 8) & 0xF, dpl = (hi >> 13) & 3;
  uint32_t base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
  uint64_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
  bool g = hi & (1 << 23);
  if (g)
    limit = (limit << 12) | 0xFFF;
  bool code = type & 8;
  if ((!code && (type & 4)) || base >= HYPBASE)  /* expand-down data, or based in the VMM */
    return d & ~((uint64_t)1 << 47);
  if ((uint64_t)base + limit >= HYPBASE)
    limit = HYPBASE - 1 - base;
  if (dpl == 0)
    dpl = 1;
  if (code && dpl == 3 && nuser_cs < 16)
    user_cs[nuser_cs++] = index;
  uint32_t enc = limit > 0xFFFFF ? (uint32_t)(limit >> 12) : (uint32_t)limit;
  return seg(base, enc, type, dpl, 1, (hi >> 22) & 1, limit > 0xFFFFF);
}

bool cpu_guest_desc(uint16_t sel, uint32_t *lo, uint32_t *hi) {
  uint32_t i = sel >> 3;
  if ((sel & 4) || i * 8 + 7 > vcpu.gdt_limit)
    return false;
  uint32_t d[2];
  if (!gread(vcpu.gdt_base + i * 8, d, 8))
    return false;
  *lo = d[0];
  *hi = d[1];
  return true;
}

/* May a data segment register hold sel at ring cpl (null, or a present data or readable code
 * descriptor with DPL >= max(CPL, RPL))? */
bool cpu_data_ok(uint16_t sel, int cpl) {
  uint32_t i = sel >> 3;
  if (i == 0 && !(sel & 4))
    return true;
  if ((sel & 4) || i >= GUEST_GDT_MAX)
    return false;
  uint32_t hi = gdt[i] >> 32;
  int rpl = sel & 3, dpl = (hi >> 13) & 3;
  uint32_t type = (hi >> 8) & 0xF;
  if (!(hi & (1 << 15)) || !(hi & (1 << 12)) || ((type & 8) && !(type & 2)))
    return false;
  bool conforming = (type & 0xC) == 0xC;
  return conforming || dpl >= (cpl > rpl ? cpl : rpl);
}

void cpu_guest_gdt(void) {
  uint32_t n = (vcpu.gdt_limit + 1) / 8;
  if (n > GUEST_GDT_MAX)
    vm_kill("guest GDT larger than the 480 entries the VMM leaves it");
  nuser_cs = 0;
  for (uint32_t i = 1; i < GUEST_GDT_MAX; i++) {
    uint64_t d = 0;
    if (i < n && !gread(vcpu.gdt_base + i * 8, &d, 8))
      vm_kill("LGDT: guest GDT not mapped");
    gdt[i] = i < n ? deprivilege(d, i) : 0;
  }
  vcpu.user_cs_present = true;
  vcpu.gdt_changed = true;
}

/* A guest may rewrite a data descriptor in its GDT without a new LGDT (kernel-microkernel points
 * its %gs segment at the running thread's UTCB at every thread switch; Linux moves its TLS
 * segment the same way), and the CPU reads a descriptor only when a segment register is loaded.
 * Called at each return to guest user mode (an exit, trap.c): the data descriptors that the
 * selectors about to be loaded name are copied again, deprivileged. Code descriptors are left
 * alone (their presence is the user-return trap above). */
void cpu_refresh_data_segs(const uint32_t *sels, int n) {
  for (int k = 0; k < n; k++) {
    uint32_t i = (sels[k] & 0xFFFF) >> 3;
    uint64_t d;
    if (i == 0 || (sels[k] & 4) || i >= GUEST_GDT_MAX || i * 8 + 7 > vcpu.gdt_limit)
      continue;
    if (k > 0 && ((sels[k - 1] ^ sels[k]) & 0xFFFC) == 0)
      continue;                                  /* DS = ES, usually: read once */
    if ((gdt[i] >> 32) & (1 << 11))              /* a code descriptor now: left as it is */
      continue;
    if (!gread(vcpu.gdt_base + i * 8, &d, 8) || ((d >> 32) & (1 << 11)))
      continue;
    gdt[i] = deprivilege(d, i);
  }
}

void cpu_set_user_cs(bool present) {
  if (vcpu.user_cs_present == present)
    return;
  vcpu.user_cs_present = present;
  for (int i = 0; i < nuser_cs; i++) {
    if (present)
      gdt[user_cs[i]] |= (uint64_t)1 << 47;
    else
      gdt[user_cs[i]] &= ~((uint64_t)1 << 47);
  }
}

/* Gate DPLs follow the guest's: a DPL-3 guest gate (int $0x80) may be raised from user mode;
 * the rest only by the guest kernel (DPL 1: ring 1 may use INT n) or by the hardware. */
void cpu_guest_idt(void) {
  for (int v = 0; v < IRQ_BASE; v++) {
    uint32_t g[2] = { 0, 0 };
    int dpl = 1;
    if (v * 8 + 7 <= (int)vcpu.idt_limit && gread(vcpu.idt_base + v * 8, g, 8) && ((g[1] >> 13) & 3) == 3)
      dpl = 3;
    idt[v] = gate(vectors[v], dpl);
  }
}

static void lgdt_real(void *base, uint32_t limit) {
  volatile uint16_t pd[3] = { limit, (uint32_t)base, (uint32_t)base >> 16 };
  __asm__ volatile("lgdt (%0)" : : "r"(pd) : "memory");
}

static void lidt_real(void *base, uint32_t limit) {
  volatile uint16_t pd[3] = { limit, (uint32_t)base, (uint32_t)base >> 16 };
  __asm__ volatile("lidt (%0)" : : "r"(pd) : "memory");
}

void cpu_init(void) {
  gdt[HCODE_SEL >> 3] = seg(0, 0xFFFFF, 0xA, 0, 1, 1, 1);
  gdt[HDATA_SEL >> 3] = seg(0, 0xFFFFF, 0x2, 0, 1, 1, 1);
  /* 16 bytes above every ring-1 trap frame: room to turn it into a v86 frame (ES, DS, FS, GS) */
  tss.esp0 = (uint32_t)vmstack + HYPSTACK - 16;
  tss.ss0 = HDATA_SEL;
  tss.iomb = sizeof tss;                      /* no I/O bitmap: every guest IN/OUT traps */
  gdt[HTSS_SEL >> 3] = seg((uint32_t)&tss, sizeof tss - 1, 0x9, 0, 0, 0, 0);
  /* the guest's boot segments (Multiboot: flat code 0x08, data 0x10), deprivileged */
  gdt[1] = deprivilege(seg(0, 0xFFFFF, 0xA, 0, 1, 1, 1), 1);
  gdt[2] = deprivilege(seg(0, 0xFFFFF, 0x2, 0, 1, 1, 1), 2);
  lgdt_real(gdt, sizeof gdt - 1);
  __asm__ volatile(
      "movw %0, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
      "xorl %%eax, %%eax\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
      "ljmp %1, $1f\n1:"
      : : "i"(HDATA_SEL), "i"(HCODE_SEL) : "eax", "memory");
  /* TR is loaded once, with VM 0's TSS; the other windows hold their TSS at the same address,
   * its descriptor already busy as LTR would leave it */
  if (vcpu.id == 0 && !vms[0].restarts)
    __asm__ volatile("ltr %0" : : "r"((uint16_t)HTSS_SEL));
  else
    gdt[HTSS_SEL >> 3] |= (uint64_t)2 << 40;
  for (int v = 0; v < 256; v++)
    idt[v] = gate(vectors[v], v < IRQ_BASE ? 1 : 0);
  lidt_real(idt, sizeof idt - 1);
}

/* May the hypervisor put sel in a guest frame for ring rpl? (A present code or writable data
 * descriptor of the guest's, with that DPL in the real GDT.) Checked before every IRET into a
 * guest with selectors the guest chose, so a bad one faults the guest, not the hypervisor. */
bool cpu_sel_ok(uint16_t sel, bool code, int rpl) {
  uint32_t i = sel >> 3;
  if ((sel & 4) || i == 0 || i >= GUEST_GDT_MAX || (int)(sel & 3) != rpl)
    return false;
  uint32_t hi = gdt[i] >> 32;
  if (!(hi & (1 << 15)) || !(hi & (1 << 12)) || (int)((hi >> 13) & 3) != rpl)
    return false;
  uint32_t type = (hi >> 8) & 0xF;
  return code ? (type & 8) != 0 : (type & 0xA) == 2;
}

/* The base of sel's descriptor in the real GDT (the guest's, deprivileged; the null selector: 0). */
bool cpu_seg_base(uint16_t sel, uint32_t *base) {
  uint32_t i = sel >> 3;
  if (i == 0 && !(sel & 4)) {
    *base = 0;
    return true;
  }
  if ((sel & 4) || i >= GDT_ENTRIES)
    return false;
  uint32_t lo = gdt[i], hi = gdt[i] >> 32;
  *base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
  return true;
}

/* The limit of sel's descriptor in the real GDT, in bytes (0 for the null selector). */
uint32_t cpu_seg_limit(uint16_t sel) {
  uint32_t i = sel >> 3;
  if ((sel & 4) || i == 0 || i >= GDT_ENTRIES)
    return 0;
  uint32_t lo = gdt[i], hi = gdt[i] >> 32;
  uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
  return (hi & (1 << 23)) ? (limit << 12) | 0xFFF : limit;
}

/* The leave from real mode: until the guest loads its own selectors, each segment register
 * keeps its real-mode base (the CPU keeps the cached descriptor). The hypervisor gives ring 1 a
 * 64 KiB data segment with that base in the real GDT's entries 480.. (outside the guest's). */
uint16_t cpu_real_seg(int slot, uint32_t base) {
  int i = GUEST_GDT_MAX + slot;
  gdt[i] = seg(base, 0xFFFF, 0x3, 1, 1, 0, 0);
  return (i << 3) | 1;
}
