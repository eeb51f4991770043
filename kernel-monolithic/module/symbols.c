/* symbols.c: the kernel's exported symbols (__ksymtab) and each module's, and resolving a
 * module's symbol table against them. */
#include "internal.h"

extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];

static uint32_t lookup(const struct kernel_symbol *s, int n, const char *name, bool *found) {
  for (int i = 0; i < n; i++)
    if (strcmp(s[i].name, name) == 0) {
      *found = true;
      return s[i].value;
    }
  return 0;
}

/* The address of an exported symbol, from the kernel first, then live modules; *owner is the
 * exporting module (0 for the kernel). 0 means not found: nothing exported lives at address 0. */
uint32_t find_symbol(const char *name, struct module **owner) {
  bool found = false;
  *owner = 0;
  uint32_t v = lookup(__start___ksymtab, __stop___ksymtab - __start___ksymtab, name, &found);
  for (struct module *m = modules; !found && m; m = m->next) {
    if (m->state != MODULE_LIVE)
      continue;
    v = lookup(m->syms, m->nsyms, name, &found);
    if (found)
      *owner = m;
  }
  return found ? v : 0;
}

/* Records that mod uses 'used' (Linux's ref_module): 'used' cannot be unloaded before mod. */
static int ref_module(struct module *mod, struct module *used) {
  for (int i = 0; i < mod->nuses; i++)
    if (mod->uses[i] == used)
      return 0;
  if (mod->nuses == MAXUSES)
    return -ENOMEM;
  mod->uses[mod->nuses++] = used;
  used->refcnt++;
  return 0;
}

/* Computes info->symval[i] for every symbol: defined ones relative to their loaded section,
 * undefined ones from the exported symbols (Linux's simplify_symbols). */
int simplify_symbols(struct load_info *info, struct module *mod) {
  const struct secthdr *symsec = &info->sh[info->symsec];
  const struct elfsym *syms = (const struct elfsym *)(info->img + symsec->offset);
  const char *strtab = (const char *)info->img + info->sh[symsec->link].offset;
  int n = symsec->size / sizeof(struct elfsym);
  for (int i = 1; i < n; i++) {
    const struct elfsym *s = &syms[i];
    const char *name = strtab + s->name;
    switch (s->shndx) {
    case SHN_UNDEF: {
      struct module *owner;
      info->symval[i] = find_symbol(name, &owner);
      if (!info->symval[i]) {
        printk("%s: Unknown symbol %s\n", info->name, name);
        return -ENOENT;
      }
      if (owner && ref_module(mod, owner) < 0)
        return -ENOMEM;
      break;
    }
    case SHN_ABS:
      info->symval[i] = s->value;
      break;
    case SHN_COMMON:
      printk("%s: common symbol %s: build with -fno-common\n", info->name, name);
      return -ENOEXEC;
    default:
      if (s->shndx >= info->eh->shnum)
        return -ENOEXEC;
      info->symval[i] = info->secaddr[s->shndx] + s->value;
    }
  }
  return 0;
}
