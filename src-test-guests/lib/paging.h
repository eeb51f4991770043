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

#endif
