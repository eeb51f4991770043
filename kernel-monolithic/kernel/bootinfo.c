/* bootinfo.c: copies what the Multiboot loader told us (command line, modules, memory map) into the kernel. */
#include "defs.h"
#include "param.h"
#include "libkern/multiboot.h"

#define MAXMMAP 32

static char cmdline[CMDLINE_MAX];
static char loader[32];
static struct {
  char name[MAXPATH];
  uint32_t start, end;            /* physical */
} mods[MAXMODS];
static int nmods;
static struct {
  uint64_t base, len;
  uint32_t type;
} mmap[MAXMMAP];
static int nmmap;
static uint32_t reserved_end;     /* first physical byte past the kernel image and the modules */

extern char end[];

/* Runs on the boot page directory, which maps the first 16 MiB: the loader's structures live
 * below 1 MiB, so P2V() reaches them. Module contents are left where they are, only reserved. */
void bootinfo_init(uint32_t magic, struct multiboot_info *mbi) {
  if (magic != MULTIBOOT_BOOT_MAGIC)
    panic("not started by a Multiboot loader (eax=%x)", magic);
  mbi = P2V(mbi);
  if (mbi->flags & MBI_CMDLINE)
    safestrcpy(cmdline, P2V(mbi->cmdline), sizeof(cmdline));
  if (mbi->flags & MBI_LOADER)
    safestrcpy(loader, P2V(mbi->boot_loader_name), sizeof(loader));
  reserved_end = PGROUNDUP(V2P(end));
  if (mbi->flags & MBI_MODS) {
    struct multiboot_mod *m = P2V(mbi->mods_addr);
    for (uint32_t i = 0; i < mbi->mods_count && nmods < MAXMODS; i++, nmods++) {
      safestrcpy(mods[nmods].name, P2V(m[i].string), MAXPATH);
      mods[nmods].start = m[i].mod_start;
      mods[nmods].end = m[i].mod_end;
      reserved_end = MAX(reserved_end, PGROUNDUP(m[i].mod_end));
    }
  }
  if (mbi->flags & MBI_MMAP) {
    uint32_t p = mbi->mmap_addr;
    while (p < mbi->mmap_addr + mbi->mmap_length && nmmap < MAXMMAP) {
      struct multiboot_mmap *e = P2V(p);
      mmap[nmmap].base = e->addr;
      mmap[nmmap].len = e->len;
      mmap[nmmap].type = e->type;
      nmmap++;
      p += e->size + sizeof(e->size);
    }
  } else if (mbi->flags & MBI_MEM) {
    /* no map: trust mem_upper (KiB of contiguous RAM above 1 MiB) */
    mmap[0].base = EXTMEM;
    mmap[0].len = (uint64_t)mbi->mem_upper << 10;
    mmap[0].type = 1;
    nmmap = 1;
  }
}

const char *boot_cmdline(void) { return cmdline; }
const char *boot_loader(void) { return loader[0] ? loader : "unknown loader"; }
int boot_nmods(void) { return nmods; }
uint32_t boot_reserved_end(void) { return reserved_end; }
int boot_mmap_count(void) { return nmmap; }

void boot_module(int i, const char **name, uint32_t *start, uint32_t *end) {
  *name = mods[i].name;
  *start = mods[i].start;
  *end = mods[i].end;
}

void boot_mmap_entry(int i, uint64_t *base, uint64_t *len, uint32_t *type) {
  *base = mmap[i].base;
  *len = mmap[i].len;
  *type = mmap[i].type;
}

/* The end of usable RAM that we map, capped at PHYSTOP (the direct map's size). */
uint32_t boot_ramtop(void) {
  uint64_t top = 0;
  for (int i = 0; i < nmmap; i++)
    if (mmap[i].type == 1 && mmap[i].base + mmap[i].len > top)
      top = mmap[i].base + mmap[i].len;
  return top > PHYSTOP ? PHYSTOP : (uint32_t)top;
}

/* Copies the value of "key=value" from the command line into buf; false if the key is absent. */
bool cmdline_get(const char *key, char *buf, int size) {
  size_t n = strlen(key);
  for (const char *p = cmdline; *p; p++) {
    if ((p == cmdline || p[-1] == ' ') && strncmp(p, key, n) == 0 && p[n] == '=') {
      int i = 0;
      for (p += n + 1; *p && *p != ' ' && i < size - 1; p++)
        buf[i++] = *p;
      buf[i] = 0;
      return true;
    }
  }
  return false;
}

/* Is 'word' one of the space-separated words of the command line? */
bool cmdline_has(const char *word) {
  size_t n = strlen(word);
  for (const char *p = cmdline; *p;) {
    if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == 0))
      return true;
    while (*p && *p != ' ')
      p++;
    while (*p == ' ')
      p++;
  }
  return false;
}
