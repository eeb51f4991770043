/* vm.c: page directories: the kernel's direct map of RAM (4 MiB pages) and per-process user address spaces. */
#include "defs.h"
#include "proc.h"
#include "x86.h"

/* The kernel half [KERNBASE, 4 GiB) of every page directory is a copy of kpgdir's: 4 MiB pages
 * mapping physical [0, ramtop) at KERNBASE. Since those PDEs point at no page tables, copying
 * them shares the whole kernel mapping. (Later: a kernel area with 4 KiB pages, e.g. for W^X
 * module text, must preallocate its page tables so that the copies stay in sync.) */
static pde_t kpgdir_store[NPDENTRIES] __attribute__((aligned(PGSIZE)));
pde_t *kpgdir;

/* The module area's page tables exist from the start and never change address, so the PDEs
 * that setupkvm copies into every page directory stay valid: mapping a module page is visible
 * in all address spaces at once. */
static pte_t modpt[MODSIZE / BIGPGSIZE][NPTENTRIES] __attribute__((aligned(PGSIZE)));

void kvminit(void) {
  uint32_t top = MAX(boot_ramtop(), 16u << 20);
  kpgdir = kpgdir_store;
  for (uint32_t pa = 0; pa < top && pa < PHYSTOP; pa += BIGPGSIZE)
    kpgdir[PDX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PTE_PS;
  for (uint32_t i = 0; i < MODSIZE / BIGPGSIZE; i++)
    kpgdir[PDX(MODBASE) + i] = V2P(modpt[i]) | PTE_P | PTE_W;
  switchkvm();
}

static pte_t *modpte(uint32_t va) {
  return &modpt[(va - MODBASE) / BIGPGSIZE][PTX(va)];
}

/* Maps npages physical pages from pa at a free place in the module area, writable; returns
 * the virtual address, or 0 when the area is full. */
uint32_t modarea_map(uint32_t pa, int npages) {
  for (uint32_t va = MODBASE; va + npages * PGSIZE <= MODBASE + MODSIZE; va += PGSIZE) {
    int n = 0;
    while (n < npages && !(*modpte(va + n * PGSIZE) & PTE_P))
      n++;
    if (n < npages) {
      va += n * PGSIZE;           /* skip past the page in use */
      continue;
    }
    for (int i = 0; i < npages; i++)
      *modpte(va + i * PGSIZE) = (pa + i * PGSIZE) | PTE_P | PTE_W;
    return va;
  }
  return 0;
}

/* Makes [va, va + npages pages) read-only (text and read-only data, once relocated). With
 * CR0.WP set, a kernel write there then faults. (IA-32 without PAE has no no-execute bit.) */
void modarea_protect(uint32_t va, int npages) {
  for (int i = 0; i < npages; i++) {
    *modpte(va + i * PGSIZE) &= ~PTE_W;
    invlpg(va + i * PGSIZE);
  }
}

void modarea_unmap(uint32_t va, int npages) {
  for (int i = 0; i < npages; i++) {
    *modpte(va + i * PGSIZE) = 0;
    invlpg(va + i * PGSIZE);
  }
}

void switchkvm(void) {
  lcr3(V2P(kpgdir));
}

/* Makes p's address space current and points the TSS at its kernel stack, for traps from ring 3. */
void switchuvm(struct proc *p) {
  tss_set_kstack((uint32_t)p->kstack + KSTACKSIZE);
  gdt_set_tls(p->tls);
  lcr3(V2P(p->pgdir));
}

/* A new page directory with the kernel half filled in and an empty user half. */
pde_t *setupkvm(void) {
  pde_t *pgdir = kalloc();
  if (!pgdir)
    return 0;
  for (int i = PDX(KERNBASE); i < NPDENTRIES; i++)
    pgdir[i] = kpgdir[i];
  return pgdir;
}

/* The PTE for user address va, allocating its page table if 'alloc'; 0 if absent. */
pte_t *walkpgdir(pde_t *pgdir, uaddr_t va, bool alloc) {
  if (va >= KERNBASE)
    return 0;
  pde_t *pde = &pgdir[PDX(va)];
  if (!(*pde & PTE_P)) {
    pte_t *pt;
    if (!alloc || !(pt = kalloc()))
      return 0;
    /* the PDE grants everything; the PTEs decide (the CPU ANDs the two levels' U and W) */
    *pde = V2P(pt) | PTE_P | PTE_W | PTE_U;
  }
  return (pte_t *)P2V(PTE_ADDR(*pde)) + PTX(va);
}

/* Maps [va, va+size) to [pa, pa+size); va and size page-aligned. Returns 0 or -ENOMEM. */
int mappages(pde_t *pgdir, uaddr_t va, uint32_t size, uint32_t pa, int perm) {
  for (uint32_t off = 0; off < size; off += PGSIZE) {
    pte_t *pte = walkpgdir(pgdir, va + off, true);
    if (!pte)
      return -ENOMEM;
    if (*pte & PTE_P)
      panic("mappages: %x already mapped", va + off);
    *pte = (pa + off) | perm | PTE_P;
  }
  return 0;
}

/* Ensures every page that [start, end) touches is mapped, with fresh zeroed pages where none is.
 * A page already present gets 'perm' added (two ELF segments may share a page). */
int allocuvm(pde_t *pgdir, uaddr_t start, uaddr_t end, int perm) {
  if (end > KERNBASE || start > end)
    return -ENOMEM;
  for (uaddr_t a = PGROUNDDOWN(start); a < end; a += PGSIZE) {
    pte_t *pte = walkpgdir(pgdir, a, true);
    if (!pte)
      return -ENOMEM;
    if (*pte & PTE_P) {
      *pte |= (*pte & PTE_COW) ? perm & ~PTE_W : perm;   /* a shared page stays read-only */
      continue;
    }
    void *page = kalloc();
    if (!page)
      return -ENOMEM;
    *pte = V2P(page) | perm | PTE_P;
  }
  return 0;
}

/* Unmaps and frees the pages in [PGROUNDUP(start), end). */
void deallocuvm(pde_t *pgdir, uaddr_t start, uaddr_t end) {
  for (uaddr_t a = PGROUNDUP(start); a < end && a < KERNBASE; a += PGSIZE) {
    pte_t *pte = walkpgdir(pgdir, a, false);
    if (!pte) {
      a = (a | (BIGPGSIZE - 1)) + 1 - PGSIZE;   /* no page table: skip its 4 MiB */
      continue;
    }
    if (*pte & PTE_P) {
      page_put(P2V(PTE_ADDR(*pte)));
      *pte = 0;
    }
  }
  if (pgdir == (pde_t *)P2V(rcr3()))
    lcr3(rcr3());                        /* flush the stale TLB entries */
}

/* Frees a whole address space: user pages, page tables and the directory itself. */
void freevm(pde_t *pgdir) {
  for (int i = 0; i < PDX(KERNBASE); i++) {
    if (!(pgdir[i] & PTE_P))
      continue;
    pte_t *pt = P2V(PTE_ADDR(pgdir[i]));
    for (int j = 0; j < NPTENTRIES; j++)
      if (pt[j] & PTE_P)
        page_put(P2V(PTE_ADDR(pt[j])));
    kfreepage(pt);
  }
  kfreepage(pgdir);
}

/* A copy of the user half of pgdir (fork), copy-on-write: both sides map the same pages, the
 * writable ones made read-only and marked PTE_COW; the first write to one takes a private copy
 * (cow_fault). Only the page tables are new. */
pde_t *copyuvm(pde_t *pgdir) {
  pde_t *d = setupkvm();
  if (!d)
    return 0;
  for (int i = 0; i < PDX(KERNBASE); i++) {
    if (!(pgdir[i] & PTE_P))
      continue;
    pte_t *pt = P2V(PTE_ADDR(pgdir[i]));
    for (int j = 0; j < NPTENTRIES; j++) {
      if (!(pt[j] & PTE_P))
        continue;
      if (pt[j] & PTE_W)
        pt[j] = (pt[j] & ~PTE_W) | PTE_COW;
      uaddr_t va = ((uint32_t)i << PDXSHIFT) | ((uint32_t)j << PGSHIFT);
      if (mappages(d, va, PGSIZE, PTE_ADDR(pt[j]), pt[j] & 0xFFF & ~PTE_P) < 0) {
        freevm(d);
        d = 0;
        goto out;
      }
      page_get(P2V(PTE_ADDR(pt[j])));
    }
  }
out:
  if (pgdir == (pde_t *)P2V(rcr3()))
    lcr3(rcr3());                        /* the parent's writable entries just became read-only */
  return d;
}

/* A write to a copy-on-write page at va: the writer gets its own copy, or the page itself when
 * no one else shares it any more. 0 when resolved, -EFAULT if va is not such a page (a real
 * fault), -ENOMEM. */
int cow_fault(pde_t *pgdir, uaddr_t va) {
  pte_t *pte = walkpgdir(pgdir, va, false);
  if (!pte || (*pte & (PTE_P | PTE_U | PTE_COW)) != (PTE_P | PTE_U | PTE_COW))
    return -EFAULT;
  char *page = P2V(PTE_ADDR(*pte));
  if (page_refs(page) > 1) {
    char *copy = kalloc();
    if (!copy)
      return -ENOMEM;
    memmove(copy, page, PGSIZE);
    *pte = V2P(copy) | (*pte & 0xFFF);
    page_put(page);
  }
  *pte = (*pte | PTE_W) & ~PTE_COW;
  if (pgdir == (pde_t *)P2V(rcr3()))
    invlpg(PGROUNDDOWN(va));
  return 0;
}
