/* mdb.c: the mapping database. Every user page mapping is a node in a tree per physical frame:
 * the root is where the frame entered user space (sigma0's 1:1 mapping, or a boot image page),
 * each child was mapped on from its parent. Unmap walks the subtree, so revocation is recursive;
 * a node's rights are always a subset of its parent's (they can only shrink along a chain).
 * For every page table a space keeps a parallel page of node pointers, so (space, address)
 * finds its node in two array lookups. */
#include "kernel.h"
#include "libkern/string.h"

#define NNODES 16384
#define MAX_DEPTH 24                     /* revoke() recurses once per level on a 4 KiB kernel stack */
static struct mapnode nodes[NNODES];
static struct mapnode *freenodes;

uint32_t msg_word(struct tcb *t, int i);

void mdb_init(void) {
  for (int i = NNODES - 1; i >= 0; i--) {
    nodes[i].sibling = freenodes;
    freenodes = &nodes[i];
  }
}

static struct mapnode **slot(struct space *s, uint32_t va, bool create) {
  struct mapnode ***tab = &s->nodes[PDX(va)];
  if (!*tab) {
    if (!create || !(*tab = page_alloc()))
      return NULL;
  }
  return &(*tab)[PTX(va)];
}

static struct mapnode *node_at(struct space *s, uint32_t va) {
  struct mapnode **sl = slot(s, va, false);
  return sl ? *sl : NULL;
}

/* x86 pages are readable whenever present: R or X makes a page present, W makes it writable. */
static bool set_pte(struct space *s, uint32_t va, uint32_t frame, uint8_t rights) {
  uint32_t *pte = pte_lookup(s, va, true);
  if (!pte)
    return false;
  *pte = frame | PTE_P | PTE_U | ((rights & 2) ? PTE_W : 0);
  if (rcr3() == V2P(s->pgdir))
    invlpg(va);
  return true;
}

static void clear_pte(struct space *s, uint32_t va) {
  uint32_t *pte = pte_lookup(s, va, false);
  if (pte)
    *pte = 0;
  if (rcr3() == V2P(s->pgdir))
    invlpg(va);
}

static struct mapnode *node_new(struct space *s, uint32_t va, uint32_t frame, uint8_t rights) {
  struct mapnode **sl = slot(s, va, true);
  struct mapnode *n = freenodes;
  if (!sl || !n || !set_pte(s, va, frame, rights))
    return NULL;
  freenodes = n->sibling;
  *n = (struct mapnode){ s, va, frame, rights, NULL, NULL, NULL };
  *sl = n;
  return n;
}

static void unlink_child(struct mapnode *n) {
  if (!n->parent)
    return;
  struct mapnode **pp = &n->parent->child;
  while (*pp != n)
    pp = &(*pp)->sibling;
  *pp = n->sibling;
  n->parent = NULL;
}

/* Remove `rights` from n and its whole subtree; without R the mapping is gone. */
static void revoke(struct mapnode *n, uint8_t rights) {
  for (struct mapnode *c = n->child, *next; c; c = next) {
    next = c->sibling;
    revoke(c, rights);
  }
  if (rights & 4) {
    unlink_child(n);
    for (struct mapnode *c = n->child, *next; c; c = next) {   /* children left: none, all revoked */
      next = c->sibling;
      c->parent = NULL;
    }
    clear_pte(n->space, n->va);
    *slot(n->space, n->va, false) = NULL;
    n->sibling = freenodes;
    freenodes = n;
  } else {
    n->rights &= ~rights;
    set_pte(n->space, n->va, n->frame, n->rights);
  }
}

bool mdb_insert_root(struct space *s, uint32_t va, uint32_t frame, uint8_t rights) {
  return node_new(s, va, frame, rights) != NULL;
}

/* sigma0 owns conventional memory 1:1; its mappings appear when first touched or mapped on. */
bool sigma0_identity(struct space *s, uint32_t va) {
  va &= ~(PGSIZE - 1);
  if (!s->sigma0 || va < pool_end() || va >= kip->mem[1].high)
    return false;
  return node_at(s, va) || node_new(s, va, va, 7);
}

static int depth(struct mapnode *n) {
  int d = 0;
  for (; n->parent; n = n->parent)
    d++;
  return d;
}

static bool is_ancestor(struct mapnode *a, struct mapnode *n) {
  for (; n; n = n->parent)
    if (n == a)
      return true;
  return false;
}

/* Map (or grant) one page. Returns false when nothing was mapped. */
int mdb_map(struct space *from, uint32_t sva, struct space *to, uint32_t dva, uint8_t rights, bool grant) {
  sigma0_identity(from, sva);
  struct mapnode *src = node_at(from, sva);
  if (!src || !(rights &= src->rights) || (!grant && depth(src) >= MAX_DEPTH))
    return 0;
  struct mapnode *old = node_at(to, dva);
  if (old == src)
    return 1;
  if (old) {
    if (is_ancestor(old, src))
      return 0;                          /* would revoke the page being mapped */
    revoke(old, 7);
  }
  if (grant) {
    *slot(from, sva, false) = NULL;
    clear_pte(from, sva);
    struct mapnode **sl = slot(to, dva, true);
    if (!sl || !set_pte(to, dva, src->frame, rights)) {
      revoke(src, 7);
      return 0;
    }
    src->space = to;
    src->va = dva;
    src->rights = rights;
    *sl = src;
    return 1;
  }
  struct mapnode *n = node_new(to, dva, src->frame, rights);
  if (!n)
    return 0;
  n->parent = src;
  n->sibling = src->child;
  src->child = n;
  return 1;
}

void mdb_unmap(struct space *s, uint32_t va, uint8_t rights, bool flush) {
  struct mapnode *n = node_at(s, va);
  if (!n)
    return;
  if (flush) {
    revoke(n, rights);
    return;
  }
  for (struct mapnode *c = n->child, *next; c; c = next) {
    next = c->sibling;
    revoke(c, rights);
  }
}

uint32_t mdb_probe(struct space *s, uint32_t va) {
  struct mapnode *n = node_at(s, va);
  return n ? (n->frame | n->rights) : 0;
}

static void dump(struct mapnode *n, int level) {
  for (; n; n = n->sibling) {
    uint32_t tid = 0;
    for (int i = L4_NIRQ; i < L4_MAXTHREADS && !tid; i++)
      if (tcbs[i].space == n->space && (tcbs[i].state != T_FREE && tcbs[i].state != T_DEAD))
        tid = i;
    kprintf("mdb:");
    for (int i = 0; i < level; i++)
      kprintf("  ");
    kprintf("%s %08x %c%c%c\n", tid ? tcbs[tid].name : "?", n->va, n->rights & 4 ? 'r' : '-',
            n->rights & 2 ? 'w' : '-', n->rights & 1 ? 'x' : '-');
    dump(n->child, level + 1);
  }
}

/* The mapping tree of the frame mapped at (s, va), from its root: for teaching and debugging. */
void mdb_dump(struct space *s, uint32_t va) {
  struct mapnode *n = node_at(s, va & ~(PGSIZE - 1));
  if (!n) {
    kprintf("mdb: nothing mapped at %08x\n", va);
    return;
  }
  while (n->parent)
    n = n->parent;
  kprintf("mdb: frame %08x, mapped by (space of) thread, at address, rights:\n", n->frame);
  struct mapnode *next = n->sibling;
  n->sibling = NULL;                     /* print the root alone, not the root's siblings */
  dump(n, 1);
  n->sibling = next;
}

void mdb_flush_space(struct space *s) {
  for (uint32_t i = 0; i < PDX(L4_USER_TOP); i++) {
    if (!s->nodes[i])
      continue;
    for (int j = 0; j < 1024; j++)
      if (s->nodes[i][j])
        revoke(s->nodes[i][j], 7);
  }
}

/* An fpage as [base, base + 2^size); the complete address space is size 32. */
static bool fpage_decode(uint32_t raw, uint32_t *base, int *size) {
  int s = (raw >> 4) & 0x3F;
  if (s == 1)
    s = 32;
  if (s < 12 || s > 32)
    return false;
  uint64_t mask = ((uint64_t)1 << s) - 1;
  *base = (uint32_t)(raw & ~0x3FFu & ~mask);
  *size = s;
  return true;
}

/* The typed items MR[first..first+count) of src's message: map or grant them into dst through
 * its receive window. Returns 0, or an IPC error code. */
int map_fpage_items(struct tcb *src, struct tcb *dst, uint32_t window, int first, int count) {
  uint32_t wbase;
  int wsize;
  if (!fpage_decode(window, &wbase, &wsize))
    return L4_ERR_OVERFLOW;              /* typed items, but the receiver accepts none */
  for (int i = first; i + 1 < first + count && i + 1 <= 63; i += 2) {
    uint32_t hot = msg_word(src, i), raw = msg_word(src, i + 1);
    uint32_t type = hot & 0xE;
    uint32_t fbase;
    int fsize;
    if (type != L4_ITEM_MAP && type != L4_ITEM_GRANT)
      return L4_ERR_OVERFLOW;            /* string items are not supported */
    if (!fpage_decode(raw, &fbase, &fsize))
      continue;                          /* the nil fpage maps nothing */
    uint64_t len, sbase, dbase;
    if (fsize <= wsize) {                /* the whole fpage lands inside the window */
      len = (uint64_t)1 << fsize;
      sbase = fbase;
      dbase = wbase + ((hot & (((uint64_t)1 << wsize) - 1)) & ~(len - 1));
    } else {                             /* only the window-sized part around the hot spot */
      len = (uint64_t)1 << wsize;
      sbase = fbase + ((hot & (((uint64_t)1 << fsize) - 1)) & ~(len - 1));
      dbase = wbase;
    }
    for (uint64_t off = 0; off < len; off += PGSIZE) {
      if (sbase + off >= L4_USER_TOP || dbase + off >= L4_USER_TOP)
        break;
      mdb_map(src->space, (uint32_t)(sbase + off), dst->space, (uint32_t)(dbase + off), raw & 7,
              type == L4_ITEM_GRANT);
    }
  }
  return 0;
}

/* Unmap(control): fpages in MR0..MRk of the caller's UTCB. */
void sys_unmap(struct trapframe *tf) {
  int k = tf->eax & 0x3F;
  bool flush = tf->eax & L4_UNMAP_FLUSH;
  for (int i = 0; i <= k; i++) {
    uint32_t raw = cur->utcb->mr[i], base;
    int size;
    if (!fpage_decode(raw, &base, &size))
      continue;
    uint64_t top = (uint64_t)base + ((uint64_t)1 << size);
    if (top > L4_USER_TOP)
      top = L4_USER_TOP;
    for (uint64_t va = base; va < top; va += PGSIZE) {
      if (!cur->space->nodes[PDX(va)]) {
        va = (va | ((4u << 20) - 1)) + 1 - PGSIZE;   /* no mappings in this 4 MiB: skip it */
        continue;
      }
      mdb_unmap(cur->space, (uint32_t)va, raw & 7, flush);
    }
  }
}
