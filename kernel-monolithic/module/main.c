/* main.c: the module loader's pipeline (Linux's load_module, in miniature): check the ELF, read
 * .modinfo, lay out the SHF_ALLOC sections, resolve symbols, relocate, run init_module; and
 * unloading with dependency pinning. Modules run in ring 0 from direct-mapped kernel pages. */
#include "internal.h"
#include "proc.h"
#include "uapi/unistd_32.h"

struct module *modules;

/* The module whose image holds addr (for panic messages and backtraces), and addr's offset. */
const char *module_at(uint32_t addr, uint32_t *off) {
  for (struct module *m = modules; m; m = m->next)
    if (addr >= (uint32_t)m->base && addr < (uint32_t)m->base + m->npages * PGSIZE) {
      *off = addr - (uint32_t)m->base;
      return m->name;
    }
  return 0;
}

struct module *find_module(const char *name) {
  for (struct module *m = modules; m; m = m->next)
    if (strcmp(m->name, name) == 0)
      return m;
  return 0;
}

/* Header and section table sanity: everything the later steps index must be inside the image. */
static int check_elf(struct load_info *info) {
  const struct elfhdr *eh = info->eh;
  if (info->len < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->elf[0] != ELFCLASS32 ||
      eh->elf[1] != ELFDATA2LSB || eh->type != ET_REL || eh->machine != EM_386 ||
      eh->shentsize != sizeof(struct secthdr) || eh->shnum == 0 || eh->shstrndx >= eh->shnum ||
      eh->shoff > info->len || eh->shnum * sizeof(struct secthdr) > info->len - eh->shoff)
    return -ENOEXEC;
  info->sh = (const struct secthdr *)(info->img + eh->shoff);
  info->symsec = 0;
  for (int i = 1; i < eh->shnum; i++) {
    const struct secthdr *s = &info->sh[i];
    if (s->type != SHT_NOBITS && (s->offset > info->len || s->size > info->len - s->offset))
      return -ENOEXEC;
    if (s->type == SHT_SYMTAB) {
      if (info->symsec || s->link >= eh->shnum)
        return -ENOEXEC;
      info->symsec = i;
    }
  }
  /* string tables must end in a NUL, and every name must point into its table */
  const struct secthdr *ss = &info->sh[eh->shstrndx], *sym = &info->sh[info->symsec];
  const struct secthdr *st = info->symsec ? &info->sh[sym->link] : 0;
  if (!info->symsec || ss->size == 0 || info->img[ss->offset + ss->size - 1] != 0 ||
      st->type != SHT_STRTAB || st->size == 0 || info->img[st->offset + st->size - 1] != 0)
    return -ENOEXEC;
  for (int i = 0; i < eh->shnum; i++)
    if (info->sh[i].name >= ss->size)
      return -ENOEXEC;
  const struct elfsym *syms = (const struct elfsym *)(info->img + sym->offset);
  for (uint32_t i = 0; i < sym->size / sizeof(struct elfsym); i++)
    if (syms[i].name >= st->size)
      return -ENOEXEC;
  info->secstrings = (const char *)info->img + ss->offset;
  return 0;
}

/* Which of the four layout passes a section belongs to, or -1 if it is not loaded. */
static int pass_of(struct load_info *info, const struct secthdr *s) {
  if (!(s->flags & SHF_ALLOC) || strcmp(info->secstrings + s->name, ".modinfo") == 0)
    return -1;                      /* Linux also drops .modinfo's SHF_ALLOC after reading it */
  if (s->flags & SHF_EXECINSTR)
    return 0;                       /* text */
  if (!(s->flags & SHF_WRITE))
    return 1;                       /* read-only data */
  return s->type == SHT_NOBITS ? 3 : 2;   /* bss after data */
}

/* Places the loaded sections in one page run, each pass page-aligned "not dissimilar to ld", so
 * that text and read-only data can be made read-only page by page; maps the run in the module
 * area and copies the sections there. */
static int layout_and_copy(struct load_info *info, struct module *mod) {
  uint32_t off = 0, *secoff = info->secaddr;   /* offsets first; addresses once allocated */
  for (int pass = 0; pass < 4; pass++) {
    off = PGROUNDUP(off);
    for (int i = 1; i < info->eh->shnum; i++) {
      const struct secthdr *s = &info->sh[i];
      if (pass_of(info, s) != pass)
        continue;
      uint32_t align = s->addralign ? s->addralign : 1;
      off = (off + align - 1) & ~(align - 1);
      secoff[i] = off;
      off += s->size;
    }
    if (pass == 0)
      mod->textsize = off;
    if (pass == 1)
      mod->rosize = PGROUNDUP(off);
  }
  mod->npages = PGROUNDUP(off) / PGSIZE;
  if (mod->npages == 0 || !(mod->pages = kallocn(mod->npages)))
    return -ENOMEM;                 /* kallocn zeroes: bss is ready */
  if (!(mod->base = (char *)modarea_map(V2P(mod->pages), mod->npages))) {
    kfreepages(mod->pages, mod->npages);
    mod->pages = 0;
    return -ENOMEM;
  }
  for (int i = 1; i < info->eh->shnum; i++) {
    const struct secthdr *s = &info->sh[i];
    if (pass_of(info, s) < 0)
      continue;
    info->secaddr[i] = (uint32_t)mod->base + secoff[i];   /* same array: offset -> address */
    if (s->type != SHT_NOBITS)
      memmove((void *)info->secaddr[i], info->img + s->offset, s->size);
  }
  return 0;
}

/* The loaded address of a defined global symbol of the module, or 0. */
static uint32_t module_symbol(struct load_info *info, const char *name) {
  const struct secthdr *symsec = &info->sh[info->symsec];
  const struct elfsym *syms = (const struct elfsym *)(info->img + symsec->offset);
  const char *strtab = (const char *)info->img + info->sh[symsec->link].offset;
  for (uint32_t i = 1; i < symsec->size / sizeof(struct elfsym); i++)
    if (syms[i].shndx != SHN_UNDEF && ELF_ST_BIND(syms[i].info) != STB_LOCAL &&
        strcmp(strtab + syms[i].name, name) == 0)
      return info->symval[i];
  return 0;
}

/* A loaded section by name: its address and the number of 'entsize' entries in it. */
static const void *find_section(struct load_info *info, const char *name, uint32_t entsize, int *n) {
  for (int i = 1; i < info->eh->shnum; i++)
    if (info->secaddr[i] && strcmp(info->secstrings + info->sh[i].name, name) == 0) {
      *n = info->sh[i].size / entsize;
      return (const void *)info->secaddr[i];
    }
  *n = 0;
  return 0;
}

static void free_module(struct module *mod) {
  for (int i = 0; i < mod->nuses; i++)
    mod->uses[i]->refcnt--;
  for (int i = 0; i < mod->nstrings; i++)
    kfree(mod->strings[i]);
  if (mod->base)
    modarea_unmap((uint32_t)mod->base, mod->npages);
  if (mod->pages)
    kfreepages(mod->pages, mod->npages);
  kfree(mod);
}

static void unlink_module(struct module *mod) {
  for (struct module **pp = &modules; *pp; pp = &(*pp)->next)
    if (*pp == mod) {
      *pp = mod->next;
      return;
    }
}

/* Loads a module image (an ELF relocatable, "foo.ko"), sets its parameters from params_str
 * ("name=value ..."), runs its init_module and keeps it. Returns 0 or -errno (or
 * init_module's own nonzero result). */
int load_module(const void *image, uint32_t len, const char *params_str) {
  struct load_info info = {.img = image, .len = len, .eh = image};
  int err = check_elf(&info);
  if (err < 0) {
    printk("module: not an i386 ELF relocatable object (bad ELF)\n");
    return err;
  }
  if ((err = check_modinfo(&info)) < 0)
    return err;
  if (find_module(info.name)) {
    printk("module %s already loaded\n", info.name);
    return -EEXIST;
  }
  if ((err = check_depends(&info)) < 0)
    return err;
  struct module *mod = kzalloc(sizeof(*mod));
  info.secaddr = kzalloc(info.eh->shnum * sizeof(uint32_t));
  info.symval = kzalloc(info.sh[info.symsec].size / sizeof(struct elfsym) * sizeof(uint32_t));
  if (!mod || !info.secaddr || !info.symval) {
    err = -ENOMEM;
    goto fail;
  }
  safestrcpy(mod->name, info.name, sizeof(mod->name));
  if ((err = layout_and_copy(&info, mod)) < 0 || (err = simplify_symbols(&info, mod)) < 0 ||
      (err = apply_relocations(&info)) < 0)
    goto fail;
  mod->syms = find_section(&info, "__ksymtab", sizeof(struct kernel_symbol), &mod->nsyms);
  int nparams;
  const struct module_param *params = find_section(&info, "__param", sizeof(struct module_param), &nparams);
  if ((err = parse_args(mod, params, nparams, params_str)) < 0)
    goto fail;
  mod->init = (int (*)(void))module_symbol(&info, "init_module");
  mod->exit = (void (*)(void))module_symbol(&info, "cleanup_module");
  if (info.license && strcmp(info.license, "GPL") != 0)
    printk("%s: license '%s' taints the kernel\n", mod->name, info.license);

  /* text and read-only data become read-only before any of the module's code runs */
  modarea_protect((uint32_t)mod->base, mod->rosize / PGSIZE);
  mod->state = MODULE_COMING;
  mod->next = modules;
  modules = mod;
  if (mod->init && (err = mod->init()) != 0) {
    printk("%s: init_module failed (%d)\n", mod->name, err);
    unlink_module(mod);
    goto fail;
  }
  mod->state = MODULE_LIVE;
  printk("module: %s loaded at %p (%d pages, %u bytes of text)\n", mod->name, mod->base, mod->npages,
         mod->textsize);
  kfree(info.secaddr);
  kfree(info.symval);
  return 0;

fail:
  if (mod)
    free_module(mod);
  kfree(info.secaddr);
  kfree(info.symval);
  return err;
}

/* Refuses while another module uses it, or when it has no cleanup_module (Linux's rules). */
int unload_module(const char *name) {
  struct module *mod = find_module(name);
  if (!mod || mod->state != MODULE_LIVE)
    return -ENOENT;
  if (mod->refcnt > 0) {
    printk("module %s is in use by:", name);
    for (struct module *m = modules; m; m = m->next)
      for (int i = 0; i < m->nuses; i++)
        if (m->uses[i] == mod)
          printk(" %s", m->name);
    printk("\n");
    return -EBUSY;
  }
  if (!mod->exit && mod->init)
    return -EBUSY;
  uint32_t lo = (uint32_t)mod->base, hi = lo + mod->npages * PGSIZE;
  int open = chrdev_busy(lo, hi) + blkdev_busy(lo, hi);
  if (open > 0) {
    printk("module %s is in use: %d open files on its devices\n", name, open);
    return -EBUSY;
  }
  mod->state = MODULE_GOING;
  if (mod->exit)
    mod->exit();
  unlink_module(mod);
  printk("module: %s unloaded\n", name);
  free_module(mod);
  return 0;
}

/* The multiboot modules named *.ko are kernel modules: load them at boot, in the given order. */
void load_boot_modules(void) {
  for (int i = 0; i < boot_nmods(); i++) {
    const char *name;
    uint32_t start, end;
    boot_module(i, &name, &start, &end);
    int n = 0;
    while (name[n] && name[n] != ' ')
      n++;
    if (n < 3 || strncmp(name + n - 3, ".ko", 3) != 0)
      continue;
    const char *args = name[n] ? name + n + 1 : "";
    int err = load_module(P2V(start), end - start, args);
    if (err)
      printk("module: %s: error %d\n", name, err);
  }
}

/* The text of /proc/modules, in Linux's format: name size refcount users state address. */
int modules_show(char *buf, int size) {
  int n = 0;
  for (struct module *m = modules; m; m = m->next) {
    n += snprintk(buf + n, size - n, "%s %u %d ", m->name, m->npages * PGSIZE, m->refcnt);
    bool any = false;
    for (struct module *u = modules; u; u = u->next)
      for (int i = 0; i < u->nuses; i++)
        if (u->uses[i] == m) {
          n += snprintk(buf + n, size - n, "%s,", u->name);
          any = true;
        }
    n += snprintk(buf + n, size - n, "%s %s %p\n", any ? "" : "-",
                  m->state == MODULE_LIVE ? "Live" : m->state == MODULE_COMING ? "Loading" : "Unloading",
                  m->base);
  }
  return n;
}

/* ---- system calls ---- */

/* init_module(2): (image, len, param string) */
int sys_init_module(uaddr_t uimage, uint32_t len, uaddr_t uparams) {
  char params[256] = "";
  if (len == 0 || len > (4u << 20))
    return -EINVAL;
  if (uparams) {
    int r = copyinstr(curproc->pgdir, params, uparams, sizeof(params));
    if (r < 0)
      return r;
  }
  void *image = kmalloc(len);
  if (!image)
    return -ENOMEM;
  int err = copyin(curproc->pgdir, image, uimage, len);
  if (err == 0)
    err = load_module(image, len, params);
  kfree(image);
  return err;
}

/* delete_module(2): (name, flags); flags (O_NONBLOCK, O_TRUNC) are not interpreted */
int sys_delete_module(uaddr_t uname, uint32_t flags) {
  char name[MODULE_NAME_LEN];
  (void)flags;
  int r = copyinstr(curproc->pgdir, name, uname, sizeof(name));
  if (r < 0)
    return r == -ENAMETOOLONG ? -ENOENT : r;
  return unload_module(name);
}
