/* mem.c: physical pages for the kernel's own use (a pool carved out at boot; everything above it
 * belongs to sigma0), the kernel's direct map, address spaces as page directories, and the KIP.
 *
 * Virtual layout of every space:
 *   0x00000000 - 0xBEFFFFFF  user mappings (map/grant items, page faults, boot images)
 *   0xBF000000 - 0xBF07FFFF  UTCBs, one page per thread number (kernel-owned, user R/W)
 *   0xBFF00000               the KIP (kernel-owned, user read-only)
 *   0xC0000000 -             physical memory 1:1 (4 MiB global pages), kernel only */
#include "kernel.h"
#include "libkern/string.h"

struct freepage { struct freepage *next; };
static struct freepage *freelist;
static uint32_t pool_lo, pool_hi;
static uint32_t *kpgdir;
static uint32_t *kip_pt;                 /* the page table holding the KIP, shared by every space */
uint32_t kernel_pgdir_pa;
struct l4_kip *kip;
static int pool_free_pages;

extern char end[];

void *page_alloc(void) {
  struct freepage *p = freelist;
  if (!p)
    return NULL;
  freelist = p->next;
  pool_free_pages--;
  memset(p, 0, PGSIZE);
  return p;
}

void page_free(void *p) {
  struct freepage *f = p;
  f->next = freelist;
  freelist = f;
  pool_free_pages++;
}

uint32_t pool_end(void) { return pool_hi; }

/* phys_top: end of usable RAM; reserved_end: end of the kernel image and the boot modules.
 * The pool takes a quarter of what is left (at most 16 MiB): page tables, kernel stacks, UTCBs,
 * mapping nodes and the boot tasks' images. */
void mem_init(uint32_t phys_top, uint32_t reserved_end) {
  if (phys_top > 0x38000000)
    phys_top = 0x38000000;               /* the direct map ends at 0xF8000000 */
  pool_lo = PGROUNDUP(reserved_end);
  uint32_t size = (phys_top - pool_lo) / 4;
  if (size > 16u << 20)
    size = 16u << 20;
  pool_hi = (pool_lo + size) & ~(PGSIZE - 1);

  /* the direct map must cover the pool before the pool can be used: the boot directory maps 16 MiB */
  static uint32_t pgdir_storage[1024] __attribute__((aligned(4096)));
  kpgdir = pgdir_storage;
  lcr4(rcr4() | CR4_PSE | CR4_PGE);
  for (uint32_t pa = 0; pa < phys_top; pa += 4u << 20)
    kpgdir[PDX(KERNBASE + pa)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G;
  kernel_pgdir_pa = V2P(kpgdir);
  lcr3(kernel_pgdir_pa);
  for (uint32_t pa = pool_hi - PGSIZE; pa >= pool_lo; pa -= PGSIZE)
    page_free(P2V(pa));

  kip = page_alloc();
  kip_pt = page_alloc();
  kip_pt[PTX(L4_KIP_ADDR)] = V2P(kip) | PTE_P | PTE_U;
  kip->nmem = 0;
  kip->mem[kip->nmem++] = (struct l4_memdesc){ 0, pool_hi, L4_MEM_KERNEL };
  kip->mem[kip->nmem++] = (struct l4_memdesc){ pool_hi, phys_top, L4_MEM_CONVENTIONAL };
}

void kip_init(void) {
  kip->magic = L4_KIP_MAGIC;
  kip->api_version = L4_API_VERSION;
  kip->kernel_id = 0x6A783836;           /* "jx86" */
  kip->user_base = L4_NIRQ;
  kip->utcb_base = L4_UTCB_BASE;
  kip->utcb_size = PGSIZE;
  for (int i = 0; i < 9; i++)
    kip->vectors[i] = L4_VEC_IPC + i;
  kip->tick_us = 10000;
}

struct space *space_create(void) {
  static struct space spaces[L4_MAXTHREADS];
  struct space *s = NULL;
  for (int i = 0; i < L4_MAXTHREADS && !s; i++)
    if (!spaces[i].pgdir)
      s = &spaces[i];
  if (!s || !(s->pgdir = page_alloc()))
    return NULL;
  memcpy(&s->pgdir[PDX(KERNBASE)], &kpgdir[PDX(KERNBASE)], (1024 - PDX(KERNBASE)) * 4);
  s->pgdir[PDX(L4_KIP_ADDR)] = V2P(kip_pt) | PTE_P | PTE_U;
  s->threads = 0;
  s->privileged = s->sigma0 = false;
  s->iobitmap = NULL;
  return s;
}

/* The last thread is gone: its mappings leave the mapping database (which revokes everything
 * mapped on from them), then the page tables go. The caller runs on another CR3. */
void space_destroy(struct space *s) {
  mdb_flush_space(s);
  for (uint32_t i = 0; i < PDX(KERNBASE); i++) {
    if (i == PDX(L4_KIP_ADDR) || !(s->pgdir[i] & PTE_P))
      continue;
    page_free(P2V(s->pgdir[i] & ~0xFFFu));
    if (s->nodes[i]) {
      page_free(s->nodes[i]);
      s->nodes[i] = NULL;
    }
  }
  iobitmap_release(s);
  page_free(s->pgdir);
  s->pgdir = NULL;
}

void space_switch(struct space *s) {
  uint32_t pa = s ? V2P(s->pgdir) : kernel_pgdir_pa;
  if (rcr3() != pa)
    lcr3(pa);
  tss_set_iobitmap(s);
}

/* The page-table entry for va (below KERNBASE), creating the page table (and its node array)
 * when asked; NULL when absent or out of memory. */
uint32_t *pte_lookup(struct space *s, uint32_t va, bool create) {
  uint32_t *pde = &s->pgdir[PDX(va)];
  if (!(*pde & PTE_P)) {
    if (!create)
      return NULL;
    uint32_t *pt = page_alloc();
    if (!pt)
      return NULL;
    *pde = V2P(pt) | PTE_P | PTE_W | PTE_U;
  }
  return (uint32_t *)P2V(*pde & ~0xFFFu) + PTX(va);
}

bool user_range_ok(uint32_t va, uint32_t len) {
  return va < L4_USER_TOP && len <= L4_USER_TOP - va;
}
