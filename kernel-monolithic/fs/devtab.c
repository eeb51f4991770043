/* devtab.c: the name table character and block devices share (fs/chrdev.c, fs/blkdev.c):
 * registration by name, /dev/<name> lookup on open, and the open counts that keep a module's
 * device (and so the module) in use. The tables differ only in what their ops point to. */
#include "defs.h"
#include "file.h"
#include "uapi/stat.h"

/* The slot registered as `name`, or -1. */
int devtab_find(struct devslot *t, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (t[i].ops && strcmp(t[i].name, name) == 0)
      return i;
  return -1;
}

/* Claims a free slot for `name`: its index, or -EEXIST, -ENOSPC (table full), -EINVAL (name). */
int devtab_add(struct devslot *t, int n, const char *name, const void *ops) {
  int slot = -1;
  for (int i = 0; i < n; i++) {
    if (t[i].ops && strcmp(t[i].name, name) == 0)
      return -EEXIST;
    if (!t[i].ops && slot < 0)
      slot = i;
  }
  if (slot < 0)
    return -ENOSPC;
  if (strlen(name) >= sizeof(t[slot].name))
    return -EINVAL;
  safestrcpy(t[slot].name, name, sizeof(t[slot].name));
  t[slot].ops = ops;
  t[slot].opens = 0;
  return slot;
}

/* Open files on devices whose operations live in [lo, hi) (a module's image). */
int devtab_busy(const struct devslot *t, int n, uint32_t lo, uint32_t hi) {
  int busy = 0;
  for (int i = 0; i < n; i++)
    if (t[i].ops && (uint32_t)t[i].ops >= lo && (uint32_t)t[i].ops < hi)
      busy += t[i].opens;
  return busy;
}

/* "/dev/<name>" of a registered device: a new open file of `type` on it (1), or 0 (not one of
 * this table's devices), or -ENFILE. */
int devtab_open(struct devslot *t, int n, const char *path, int flags, int type, struct file **fp) {
  if (strncmp(path, "/dev/", 5) != 0)
    return 0;
  int i = devtab_find(t, n, path + 5);
  if (i < 0)
    return 0;
  struct file *f = filealloc();
  if (!f)
    return -ENFILE;
  f->type = type;
  f->chrdev = i;
  f->readable = (flags & O_ACCMODE) != O_WRONLY;
  f->writable = (flags & O_ACCMODE) != O_RDONLY;
  t[i].opens++;
  *fp = f;
  return 1;
}
