/* kheap.c: the kernel heap, kmalloc/kfree: power-of-two size classes carved from pages, page runs for big blocks. */
#include "defs.h"
#include "module.h"

/* Every block starts with a header recording how to free it; 8 bytes keeps payloads 8-aligned. */
struct header {
  uint32_t size;       /* class size in bytes (16..2048), or the page count of a big block */
  uint32_t big;        /* 1 = allocated with kallocn */
};

struct freeblock {
  struct freeblock *next;
};

#define MINSHIFT 4                    /* 16 bytes */
#define MAXSHIFT 11                   /* 2048 bytes: two per page; bigger requests take whole pages */
static struct freeblock *freelist[MAXSHIFT + 1];

/* Splits a fresh page into blocks of 1 << shift bytes. */
static bool refill(int shift) {
  char *page = kalloc();
  if (!page)
    return false;
  for (uint32_t off = 0; off < PGSIZE; off += 1u << shift) {
    struct freeblock *b = (struct freeblock *)(page + off);
    b->next = freelist[shift];
    freelist[shift] = b;
  }
  return true;
}

void *kmalloc(size_t n) {
  size_t total = n + sizeof(struct header);
  struct header *h;
  if (total > (1u << MAXSHIFT)) {
    int pages = PGROUNDUP(total) / PGSIZE;
    h = kallocn(pages);
    if (!h)
      return 0;
    h->size = pages;
    h->big = 1;
    return h + 1;
  }
  int shift = MINSHIFT;
  while ((1u << shift) < total)
    shift++;
  if (!freelist[shift] && !refill(shift))
    return 0;
  h = (struct header *)freelist[shift];
  freelist[shift] = freelist[shift]->next;
  h->size = 1u << shift;
  h->big = 0;
  return h + 1;
}

void *kzalloc(size_t n) {
  void *p = kmalloc(n);
  if (p)
    memset(p, 0, n);
  return p;
}

void kfree(void *p) {
  if (!p)
    return;
  struct header *h = (struct header *)p - 1;
  if (h->big == 1) {
    kfreepages(h, h->size);
    return;
  }
  int shift = MINSHIFT;
  while (shift <= MAXSHIFT && (1u << shift) != h->size)
    shift++;
  if (h->big != 0 || shift > MAXSHIFT)
    panic("kfree: %p was not allocated by kmalloc", p);
  h->big = 0xDEAD;                   /* catches a second kfree of the same block */
  struct freeblock *b = (struct freeblock *)h;
  b->next = freelist[shift];
  freelist[shift] = b;
}

EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kfree);
