/* main.c: boot. Read the Multiboot information, set up memory, the CPU tables and the KIP, then
 * start the boot modules as tasks: module 0 is sigma0 (owner of all conventional memory), module 1
 * the root task (privileged), every further module an ordinary task whose pager is sigma0. */
#include "kernel.h"
#include "libkern/elf.h"
#include "libkern/multiboot.h"
#include "libkern/string.h"


#define USTACK_TOP   0xBE000000u
#define USTACK_PAGES 16

extern char end[];
static struct tcb bootthread;            /* the boot "thread" whose stack kmain runs on */

static uint32_t ram_top(struct multiboot_info *mbi) {
  uint32_t top = 0;
  if (mbi->flags & MBI_MMAP) {
    for (uint32_t p = mbi->mmap_addr; p < mbi->mmap_addr + mbi->mmap_length;) {
      struct multiboot_mmap *e = P2V(p);
      if (e->type == 1 && e->addr < 0x100000000ull) {
        uint64_t hi = e->addr + e->len;
        if (e->addr <= 0x100000 && hi > top)
          top = hi > 0xFFFFF000u ? 0xFFFFF000u : (uint32_t)hi;
      }
      p += e->size + 4;
    }
  }
  if (!top && (mbi->flags & MBI_MEM))
    top = 0x100000 + mbi->mem_upper * 1024;
  return top & ~(PGSIZE - 1);
}

/* Copy an ELF executable into fresh pool pages of space s; returns the entry point or 0. */
static uint32_t load_elf(struct space *s, const uint8_t *img, uint32_t size) {
  const struct elfhdr *eh = (const void *)img;
  if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->machine != EM_386)
    return 0;
  for (int i = 0; i < eh->phnum; i++) {
    const struct proghdr *ph = (const void *)(img + eh->phoff + i * eh->phentsize);
    if (ph->type != PT_LOAD || ph->memsz == 0)
      continue;
    if (!user_range_ok(ph->vaddr, ph->memsz) || ph->off + ph->filesz > size)
      return 0;
    for (uint32_t va = ph->vaddr & ~(PGSIZE - 1); va < ph->vaddr + ph->memsz; va += PGSIZE) {
      uint32_t frame = mdb_probe(s, va) & ~(PGSIZE - 1);
      if (!frame) {
        void *page = page_alloc();
        if (!page || !mdb_insert_root(s, va, V2P(page), 7))
          panic("out of memory loading a boot module");
        frame = V2P(page);
      }
      /* the part of the file that falls into this page */
      uint32_t lo = va > ph->vaddr ? va : ph->vaddr;
      uint32_t hi = va + PGSIZE < ph->vaddr + ph->filesz ? va + PGSIZE : ph->vaddr + ph->filesz;
      if (lo < hi)
        memcpy((uint8_t *)P2V(frame) + (lo - va), img + ph->off + (lo - ph->vaddr), hi - lo);
    }
  }
  return eh->entry;
}

static void start_task(int index, const char *path, const uint8_t *img, uint32_t size) {
  uint32_t id = L4_GLOBALID(L4_NIRQ + index, 1);
  struct space *s = space_create();
  if (!s)
    panic("no space for boot task %d", index);
  s->sigma0 = index == 0;
  s->privileged = index <= 1;
  uint32_t pager = index == 0 ? NIL : L4_GLOBALID(L4_NIRQ, 1);
  uint32_t entry = load_elf(s, img, size);
  if (!entry)
    panic("boot module %d (%s) is not an i386 ELF executable", index, path);
  for (uint32_t i = 1; i <= USTACK_PAGES; i++) {
    void *page = page_alloc();
    if (!page || !mdb_insert_root(s, USTACK_TOP - i * PGSIZE, V2P(page), 7))
      panic("out of memory for a boot stack");
  }
  struct tcb *t = thread_create(id, s, pager, NIL);
  if (!t)
    panic("cannot create boot thread %d", index);
  const char *name = path;
  for (const char *p = path; *p && *p != ' '; p++)
    if (*p == '/')
      name = p + 1;
  int n = 0;
  while (name[n] && name[n] != ' ' && n < 15)
    n++;
  memcpy(t->name, name, n);
  t->name[n] = 0;
  t->tf->eip = entry;
  t->tf->esp = USTACK_TOP;
  if (index < 8) {
    kip->boot[index].thread = id;
    memcpy(kip->boot[index].name, t->name, 16);
    kip->nboot = index + 1;
  }
  if (index == 0)
    kip->sigma0 = id;
  if (index == 1)
    kip->root = id;
  kprintf("mk: task %d: %s, thread %x%s\n", index, t->name, id,
          index == 0 ? " (sigma0)" : index == 1 ? " (root, privileged)" : "");
  make_ready(t);
}

static bool has_word(const char *s, const char *w) {
  size_t n = strlen(w);
  for (; *s; s++)
    if ((s[n] == 0 || s[n] == ' ') && strncmp(s, w, n) == 0)
      return true;
  return false;
}

void kmain(uint32_t magic, uint32_t mbi_pa) {
  console_init();
  kprintf("kernel-microkernel 0.1: booting\n");
  if (magic != MULTIBOOT_BOOT_MAGIC)
    panic("not loaded by a Multiboot loader (magic %x)", magic);
  struct multiboot_info *mbi = P2V(mbi_pa);
  uint32_t top = ram_top(mbi), reserved = V2P(end);
  uint32_t nmods = (mbi->flags & MBI_MODS) ? mbi->mods_count : 0;
  struct multiboot_mod *mods = P2V(mbi->mods_addr);
  for (uint32_t i = 0; i < nmods; i++)
    if (mods[i].mod_end > reserved)
      reserved = mods[i].mod_end;
  if (top < reserved + (8u << 20))
    panic("too little memory: %u KiB", top / 1024);
  mem_init(top, reserved);
  cpu_init();
  mdb_init();
  kip_init();
  kprintf("mk: %u MiB RAM; kernel pool %08x-%08x; sigma0 owns %08x-%08x\n", top >> 20, PGROUNDUP(reserved),
          pool_end(), pool_end(), top);
  if (nmods < 2)
    panic("need at least two boot modules: sigma0 and a root task");
  if ((mbi->flags & MBI_CMDLINE) && has_word((const char *)P2V(mbi->cmdline), "mktrace"))
    ktrace = true;
  /* "crashtest" on the command line: a deliberate kernel page fault, for the crash demo */
  if ((mbi->flags & MBI_CMDLINE) && has_word((const char *)P2V(mbi->cmdline), "crashtest"))
    *(volatile uint32_t *)0x1000 = 1;
  cur = &bootthread;
  bootthread.state = T_DEAD;
  memcpy(bootthread.name, "boot", 5);
  for (uint32_t i = 0; i < nmods && L4_NIRQ + i < L4_MAXTHREADS; i++)
    start_task((int)i, (const char *)P2V(mods[i].string), P2V(mods[i].mod_start), mods[i].mod_end - mods[i].mod_start);
  schedule();
  panic("schedule returned to the boot thread");
}
