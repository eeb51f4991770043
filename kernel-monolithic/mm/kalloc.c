/* kalloc.c: the physical page allocator: a bitmap of free 4 KiB pages built from the multiboot memory map.
 * Pages are handed out by their direct-map (kernel virtual) address. A bitmap rather than xv6's free
 * list because kallocn() must find physically contiguous runs (kernel stacks, module images).
 * Note: kfree() is the kmalloc heap's; pages go back with kfreepage(). */
#include "defs.h"
#include "module.h"
#include "param.h"

#define MAXPAGES (PHYSTOP / PGSIZE)

static uint32_t freemap[MAXPAGES / 32];   /* bit set = page free */
static uint8_t pageref[MAXPAGES];         /* users of an allocated page: 1, or more when fork shares it */
static uint32_t npages;                   /* pages below the top of RAM */
static uint32_t nfree;
static uint32_t rover;                    /* next-fit start, in 32-page words */

static bool isfree(uint32_t pn) { return freemap[pn / 32] & (1u << (pn % 32)); }
static void setfree(uint32_t pn) { freemap[pn / 32] |= 1u << (pn % 32); nfree++; }
static void setused(uint32_t pn) { freemap[pn / 32] &= ~(1u << (pn % 32)); nfree--; }

/* Marks pages [pn, end) free, skipping those already free (memory map entries may overlap). A
 * whole 32-page word with no free page is set at once: page by page, kinit alone took about 20
 * instructions per page of RAM, most of the boot to the prompt (docs/performance.md, "Start-up"). */
static void freerange(uint32_t pn, uint32_t end) {
  while (pn < end) {
    if (pn % 32 == 0 && pn + 32 <= end && freemap[pn / 32] == 0) {
      freemap[pn / 32] = ~0u;
      nfree += 32;
      pn += 32;
      continue;
    }
    if (!isfree(pn))
      setfree(pn);
    pn++;
  }
}

/* Frees every page of available RAM above the kernel image and the boot modules. Memory below
 * 1 MiB is never used: it holds the BIOS data, the multiboot structures and the VGA buffer. */
void kinit(void) {
  uint32_t top = boot_ramtop();
  uint32_t low = MAX(boot_reserved_end(), (uint32_t)EXTMEM);
  npages = top / PGSIZE;
  for (int i = 0; i < boot_mmap_count(); i++) {
    uint64_t base, len;
    uint32_t type;
    boot_mmap_entry(i, &base, &len, &type);
    if (type != 1)
      continue;
    uint64_t s = (base + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
    uint64_t e = (base + len) & ~(uint64_t)(PGSIZE - 1);
    s = s < low ? low : s;
    e = e > top ? top : e;
    freerange(s / PGSIZE, e / PGSIZE);
  }
}

/* Finds n free pages in a row (first fit from the rover); returns the first page number or -1. */
static int64_t findrun(uint32_t n) {
  uint32_t nwords = (npages + 31) / 32;
  for (uint32_t k = 0; k < nwords; k++) {
    uint32_t w = (rover + k) % nwords;
    if (freemap[w] == 0)
      continue;
    for (uint32_t pn = w * 32; pn < w * 32 + 32; pn++) {
      uint32_t run = 0;
      while (run < n && pn + run < npages && isfree(pn + run))
        run++;
      if (run == n) {
        rover = w;
        return pn;
      }
    }
  }
  return -1;
}

/* Returns n zeroed, physically contiguous pages, or 0 when memory is exhausted. */
void *kallocn(int n) {
  int64_t pn = findrun(n);
  if (pn < 0)
    return 0;
  for (int i = 0; i < n; i++) {
    setused(pn + i);
    pageref[pn + i] = 1;
  }
  void *p = P2V(pn * PGSIZE);
  memset(p, 0, n * PGSIZE);
  return p;
}

void *kalloc(void) {
  return kallocn(1);
}

void kfreepages(void *p, int n) {
  uint32_t pa = V2P(p);
  if ((pa & (PGSIZE - 1)) || pa < EXTMEM || pa / PGSIZE + n > npages)
    panic("kfreepages: bad page %p", p);
  for (int i = 0; i < n; i++) {
    if (isfree(pa / PGSIZE + i))
      panic("kfreepages: double free of %p", (char *)p + i * PGSIZE);
    if (pageref[pa / PGSIZE + i] > 1)
      panic("kfreepages: %p is still shared", (char *)p + i * PGSIZE);
    pageref[pa / PGSIZE + i] = 0;
    setfree(pa / PGSIZE + i);
  }
}

void kfreepage(void *p) {
  kfreepages(p, 1);
}

/* Reference counts for user pages that fork shares copy-on-write (mm/vm.c). */
void page_get(void *p) {
  pageref[V2P(p) / PGSIZE]++;
}

int page_refs(void *p) {
  return pageref[V2P(p) / PGSIZE];
}

/* Drops one user of the page; the last one frees it. */
void page_put(void *p) {
  uint32_t pn = V2P(p) / PGSIZE;
  if (pageref[pn] == 0)
    panic("page_put: %p is not allocated", p);
  if (--pageref[pn] == 0) {
    pageref[pn] = 1;                 /* kfreepages expects an owned page */
    kfreepages(p, 1);
  }
}

uint32_t kfreecount(void) {
  return nfree;
}

EXPORT_SYMBOL(kalloc);
EXPORT_SYMBOL(kallocn);
EXPORT_SYMBOL(kfreepage);
EXPORT_SYMBOL(kfreepages);
