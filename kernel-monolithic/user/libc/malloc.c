/* malloc.c: a first-fit allocator over sbrk(2), with coalescing of adjacent free blocks on free. */
#include "libc.h"

struct block {
  size_t size;            /* payload bytes */
  struct block *next;     /* address-ordered list of all blocks */
  int free;
  int pad;
};

static struct block *head;

void *malloc(size_t n) {
  n = (n + 15) & ~(size_t)15;
  struct block *last = 0;
  for (struct block *b = head; b; last = b, b = b->next) {
    if (!b->free || b->size < n)
      continue;
    if (b->size >= n + sizeof(struct block) + 16) {   /* split */
      struct block *rest = (struct block *)((char *)(b + 1) + n);
      rest->size = b->size - n - sizeof(struct block);
      rest->next = b->next;
      rest->free = 1;
      b->next = rest;
      b->size = n;
    }
    b->free = 0;
    return b + 1;
  }
  struct block *b = sbrk(sizeof(struct block) + n);
  if (b == (void *)-1)
    return 0;
  b->size = n;
  b->next = 0;
  b->free = 0;
  if (last)
    last->next = b;
  else
    head = b;
  return b + 1;
}

void free(void *p) {
  if (!p)
    return;
  ((struct block *)p - 1)->free = 1;
  for (struct block *b = head; b; b = b->next)
    while (b->free && b->next && b->next->free &&
           (char *)(b + 1) + b->size == (char *)b->next) {
      b->size += sizeof(struct block) + b->next->size;
      b->next = b->next->next;
    }
}
