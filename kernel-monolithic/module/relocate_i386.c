/* relocate_i386.c: applies a module's REL relocations (arch/x86/kernel/module.c, 32-bit): the
 * addend is already in place; R_386_32 adds S, R_386_PC32 and R_386_PLT32 add S - P. */
#include "internal.h"

static int apply_one(struct load_info *info, const struct secthdr *relsec) {
  const struct secthdr *target = &info->sh[relsec->info];
  const struct elfrel *rel = (const struct elfrel *)(info->img + relsec->offset);
  int n = relsec->size / sizeof(struct elfrel);
  int nsyms = info->sh[info->symsec].size / sizeof(struct elfsym);
  for (int i = 0; i < n; i++) {
    uint32_t type = ELF_R_TYPE(rel[i].info), sym = ELF_R_SYM(rel[i].info);
    if (rel[i].offset + 4 > target->size || (int)sym >= nsyms)
      return -ENOEXEC;
    uint32_t *loc = (uint32_t *)(info->secaddr[relsec->info] + rel[i].offset);
    uint32_t s = info->symval[sym];
    switch (type) {
    case R_386_NONE:
      break;
    case R_386_32:
      *loc += s;
      break;
    case R_386_PC32:
    case R_386_PLT32:     /* no PLT in a kernel: the same as PC32 */
      *loc += s - (uint32_t)loc;
      break;
    default:
      printk("%s: Unknown relocation: %u\n", info->name, type);
      return -ENOEXEC;
    }
  }
  return 0;
}

int apply_relocations(struct load_info *info) {
  for (int i = 1; i < info->eh->shnum; i++) {
    const struct secthdr *s = &info->sh[i];
    if (s->type == SHT_RELA) {
      printk("%s: RELA relocations are not used on i386\n", info->name);
      return -ENOEXEC;
    }
    if (s->type != SHT_REL || s->info >= info->eh->shnum || !info->secaddr[s->info])
      continue;                    /* relocations of sections we do not load (debug info) */
    if (s->link != (uint32_t)info->symsec)
      return -ENOEXEC;
    int r = apply_one(info, s);
    if (r < 0)
      return r;
  }
  return 0;
}
