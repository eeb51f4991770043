/* x86.h: inline-assembly wrappers for the IA-32 instructions C cannot express. */
#pragma once
#include <stdint.h>

#include "libkern/portio.h"   /* inb/outb and friends */

static inline void lgdt(void *p, int size) {
  volatile uint16_t pd[3];
  pd[0] = size - 1;
  pd[1] = (uint32_t)p;
  pd[2] = (uint32_t)p >> 16;
  __asm__ volatile("lgdt (%0)" : : "r"(pd) : "memory");
}
static inline void lidt(void *p, int size) {
  volatile uint16_t pd[3];
  pd[0] = size - 1;
  pd[1] = (uint32_t)p;
  pd[2] = (uint32_t)p >> 16;
  __asm__ volatile("lidt (%0)" : : "r"(pd) : "memory");
}
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }

static inline uint32_t readeflags(void) {
  uint32_t f;
  __asm__ volatile("pushfl; popl %0" : "=r"(f));
  return f;
}
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
/* STI's one-instruction interrupt shadow makes this pair atomic: no wake-up is lost in between. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt"); }

static inline uint32_t rcr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t rcr2(void) { uint32_t v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t rcr3(void) { uint32_t v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t rcr4(void) { uint32_t v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
  __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
static inline void lcr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t rebp(void) { uint32_t v; __asm__ volatile("movl %%ebp, %0" : "=r"(v)); return v; }
static inline uint32_t resp(void) { uint32_t v; __asm__ volatile("movl %%esp, %0" : "=r"(v)); return v; }

/* The registers trapasm.S pushes on every trap, in memory order (lowest address first). */
struct trapframe {
  /* pushal */
  uint32_t edi, esi, ebp;
  uint32_t oesp;           /* useless: pushal's copy of esp */
  uint32_t ebx, edx, ecx, eax;
  /* segment registers, pushed by alltraps */
  uint16_t gs, pad1, fs, pad2, es, pad3, ds, pad4;
  uint32_t trapno;
  /* pushed by the CPU (err by the vector stub when the CPU does not) */
  uint32_t err;
  uint32_t eip;
  uint16_t cs, pad5;
  uint32_t eflags;
  /* only when crossing from ring 3 */
  uint32_t esp;
  uint16_t ss, pad6;
};
