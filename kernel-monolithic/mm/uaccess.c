/* uaccess.c: copying to and from user memory by walking the page tables in software, so a bad
 * user pointer becomes -EFAULT instead of a kernel page fault. */
#include "defs.h"
#include "proc.h"

/* The kernel (direct-map) address of user address va, if the page is present, user-accessible
 * and (for writes) writable; else 0. */
static char *uva2ka(pde_t *pgdir, uaddr_t va, bool write) {
  if (va >= KERNBASE)
    return 0;
  pde_t pde = pgdir[PDX(va)];
  if ((pde & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
    return 0;
  pte_t pte = ((pte_t *)P2V(PTE_ADDR(pde)))[PTX(va)];
  if (write && (pte & PTE_COW) && cow_fault(pgdir, va) == 0)
    pte = ((pte_t *)P2V(PTE_ADDR(pde)))[PTX(va)];   /* the kernel writes for the user: copy first */
  if ((pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U) || (write && !(pte & PTE_W)))
    return 0;
  return (char *)P2V(PTE_ADDR(pte)) + (va & (PGSIZE - 1));
}

int copyout(pde_t *pgdir, uaddr_t dst, const void *src, uint32_t n) {
  const char *s = src;
  while (n > 0) {
    char *k = uva2ka(pgdir, dst, true);
    if (!k)
      return -EFAULT;
    uint32_t chunk = MIN(n, PGSIZE - (dst & (PGSIZE - 1)));
    memmove(k, s, chunk);
    n -= chunk;
    s += chunk;
    dst += chunk;
  }
  return 0;
}

int copyin(pde_t *pgdir, void *dst, uaddr_t src, uint32_t n) {
  char *d = dst;
  while (n > 0) {
    char *k = uva2ka(pgdir, src, false);
    if (!k)
      return -EFAULT;
    uint32_t chunk = MIN(n, PGSIZE - (src & (PGSIZE - 1)));
    memmove(d, k, chunk);
    n -= chunk;
    d += chunk;
    src += chunk;
  }
  return 0;
}

/* Copies a NUL-terminated string of at most max bytes (NUL included); returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within max bytes. */
int copyinstr(pde_t *pgdir, char *dst, uaddr_t src, uint32_t max) {
  for (uint32_t i = 0; i < max; i++) {
    char *k = uva2ka(pgdir, src + i, false);
    if (!k)
      return -EFAULT;
    dst[i] = *k;
    if (*k == 0)
      return i;
  }
  return -ENAMETOOLONG;
}

int put_user32(uaddr_t dst, uint32_t v) {
  return copyout(curproc->pgdir, dst, &v, sizeof(v));
}

int get_user32(uint32_t *dst, uaddr_t src) {
  return copyin(curproc->pgdir, dst, src, sizeof(*dst));
}

/* The cheap up-front check (Linux's access_ok): [va, va+n) lies in user space. Syscalls that may
 * sleep before copying use it so a bad pointer fails at once; copyin/copyout still check pages. */
bool uaccess_ok(uaddr_t va, uint32_t n) {
  return va + n >= va && va + n <= KERNBASE;
}
