/* gdt.h: flat ring 0 / ring 3 segments, one TSS with a full I/O bitmap, and free slots for tests. */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

#define KCODE 0x08
#define KDATA 0x10
#define UCODE 0x1B          /* index 3, RPL 3 */
#define UDATA 0x23          /* index 4, RPL 3 */
#define TSS_SEL 0x28        /* index 5 */
#define GDT_FIRST_FREE 6    /* slots 6..GDT_ENTRIES-1 are for the individual tests */
#define GDT_ENTRIES 16

/* Access byte values (P, DPL, S, type). */
#define ACC_CODE0 0x9A      /* present, DPL 0, code, readable */
#define ACC_DATA0 0x92      /* present, DPL 0, data, writable */
#define ACC_CODE3 0xFA
#define ACC_DATA3 0xF2
#define ACC_TSS   0x89      /* present, DPL 0, available 32-bit TSS */
#define FLAGS_4K32 0xC      /* G=1, D/B=1 */
#define FLAGS_BYTE32 0x4    /* G=0, D/B=1 */

/* The 32-bit TSS (SDM vol. 3 7.2.1) followed by its I/O permission bitmap. */
struct tss {
    uint32_t prev, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
    uint32_t eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
    uint8_t iomap[8192 + 1];  /* one bit per port; the extra byte must be 0xFF */
} __attribute__((packed));

extern uint64_t gdt[GDT_ENTRIES];
extern struct tss tss0;
/* Top of the ring 0 stack the CPU switches to on an interrupt or call gate from ring 3 (TSS.ESP0). */
extern uint8_t *const ring0_stack_end;

void gdt_set(int index, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);
/* Call gate (type 0xC) or task gate (type 0x5) descriptor; `dpl` and `present` as given. */
void gdt_set_gate(int index, uint16_t selector, uint32_t offset, uint8_t type, int dpl, int present, int params);
/* Loads the GDT, reloads every segment register and TR. All bits of the I/O bitmap start set (denied). */
void gdt_init(void);
/* Allows (1) or denies (0) ring 3 access to one port through the I/O bitmap. */
void tss_allow_port(uint16_t port, int allow);

#endif
