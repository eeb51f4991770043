/* paging.h: 32-bit two-level paging (SDM vol. 3 4.3) with an identity map the tests then edit. */
#ifndef PAGING_H
#define PAGING_H

#include <stdint.h>

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_U   0x004
#define PTE_A   0x020
#define PTE_D   0x040
#define PDE_PS  0x080
#define PTE_G   0x100

#define PF_P 1      /* #PF error code: protection violation (else not present) */
#define PF_W 2      /* write access */
#define PF_U 4      /* access from ring 3 */

#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x10u
#define CR4_PGE 0x80u

extern uint32_t page_dir[1024];

/* Identity-maps the first `mib` MiB (at most 16) with 4 KiB pages, present, writable, user. */
void paging_identity(uint32_t mib);
/* The PTE for a virtual address covered by paging_identity's tables. */
uint32_t *paging_pte(uint32_t va);
/* Loads CR3 with page_dir and sets CR0.PG (and CR0.WP so ring 0 honours read-only pages). */
void paging_enable(void);
void paging_disable(void);

/* access.S: one load/store/call at a known instruction address. */
extern volatile uint32_t access_addr, access_value;
extern void access_read(void), access_write(void), access_exec(void);
extern char access_read_insn[], access_write_insn[], access_exec_insn[];

/* Reads or writes `va` in ring 0 (ring3 = 0) or ring 3; returns 1 if it faulted (see last_fault). */
int mem_read(uint32_t va, int ring3);
int mem_write(uint32_t va, uint32_t value, int ring3);

/* One check line: the last access raised #PF with this error code, saved EIP and CR2. */
void check_pf(const char *name, int faulted, uint32_t error, const void *eip, uint32_t cr2);

#endif
