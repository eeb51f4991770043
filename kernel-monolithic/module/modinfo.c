/* modinfo.c: reads a module's .modinfo ("key=value" strings, NUL-separated) and checks vermagic. */
#include "internal.h"

static const char *modinfo_get(const char *p, uint32_t size, const char *key) {
  size_t n = strlen(key);
  for (const char *end = p + size; p < end; p += strlen(p) + 1)
    if (strncmp(p, key, n) == 0 && p[n] == '=')
      return p + n + 1;
  return 0;
}

/* Fills info->name/vermagic/license; a missing name or a vermagic that is not ours is -ENOEXEC
 * (Linux: "version magic '%s' should be '%s'"). */
int check_modinfo(struct load_info *info) {
  const struct secthdr *mi = 0;
  for (int i = 1; i < info->eh->shnum; i++)
    if (strcmp(info->secstrings + info->sh[i].name, ".modinfo") == 0)
      mi = &info->sh[i];
  if (!mi || mi->size == 0 || info->img[mi->offset + mi->size - 1] != 0) {
    printk("module: no .modinfo (include module.h and build with -DKBUILD_MODNAME)\n");
    return -ENOEXEC;
  }
  const char *p = (const char *)info->img + mi->offset;
  info->name = modinfo_get(p, mi->size, "name");
  info->vermagic = modinfo_get(p, mi->size, "vermagic");
  info->license = modinfo_get(p, mi->size, "license");
  info->depends = modinfo_get(p, mi->size, "depends");
  if (!info->name || strlen(info->name) >= MODULE_NAME_LEN) {
    printk("module: no usable name= in .modinfo\n");
    return -ENOEXEC;
  }
  if (!info->vermagic || strcmp(info->vermagic, KERNEL_VERMAGIC) != 0) {
    printk("%s: version magic '%s' should be '%s'\n", info->name,
           info->vermagic ? info->vermagic : "", KERNEL_VERMAGIC);
    return -ENOEXEC;
  }
  return 0;
}

/* Every module named in depends= must be loaded (Linux enforces this through the symbols alone;
 * an explicit check names the module instead of one of its symbols). -ENOENT otherwise. */
int check_depends(struct load_info *info) {
  const char *p = info->depends;
  while (p && *p) {
    char dep[MODULE_NAME_LEN];
    int n = 0;
    while (p[n] && p[n] != ',')
      n++;
    if (n > 0 && n < MODULE_NAME_LEN) {
      memmove(dep, p, n);
      dep[n] = 0;
      if (!find_module(dep)) {
        printk("%s: missing dependency %s (load it first, or use modprobe)\n", info->name, dep);
        return -ENOENT;
      }
    }
    p += p[n] ? n + 1 : n;
  }
  return 0;
}
