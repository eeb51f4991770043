/* mmap.c: mmap2(2), munmap(2) and mprotect(2) for single-threaded processes: anonymous and
 * private file mappings, each a run of ordinary private pages. Mappings live in
 * [MMAP_BASE, MMAP_TOP), between the heap's limit and the stack; the page tables are the only
 * record (no VMA list), so a mapping is found free by looking for absent pages, and fork's
 * copy-on-write covers mappings as it covers the heap. A file mapping is a copy of the file's
 * bytes at mmap time: MAP_SHARED file mappings are refused (-EINVAL) until there is a page cache. */
#include "defs.h"
#include "proc.h"
#include "file.h"
#include "fs.h"

#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

static bool page_present(pde_t *pgdir, uaddr_t va) {
  pte_t *pte = walkpgdir(pgdir, va, false);
  return pte && (*pte & PTE_P);
}

/* The lowest free run of len bytes (page multiple) in the mapping area, or 0. */
static uaddr_t find_free(pde_t *pgdir, uint32_t len) {
  uaddr_t start = MMAP_BASE;
  for (uaddr_t a = MMAP_BASE; a < MMAP_TOP;) {
    if (a - start >= len)
      return start;
    if (!(pgdir[PDX(a)] & PTE_P)) {             /* a whole page table's range is free */
      a = (a | (BIGPGSIZE - 1)) + 1;
      continue;
    }
    if (page_present(pgdir, a))
      start = a + PGSIZE;
    a += PGSIZE;
  }
  return MMAP_TOP - start >= len ? start : 0;
}

/* Page permissions for prot: i386 pages cannot be write-only or execute-only, and PROT_NONE
 * pages stay mapped but out of ring 3's reach (no PTE_U). */
static int prot_perm(int prot) {
  if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
    return 0;
  return PTE_U | ((prot & PROT_WRITE) ? PTE_W : 0);
}

/* Sets the permission of every present page in [va, va+len). A copy-on-write page (fork)
 * keeps its write bit off and its COW mark, so a write still takes a private copy first; a
 * known simplification: such a page made read-only can still be written through that copy. */
static void set_perm(pde_t *pgdir, uaddr_t va, uint32_t len, int perm) {
  for (uaddr_t a = va; a < va + len; a += PGSIZE) {
    pte_t *pte = walkpgdir(pgdir, a, false);
    if (!pte || !(*pte & PTE_P))
      continue;
    int p = (*pte & PTE_COW) ? perm & ~PTE_W : perm;
    *pte = (*pte & ~(PTE_U | PTE_W)) | p;
  }
  lcr3(rcr3());                                  /* flush the changed entries */
}

static bool range_ok(uaddr_t va, uint32_t len) {
  return (va & (PGSIZE - 1)) == 0 && len > 0 && va + len > va && va + len <= USTACKTOP;
}

/* Is a hint (addr without MAP_FIXED) usable: page-aligned, inside the mapping area and free? */
static bool hint_free(pde_t *pgdir, uaddr_t va, uint32_t len) {
  if ((va & (PGSIZE - 1)) || va < MMAP_BASE || va + len < va || va + len > MMAP_TOP)
    return false;
  for (uaddr_t a = va; a < va + len; a += PGSIZE)
    if (page_present(pgdir, a))
      return false;
  return true;
}

/* mmap2(addr, length, prot, flags, fd, pgoffset): the offset is in pages */
int sys_mmap2(uaddr_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff) {
  struct proc *p = curproc;
  struct file *f = 0;
  if (len == 0 || (flags & (MAP_SHARED | MAP_PRIVATE)) == 0)
    return -EINVAL;
  len = PGROUNDUP(len);
  if (len == 0)
    return -ENOMEM;
  if (!(flags & MAP_ANONYMOUS)) {
    f = fd >= 0 && fd < NOFILE ? p->ofile[fd] : 0;
    if (!f)
      return -EBADF;
    if (f->type != FD_INODE || S_ISDIR(f->ip->d.i_mode))
      return -ENODEV;
    if ((flags & MAP_SHARED) && (prot & PROT_WRITE))
      return -EINVAL;                            /* no shared writable file pages (see above) */
    if (!f->readable)
      return -EACCES;
  }
  if (len / PGSIZE > kfreecount())
    return -ENOMEM;
  uaddr_t va;
  if (flags & MAP_FIXED) {
    if (!range_ok(addr, len) || addr < PGSIZE)
      return -EINVAL;
    va = addr;
    deallocuvm(p->pgdir, va, va + len);          /* MAP_FIXED replaces what was there */
  } else if (addr && hint_free(p->pgdir, addr, len)) {
    va = addr;                                   /* Linux takes a free hint as it is */
  } else if (!(va = find_free(p->pgdir, len))) {
    return -ENOMEM;
  }
  if (allocuvm(p->pgdir, va, va + len, PTE_U | PTE_W) < 0) {
    deallocuvm(p->pgdir, va, va + len);
    return -ENOMEM;
  }
  if (f) {                                       /* a private copy of the file's bytes */
    uint32_t saved = f->off;
    f->off = pgoff * PGSIZE;
    int r = fileread(f, va, len);
    f->off = saved;
    if (r < 0) {
      deallocuvm(p->pgdir, va, va + len);
      return r;
    }
  }
  set_perm(p->pgdir, va, len, prot_perm(prot));
  return va;
}

/* the old mmap(2) (90): one pointer to the six arguments, the offset in bytes */
int sys_old_mmap(uaddr_t uargs) {
  uint32_t a[6];
  if (copyin(curproc->pgdir, a, uargs, sizeof(a)) < 0)
    return -EFAULT;
  if (a[5] & (PGSIZE - 1))
    return -EINVAL;
  return sys_mmap2(a[0], a[1], a[2], a[3], a[4], a[5] / PGSIZE);
}

int sys_munmap(uaddr_t addr, uint32_t len) {
  if (!range_ok(addr, PGROUNDUP(len)))
    return -EINVAL;
  deallocuvm(curproc->pgdir, addr, addr + PGROUNDUP(len));
  return 0;
}

/* mprotect(2): also used by glibc on its RELRO pages, which belong to the ELF image */
int sys_mprotect(uaddr_t addr, uint32_t len, int prot) {
  len = PGROUNDUP(len);
  if ((addr & (PGSIZE - 1)) || addr + len < addr || addr + len > USTACKTOP)
    return -EINVAL;
  if (len == 0)
    return 0;
  for (uaddr_t a = addr; a < addr + len; a += PGSIZE)
    if (!page_present(curproc->pgdir, a))
      return -ENOMEM;                            /* Linux: part of the range is not mapped */
  set_perm(curproc->pgdir, addr, len, prot_perm(prot));
  return 0;
}
