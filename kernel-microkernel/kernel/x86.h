/* x86.h: the IA-32 instructions C cannot express, the segment selectors and paging bits. */
#pragma once
#include <stdint.h>
#include "libkern/portio.h"

#define KERNBASE   0xC0000000u
#define P2V(a)     ((void *)((uint32_t)(a) + KERNBASE))
#define V2P(a)     ((uint32_t)(a) - KERNBASE)
#define PGSIZE     4096u
#define PGROUNDUP(a) (((uint32_t)(a) + PGSIZE - 1) & ~(PGSIZE - 1))

/* page-table entry bits */
#define PTE_P  0x001u
#define PTE_W  0x002u
#define PTE_U  0x004u
#define PTE_PS 0x080u
#define PTE_G  0x100u
#define PDX(va) ((uint32_t)(va) >> 22)
#define PTX(va) (((uint32_t)(va) >> 12) & 0x3FF)

#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x10u
#define CR4_PGE 0x80u
#define FL_IF 0x200u

/* GDT slots */
#define SEG_KCODE 1
#define SEG_KDATA 2
#define SEG_UCODE 3
#define SEG_UDATA 4
#define SEG_TSS   5
#define SEG_UTCB  6           /* user %gs: base = the current thread's UTCB */
#define NSEGS     7
#define SEL(seg, rpl) (((seg) << 3) | (rpl))

static inline void lgdt(void *p, int size) {
  volatile uint16_t pd[3] = { (uint16_t)(size - 1), (uint16_t)(uint32_t)p, (uint16_t)((uint32_t)p >> 16) };
  __asm__ volatile("lgdt (%0)" : : "r"(pd) : "memory");
}
static inline void lidt(void *p, int size) {
  volatile uint16_t pd[3] = { (uint16_t)(size - 1), (uint16_t)(uint32_t)p, (uint16_t)((uint32_t)p >> 16) };
  __asm__ volatile("lidt (%0)" : : "r"(pd) : "memory");
}
static inline void ltr(uint16_t sel) { __asm__ volatile("ltr %0" : : "r"(sel)); }
static inline uint32_t readeflags(void) { uint32_t f; __asm__ volatile("pushfl; popl %0" : "=r"(f)); return f; }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }
static inline uint32_t rcr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t rcr2(void) { uint32_t v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t rcr3(void) { uint32_t v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t rcr4(void) { uint32_t v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline void lcr4(uint32_t v) { __asm__ volatile("movl %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
static inline uint32_t rebp(void) { uint32_t v; __asm__ volatile("movl %%ebp, %0" : "=r"(v)); return v; }

/* What trapasm.S pushes on every trap, lowest address first. */
struct trapframe {
  uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;   /* pushal */
  uint32_t gs, fs, es, ds;
  uint32_t trapno, err;
  uint32_t eip, cs, eflags;
  uint32_t esp, ss;                                   /* only when coming from ring 3 */
};

/* The callee-saved registers swtch() keeps on a kernel stack. */
struct context {
  uint32_t edi, esi, ebx, ebp, eip;
};
