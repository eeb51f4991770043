/* layout.h: the hypervisor's address-space and host-memory layout (shared by C and assembly). */
#pragma once

/* The hypervisor owns the top 128 MiB of every address space; kernel-monolithic uses nothing
 * above 0xF2000000 (end of its module area), so the guest never needs these addresses. The
 * guest's segments end below HYPBASE, which keeps its ring-1 kernel out (see docs/vmm.md). */
#define HYPBASE   0xF8000000
#define HOSTMAX   0x08000000          /* host RAM the direct map covers: 128 MiB */
#define HYPSTACK  16384

/* Host physical memory: [0, POOLBASE) hypervisor image, boot modules; [POOLBASE, GUESTBASE)
 * pages for shadow page tables; [GUESTBASE, host top) the guest's physical memory. */
#define POOLBASE  0x00800000
#define GUESTBASE 0x02000000

#define CR0_PE 0x00000001
#define CR0_TS 0x00000008
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010
#define CR4_PGE 0x00000080

/* Selectors of the hypervisor's own descriptors, high in the real GDT where guests' are not. */
#define GDT_ENTRIES 512
#define GUEST_GDT_MAX 480             /* a guest GDT may use entries [0, 480) */
#define HCODE_SEL (500 << 3)
#define HDATA_SEL (501 << 3)
#define HTSS_SEL  (502 << 3)

/* The real 8259s deliver IRQ n at vector IRQ_BASE + n, away from any guest vector in use. */
#define IRQ_BASE 0xE0

#ifndef __ASSEMBLER__
#define P2V(pa) ((void *)((uint32_t)(pa) + HYPBASE))
#define V2P(va) ((uint32_t)(va) - HYPBASE)
#endif
