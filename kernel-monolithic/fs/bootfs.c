/* bootfs.c: a read-only name lookup over the multiboot modules, so execve works before ext2 does.
 * A path matches a module whose name (the first word of its multiboot string) has the same last
 * component: "/sbin/init" finds the module loaded from "target/user/init". */
#include "defs.h"

static const char *basename(const char *path, int *len) {
  const char *end = path;
  while (*end && *end != ' ')
    end++;
  const char *b = end;
  while (b > path && b[-1] != '/')
    b--;
  *len = end - b;
  return b;
}

int bootfs_lookup(const char *path, const uint8_t **data, uint32_t *size) {
  int plen, mlen;
  const char *want = basename(path, &plen);
  if (plen == 0)
    return -ENOENT;
  for (int i = 0; i < boot_nmods(); i++) {
    const char *name;
    uint32_t start, end;
    boot_module(i, &name, &start, &end);
    const char *have = basename(name, &mlen);
    if (mlen == plen && strncmp(have, want, plen) == 0) {
      *data = P2V(start);
      *size = end - start;
      return 0;
    }
  }
  return -ENOENT;
}
