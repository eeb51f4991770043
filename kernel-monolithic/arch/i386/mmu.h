/* mmu.h: IA-32 segment and paging definitions (SDM Vol. 3A ch. 3 and 4), and the kernel's memory layout. */
#pragma once

/* ---- Memory layout ----
 * Physical RAM [0, PHYSTOP) is mapped at KERNBASE, so P2V/V2P are plain additions.
 * The kernel image is linked at KERNLINK and loaded at EXTMEM (1 MiB).
 * User space is [0, KERNBASE); user stacks end at USTACKTOP. */
#define EXTMEM     0x00100000
#define KERNBASE   0xC0000000
#define KERNLINK   (KERNBASE + EXTMEM)
#define PHYSTOP    0x30000000              /* at most 768 MiB of RAM is direct-mapped */
#define MODBASE    (KERNBASE + PHYSTOP)    /* module area, 4 KiB pages, right after the direct map */
#define MODSIZE    0x02000000              /* 32 MiB */
#define USERBASE   0x08048000              /* where static i386 ELF programs are linked */
#define USTACKTOP  KERNBASE
#define MMAP_BASE  0x40000000              /* mmap2's area: [MMAP_BASE, MMAP_TOP); the heap stays below */
#define MMAP_TOP   0xB0000000
#define USTACKPAGES 32                     /* 128 KiB, mapped at exec (no stack growth on fault) */

#ifndef __ASSEMBLER__
#define V2P(a) ((uint32_t)(a) - KERNBASE)
#define P2V(a) ((void *)((uint32_t)(a) + KERNBASE))
#endif
#define V2P_WO(x) ((x) - KERNBASE)          /* for assembly and linker scripts: no casts */

/* ---- Control registers ---- */
#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010

/* ---- Paging ---- */
#define PGSIZE   4096
#define PGSHIFT  12
#define PDXSHIFT 22
#define NPDENTRIES 1024
#define NPTENTRIES 1024
#define BIGPGSIZE (1u << PDXSHIFT)          /* 4 MiB page (CR4.PSE) */

#define PGROUNDUP(a)   (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))
#define PDX(va) (((uint32_t)(va) >> PDXSHIFT) & 0x3FF)
#define PTX(va) (((uint32_t)(va) >> PGSHIFT) & 0x3FF)
#define PTE_ADDR(pte) ((uint32_t)(pte) & ~0xFFF)

#define PTE_P  0x001
#define PTE_W  0x002
#define PTE_U  0x004
#define PTE_PS 0x080                        /* in a PDE: this entry maps a 4 MiB page */
#define PTE_COW 0x200                       /* software bit (AVL): shared by fork, copy on write */

/* ---- Segment selectors (GDT layout, see gdt.c) ---- */
#define SEG_KCODE 1
#define SEG_KDATA 2
#define SEG_UCODE 3
#define SEG_UDATA 4
#define SEG_TSS   5
#define SEG_TLS   6                         /* 6, 7, 8: the process's set_thread_area entries (Linux's) */
#define NTLS      3
#define NSEGS     9
#define DPL_USER  3
#define KCODE_SEL (SEG_KCODE << 3)
#define KDATA_SEL (SEG_KDATA << 3)
#define UCODE_SEL ((SEG_UCODE << 3) | DPL_USER)
#define UDATA_SEL ((SEG_UDATA << 3) | DPL_USER)
#define TSS_SEL   (SEG_TSS << 3)

/* ---- EFLAGS ---- */
#define FL_IF 0x00000200

#ifndef __ASSEMBLER__
#include <stdint.h>
typedef uint32_t pde_t;
typedef uint32_t pte_t;

/* A segment descriptor (SDM 3.4.5), built field by field by SEG() in gdt.c. */
struct segdesc {
  uint32_t lim_15_0 : 16;
  uint32_t base_15_0 : 16;
  uint32_t base_23_16 : 8;
  uint32_t type : 4;
  uint32_t s : 1;          /* 0 = system (TSS, gates), 1 = code/data */
  uint32_t dpl : 2;
  uint32_t p : 1;
  uint32_t lim_19_16 : 4;
  uint32_t avl : 1;
  uint32_t rsv1 : 1;
  uint32_t db : 1;         /* 1 = 32-bit segment */
  uint32_t g : 1;          /* limit in 4 KiB units */
  uint32_t base_31_24 : 8;
};

/* A 32-bit task state segment (SDM 7.2.1); only ss0:esp0 matter, for ring 3 -> 0 entries. */
struct taskstate {
  uint32_t link, esp0;
  uint16_t ss0, pad0;
  uint32_t esp1;
  uint16_t ss1, pad1;
  uint32_t esp2;
  uint16_t ss2, pad2;
  uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
  uint16_t es, pad3, cs, pad4, ss, pad5, ds, pad6, fs, pad7, gs, pad8, ldt, pad9;
  uint16_t trap, iomb;     /* iomb beyond the limit: every I/O port faults in ring 3 */
};

/* An interrupt or trap gate (SDM 6.11). */
struct gatedesc {
  uint32_t off_15_0 : 16;
  uint32_t cs : 16;
  uint32_t args : 5;
  uint32_t rsv1 : 3;
  uint32_t type : 4;       /* STS_IG32 or STS_TG32 */
  uint32_t s : 1;
  uint32_t dpl : 2;        /* the lowest CPL that may reach it with INT n */
  uint32_t p : 1;
  uint32_t off_31_16 : 16;
};
#endif

#define STA_X 0x8      /* executable */
#define STA_W 0x2      /* writable (data) */
#define STA_R 0x2      /* readable (code) */
#define STS_T32A 0x9   /* available 32-bit TSS */
#define STS_IG32 0xE   /* interrupt gate: clears IF on entry */
#define STS_TG32 0xF   /* trap gate: leaves IF alone */
