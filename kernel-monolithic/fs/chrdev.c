/* chrdev.c: character devices registered by drivers and modules (Linux's register_chrdev in
 * miniature): /dev/<name> opens the device; read and write go to its operations through a
 * kernel bounce buffer, so a driver never touches user memory. A device with open files keeps
 * the module that registered it loaded (chrdev_busy, asked by delete_module). */
#include "defs.h"
#include "file.h"
#include "module.h"
#include "proc.h"
#include "uapi/stat.h"

#define NCHRDEV 16             /* 4 are the built-in memory devices (drivers/mem.c) */
#define CHUNK 512

static struct devslot devs[NCHRDEV];

int register_chrdev(const char *name, const struct chrdev_ops *ops) {
  int slot = devtab_add(devs, NCHRDEV, name, ops);
  return slot < 0 ? slot : 0;
}

void unregister_chrdev(const char *name) {
  int slot = devtab_find(devs, NCHRDEV, name);
  if (slot >= 0)
    devs[slot].ops = 0;
}

/* Open files on a device whose operations live in [lo, hi) (a module's image). */
int chrdev_busy(uint32_t lo, uint32_t hi) {
  return devtab_busy(devs, NCHRDEV, lo, hi);
}

/* "/dev/<name>" of a registered device: a new open file on it, or 0 (not a device). */
int chrdev_open(const char *path, int flags, struct file **fp) {
  return devtab_open(devs, NCHRDEV, path, flags, FD_CHR, fp);
}

void chrdev_close(struct file *f) {
  devs[f->chrdev].opens--;
}

int chrdev_read(struct file *f, uaddr_t dst, int n) {
  const struct chrdev_ops *ops = devs[f->chrdev].ops;
  char buf[CHUNK];
  if (!ops || !ops->read)
    return -EINVAL;
  /* chunk by chunk while the device fills each one: a 1 KiB read of /dev/zero is one read */
  int done = 0;
  while (done < n) {
    int m = MIN(n - done, CHUNK);
    int r = ops->read(buf, m, f->off);
    if (r <= 0)
      return done ? done : r;
    if (copyout(curproc->pgdir, dst + done, buf, r) < 0)
      return done ? done : -EFAULT;
    f->off += r;
    done += r;
    if (r < m)
      break;
  }
  return done;
}

int chrdev_write(struct file *f, uaddr_t src, int n) {
  const struct chrdev_ops *ops = devs[f->chrdev].ops;
  char buf[CHUNK];
  if (!ops || !ops->write)
    return -EINVAL;
  int done = 0;
  while (done < n) {
    int m = MIN(n - done, CHUNK);
    if (copyin(curproc->pgdir, buf, src + done, m) < 0)
      return done ? done : -EFAULT;
    int r = ops->write(buf, m, f->off);
    if (r <= 0)
      return done ? done : r;
    f->off += r;
    done += r;
  }
  return done;
}

EXPORT_SYMBOL(register_chrdev);
EXPORT_SYMBOL(unregister_chrdev);
