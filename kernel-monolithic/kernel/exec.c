/* exec.c: replaces the current process's image with a static i386 ELF executable, Linux-style initial stack. */
#include "defs.h"
#include "proc.h"
#include "libkern/elf.h"
#include "fs.h"
#include "file.h"
#include "uapi/auxvec.h"

/* Copies n bytes into pgdir's (already mapped) pages at va, whatever their write permission. */
static void loadbytes(pde_t *pgdir, uaddr_t va, const uint8_t *src, uint32_t n) {
  while (n > 0) {
    pte_t *pte = walkpgdir(pgdir, va, false);
    uint32_t chunk = MIN(n, PGSIZE - (va & (PGSIZE - 1)));
    memmove((char *)P2V(PTE_ADDR(*pte)) + (va & (PGSIZE - 1)), src, chunk);
    n -= chunk;
    src += chunk;
    va += chunk;
  }
}

/* Maps the PT_LOAD segments; returns the first address past the highest one, or -errno. */
static int64_t loadelf(pde_t *pgdir, const uint8_t *img, uint32_t size, struct elfhdr *eh) {
  uint32_t top = 0;
  for (int i = 0; i < eh->phnum; i++) {
    struct proghdr ph;
    uint32_t at = eh->phoff + i * sizeof(ph);
    if (at + sizeof(ph) > size)
      return -ENOEXEC;
    memmove(&ph, img + at, sizeof(ph));
    if (ph.type != PT_LOAD || ph.memsz == 0)
      continue;
    if (ph.filesz > ph.memsz || ph.vaddr + ph.memsz < ph.vaddr || ph.vaddr + ph.memsz > KERNBASE ||
        ph.off + ph.filesz < ph.off || ph.off + ph.filesz > size)
      return -ENOEXEC;
    if (ph.memsz / PGSIZE > kfreecount())
      return -ENOMEM;                   /* fail now rather than after zeroing all free memory */
    int perm = PTE_U | ((ph.flags & PF_W) ? PTE_W : 0);
    if (allocuvm(pgdir, ph.vaddr, ph.vaddr + ph.memsz, perm) < 0)
      return -ENOMEM;
    loadbytes(pgdir, ph.vaddr, img + ph.off, ph.filesz);
    top = MAX(top, ph.vaddr + ph.memsz);
  }
  return top;
}

/* Pushes n bytes below *sp; returns their address, or 0 when the stack is full. */
static uaddr_t pushbytes(pde_t *pgdir, uaddr_t *sp, const void *src, uint32_t n) {
  *sp -= n;
  return copyout(pgdir, *sp, src, n) < 0 ? 0 : *sp;
}

/* The address the program sees its own program headers at (AT_PHDR): inside the PT_LOAD
 * segment whose file bytes include them; 0 if none does. */
static uint32_t phdr_addr(const uint8_t *img, uint32_t size, const struct elfhdr *eh) {
  for (int i = 0; i < eh->phnum; i++) {
    struct proghdr ph;
    if (eh->phoff + (i + 1) * sizeof(ph) > size)
      break;
    memmove(&ph, img + eh->phoff + i * sizeof(ph), sizeof(ph));
    if (ph.type == PT_LOAD && eh->phoff >= ph.off && eh->phoff + eh->phnum * sizeof(ph) <= ph.off + ph.filesz)
      return ph.vaddr + (eh->phoff - ph.off);
  }
  return 0;
}

/* Builds the stack the i386 System V ABI (and Linux) gives a new program, from the top down:
 * the file name (AT_EXECFN), the argument and environment strings, the platform string and 16
 * random bytes (AT_RANDOM), then (16-byte aligned) argc, argv[], 0, envp[], 0, auxv.
 * Returns the initial ESP, or -errno. */
static int64_t setupstack(pde_t *pgdir, const char *path, char *const argv[], char *const envp[],
                          const uint8_t *img, uint32_t size, const struct elfhdr *eh,
                          uaddr_t *arg_start, uaddr_t *arg_end) {
  uint32_t words[1 + (MAXARG + 1) * 2 + 2 * 20];
  uint32_t uargv[MAXARG], uenvp[MAXARG];
  int argc = 0, envc = 0;
  uaddr_t sp = USTACKTOP - 4;           /* Linux ends the stack with a zero word */
  uaddr_t execfn = pushbytes(pgdir, &sp, path, strlen(path) + 1);
  /* the argument strings in ascending order, one block (what /proc/<pid>/cmdline shows) */
  uint32_t total = 0;
  for (; argv && argv[argc]; argc++) {
    if (argc == MAXARG)
      return -E2BIG;
    total += strlen(argv[argc]) + 1;
  }
  sp -= total;
  *arg_start = sp;
  *arg_end = sp + total;
  for (int i = 0, off = 0; i < argc; i++) {
    uargv[i] = sp + off;
    if (copyout(pgdir, sp + off, argv[i], strlen(argv[i]) + 1) < 0)
      return -E2BIG;
    off += strlen(argv[i]) + 1;
  }
  for (; envp && envp[envc]; envc++) {
    if (envc == MAXARG)
      return -E2BIG;
    if (!(uenvp[envc] = pushbytes(pgdir, &sp, envp[envc], strlen(envp[envc]) + 1)))
      return -E2BIG;
  }
  uaddr_t platform = pushbytes(pgdir, &sp, "i686", 5);
  uint8_t rnd[16];
  random_bytes(rnd, sizeof(rnd));
  sp &= ~15u;
  uaddr_t random = pushbytes(pgdir, &sp, rnd, sizeof(rnd));
  if (!execfn || !platform || !random)
    return -E2BIG;
  uint32_t a, b, c, hwcap;
  cpuid(1, &a, &b, &c, &hwcap);         /* Linux's AT_HWCAP on i386: CPUID.1's EDX */
  int n = 0;
  words[n++] = argc;
  for (int i = 0; i < argc; i++)
    words[n++] = uargv[i];
  words[n++] = 0;
  for (int i = 0; i < envc; i++)
    words[n++] = uenvp[i];
  words[n++] = 0;
  const uint32_t aux[][2] = {
    {AT_HWCAP, hwcap}, {AT_PAGESZ, PGSIZE}, {AT_CLKTCK, HZ},
    {AT_PHDR, phdr_addr(img, size, eh)}, {AT_PHENT, sizeof(struct proghdr)}, {AT_PHNUM, eh->phnum},
    {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, eh->entry},
    {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0}, {AT_EGID, 0},   /* everyone is root */
    {AT_SECURE, 0}, {AT_RANDOM, random}, {AT_EXECFN, execfn}, {AT_PLATFORM, platform},
    {AT_NULL, 0},
  };
  for (int i = 0; i < (int)NELEM(aux); i++) {
    words[n++] = aux[i][0];
    words[n++] = aux[i][1];
  }
  sp = (sp - n * 4) & ~15u;
  if (copyout(pgdir, sp, words, n * 4) < 0)
    return -E2BIG;
  return sp;
}

#define MAXEXEC (16u << 20)

static int exec_image(const char *path, const uint8_t *img, uint32_t size, char *const argv[],
                      char *const envp[]);

/* The executable's bytes: from the root file system, else from the boot modules. When they were
 * read into kernel memory, *buf is set and the caller kfree()s it. */
static int load_image(const char *path, const uint8_t **img, uint32_t *size, void **buf) {
  int err;
  *buf = 0;
  struct inode *ip = namei(path, &err);
  if (!ip)
    return bootfs_lookup(path, img, size) == 0 ? 0 : err;
  if (!S_ISREG(ip->d.i_mode) || !(ip->d.i_mode & 0111))
    err = -EACCES;
  else if (ip->d.i_size > MAXEXEC)
    err = -E2BIG;
  else if (!(*buf = kmalloc(ip->d.i_size)))
    err = -ENOMEM;
  else if (readi(ip, false, *buf, 0, ip->d.i_size) != (int)ip->d.i_size)
    err = -EIO;
  else {
    *img = *buf;
    *size = ip->d.i_size;
    err = 0;
  }
  iput(ip);
  return err;
}

/* execve(2) with kernel-space arguments. Nothing of the old image is touched until the new one
 * is complete, so a failed exec returns its error to the old program. */
int exec(const char *path, char *const argv[], char *const envp[]) {
  const uint8_t *img;
  uint32_t size;
  void *buf;
  char self[MAXPATH];
  /* /proc/self/exe: the caller's own executable (busybox runs its applets through it); there
   * are no symbolic links, so exec resolves this one name itself */
  if (strcmp(path, "/proc/self/exe") == 0 && curproc && curproc->exe[0]) {
    safestrcpy(self, curproc->exe, sizeof(self));
    path = self;
  }
  int err = load_image(path, &img, &size, &buf);
  if (err < 0)
    return err;
  err = exec_image(path, img, size, argv, envp);
  kfree(buf);
  return err;
}

static int exec_image(const char *path, const uint8_t *img, uint32_t size, char *const argv[],
                      char *const envp[]) {
  struct elfhdr eh;
  if (size < sizeof(eh))
    return -ENOEXEC;
  memmove(&eh, img, sizeof(eh));
  if (eh.magic != ELF_MAGIC || eh.type != ET_EXEC || eh.machine != EM_386 || eh.entry >= KERNBASE)
    return -ENOEXEC;

  pde_t *pgdir = setupkvm();
  if (!pgdir)
    return -ENOMEM;
  uaddr_t arg_start = 0, arg_end = 0;
  int64_t top = loadelf(pgdir, img, size, &eh);
  int64_t sp = top;
  if (top >= 0 && allocuvm(pgdir, USTACKTOP - USTACKPAGES * PGSIZE, USTACKTOP, PTE_U | PTE_W) < 0)
    sp = -ENOMEM;
  if (sp >= 0)
    sp = setupstack(pgdir, path, argv, envp, img, size, &eh, &arg_start, &arg_end);
  if (sp < 0) {
    freevm(pgdir);
    return sp;
  }

  /* commit: from here on the old image is gone */
  struct proc *p = curproc;
  const char *base = strrchr(path, '/');
  safestrcpy(p->name, base ? base + 1 : path, sizeof(p->name));
  signals_exec(p);
  tls_clear(p);
  p->arg_start = arg_start;
  if (path != p->exe)
    safestrcpy(p->exe, path, sizeof(p->exe));
  p->arg_end = arg_end;
  for (int fd = 0; fd < NOFILE; fd++)   /* FD_CLOEXEC */
    if ((p->cloexec & (1u << fd)) && p->ofile[fd]) {
      fileclose(p->ofile[fd]);
      p->ofile[fd] = 0;
    }
  p->cloexec = 0;
  fpu_exec();
  pde_t *old = p->pgdir;
  p->pgdir = pgdir;
  p->heapstart = p->brk = PGROUNDUP((uint32_t)top);
  memset(p->tf, 0, sizeof(*p->tf));     /* Linux starts programs with zeroed registers */
  p->tf->cs = UCODE_SEL;
  p->tf->ds = p->tf->es = p->tf->fs = p->tf->gs = p->tf->ss = UDATA_SEL;
  p->tf->eflags = FL_IF;
  p->tf->eip = eh.entry;
  p->tf->esp = sp;
  switchuvm(p);
  freevm(old);
  return 0;
}
