/* layout.h: the hypervisor's address-space and host-memory layout (shared by C and assembly). */
#pragma once

/* The hypervisor owns the top 128 MiB of every address space; kernel-monolithic uses nothing
 * above 0xF2000000 (end of its module area), so the guest never needs these addresses. The
 * guest's segments end below HYPBASE, which keeps its ring-1 kernel out (see docs/vmm.md). */
#define HYPBASE   0xF8000000
#define HOSTMAX   0x08000000          /* host RAM the direct map covers: 128 MiB */
#define HYPSTACK  16384

/* Host physical memory: [0, POOLBASE) hypervisor image, boot modules; [POOLBASE, POOLTOP)
 * pages for shadow page tables (split between the VMs); [WIN0PA, WIN1PA + 4 MiB) the two VMs'
 * per-VM windows; [28 MiB, 32 MiB) unused (its direct-map slot is where the window is mapped);
 * [GUESTBASE, host top) the guests' physical memory (split between the VMs). */
#define POOLBASE  0x00800000
#define POOLTOP   0x01400000
#define GUESTBASE 0x02000000
#define NVM 2

/* The per-VM window: the hypervisor's per-VM state (virtual CPU, shadow bookkeeping, the real
 * GDT/IDT/TSS, the VM's hypervisor stack) is linked at VMWIN, and every shadow page directory
 * of VM n maps VMWIN to VM n's own 4 MiB of host memory, so a world switch (a CR3 load)
 * switches all of it at once. Xen's 32-bit hypervisor had such a per-domain area. */
#define VMWIN     0xF9C00000
#define WIN0PA    0x01400000          /* VM 0's window: host [20 MiB, 24 MiB) */
#define WIN1PA    0x01800000          /* VM 1's window: host [24 MiB, 28 MiB) */
/* Any VM's thread reaches VM v's copy of a per-VM variable through the host direct map: */
#define WINVA(v, ptr) ((void *)P2V(vms[v].win + ((uint32_t)(ptr) - VMWIN)))
#define WINPDE    (VMWIN >> 22)

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
