/* guest.h: the small runtime of the VMM's test guests (guestlib.c). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "libkern/portio.h"

struct gframe {
  uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;
  uint32_t vector, err, eip, cs, eflags;
};

#define KCODE 0x08
#define KDATA 0x10
#define UCODE (0x18 | 3)
#define UDATA (0x20 | 3)
#define TSSSEL 0x28

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void gexit(int status);
void gstart(void);                       /* COM1, both PICs masked, then gsetup() */
void gsetup(void);                       /* GDT (flat kernel and user segments, a TSS), IDT, LTR */
extern uint32_t gdt_base_loaded, idt_base_loaded;

/* the last fault taken through a probe */
extern volatile int last_vector;
extern volatile uint32_t last_err, last_cr2;
uint32_t probe_read(uint32_t va);
uint32_t probe_write(uint32_t va, uint32_t v);

static inline uint32_t geflags(void) { uint32_t f; __asm__ volatile("pushfl; popl %0" : "=r"(f)); return f; }
static inline uint32_t rcr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline void lcr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
static inline void lcr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t rcr4(void) { uint32_t v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static inline void lcr4(uint32_t v) { __asm__ volatile("movl %0, %%cr4" : : "r"(v) : "memory"); }
static inline void invlpg(uint32_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
