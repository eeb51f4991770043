/* gdt.c: the global descriptor table: flat kernel and user segments, and the TSS that gives ring 3 -> 0 its stack. */
#include "defs.h"
#include "x86.h"

/* A flat 4 GiB segment: base 0, limit 0xFFFFF pages, 32-bit. */
#define SEG(type, dpl) (struct segdesc){ 0xFFFF, 0, 0, type, 1, dpl, 1, 0xF, 0, 0, 1, 1, 0 }
#define SEG16(type, base, lim, dpl) (struct segdesc){ (lim) & 0xffff, (uint32_t)(base) & 0xffff, \
    ((uint32_t)(base) >> 16) & 0xff, type, 0, dpl, 1, (uint32_t)(lim) >> 16, 0, 0, 1, 0, \
    (uint32_t)(base) >> 24 }

static struct segdesc gdt[NSEGS];
static struct taskstate ts;

void gdtinit(void) {
  gdt[SEG_KCODE] = SEG(STA_X | STA_R, 0);
  gdt[SEG_KDATA] = SEG(STA_W, 0);
  gdt[SEG_UCODE] = SEG(STA_X | STA_R, DPL_USER);
  gdt[SEG_UDATA] = SEG(STA_W, DPL_USER);
  ts.ss0 = KDATA_SEL;
  ts.iomb = sizeof(ts);                /* no I/O permission bitmap: ring 3 port access faults */
  gdt[SEG_TSS] = SEG16(STS_T32A, &ts, sizeof(ts) - 1, 0);
  lgdt(gdt, sizeof(gdt));
  /* reload every segment register so none keeps a descriptor cached from the loader's GDT */
  __asm__ volatile(
      "movw %0, %%ax\n\t"
      "movw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%ss\n\t"
      "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\t"
      "ljmp %1, $1f\n1:"
      : : "i"(KDATA_SEL), "i"(KCODE_SEL) : "eax", "memory");
  ltr(TSS_SEL);
}

/* Loads the current process's thread-local-storage descriptors (set_thread_area) into GDT
 * entries 6-8. Called on every switch to a process: a selector in %gs or %fs is reloaded from
 * the GDT when the trap frame is popped, so the entries must be that process's by then. */
void gdt_set_tls(const struct segdesc *tls) {
  for (int i = 0; i < NTLS; i++)
    gdt[SEG_TLS + i] = tls[i];
}

/* The stack the CPU switches to when a trap or interrupt arrives in ring 3. */
void tss_set_kstack(uint32_t esp0) {
  ts.esp0 = esp0;
}
