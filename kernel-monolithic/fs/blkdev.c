/* blkdev.c: block devices registered by drivers and modules (Linux's register_blkdev in
 * miniature). A driver gives a name, a size in BSIZE blocks and a transfer function; it becomes
 * disk BLKDEV_FIRST + slot for the buffer cache (dev = DEV(disk, 0), no partitions), and
 * /dev/<name> opens it raw: reads and writes at any offset go through the buffer cache
 * (bread, then bwrite for writes). Unregistering drops the device's cached blocks. A device with
 * open files keeps its module loaded (blkdev_busy). The ATA disks are not in this table. */
#include "defs.h"
#include "buf.h"
#include "file.h"
#include "module.h"
#include "proc.h"
#include "uapi/stat.h"

#define BLKDEV_FIRST 8
#define NBLKDEV 4

static struct blkdev {
  char name[16];
  const struct blkdev_ops *ops;
  uint32_t nblocks;
  int opens;
} devs[NBLKDEV];

int register_blkdev(const char *name, const struct blkdev_ops *ops, uint32_t nblocks) {
  int slot = -1;
  for (int i = 0; i < NBLKDEV; i++) {
    if (devs[i].ops && strcmp(devs[i].name, name) == 0)
      return -EEXIST;
    if (!devs[i].ops && slot < 0)
      slot = i;
  }
  if (slot < 0 || strlen(name) >= sizeof(devs[slot].name) || nblocks == 0)
    return slot < 0 ? -ENOSPC : -EINVAL;
  binval(DEV(BLKDEV_FIRST + slot, 0));
  safestrcpy(devs[slot].name, name, sizeof(devs[slot].name));
  devs[slot].ops = ops;
  devs[slot].nblocks = nblocks;
  devs[slot].opens = 0;
  return BLKDEV_FIRST + slot;
}

void unregister_blkdev(const char *name) {
  for (int i = 0; i < NBLKDEV; i++)
    if (devs[i].ops && strcmp(devs[i].name, name) == 0) {
      devs[i].ops = 0;
      binval(DEV(BLKDEV_FIRST + i, 0));
    }
}

static struct blkdev *lookup(uint32_t dev) {
  int disk = DEV_DISK(dev) - BLKDEV_FIRST;
  if (disk < 0 || disk >= NBLKDEV || DEV_PART(dev) != 0 || !devs[disk].ops)
    return 0;
  return &devs[disk];
}

bool blkdev_is(uint32_t dev) {
  return DEV_DISK(dev) >= BLKDEV_FIRST;
}

/* Size in sectors, for bread's bounds check (part_lookup's job for the ATA disks). */
int blkdev_size(uint32_t dev, uint32_t *nsectors) {
  struct blkdev *d = lookup(dev);
  if (!d)
    return -ENXIO;
  *nsectors = d->nblocks * (BSIZE / SECTOR);
  return 0;
}

/* The buffer cache's I/O for a registered device: read unless B_DIRTY; 0 or -EIO. */
int blkdev_rw(struct buf *b) {
  struct blkdev *d = lookup(b->dev);
  bool write = b->flags & B_DIRTY;
  if (!d || b->blockno >= d->nblocks || d->ops->transfer(b->blockno, b->data, write) < 0)
    return -EIO;
  b->flags = (b->flags & ~B_DIRTY) | B_VALID;
  return 0;
}

int blkdev_busy(uint32_t lo, uint32_t hi) {
  int n = 0;
  for (int i = 0; i < NBLKDEV; i++)
    if (devs[i].ops && (uint32_t)devs[i].ops >= lo && (uint32_t)devs[i].ops < hi)
      n += devs[i].opens;
  return n;
}

int blkdev_open(const char *path, int flags, struct file **fp) {
  if (strncmp(path, "/dev/", 5) != 0)
    return 0;
  for (int i = 0; i < NBLKDEV; i++)
    if (devs[i].ops && strcmp(devs[i].name, path + 5) == 0) {
      struct file *f = filealloc();
      if (!f)
        return -ENFILE;
      f->type = FD_BLK;
      f->chrdev = i;
      f->readable = (flags & O_ACCMODE) != O_WRONLY;
      f->writable = (flags & O_ACCMODE) != O_RDONLY;
      devs[i].opens++;
      *fp = f;
      return 1;
    }
  return 0;
}

void blkdev_close(struct file *f) {
  devs[f->chrdev].opens--;
}

/* Raw access: n bytes at f->off, block by block through the cache; stops at the device's end. */
int blkdev_io(struct file *f, uaddr_t ubuf, int n, bool write) {
  struct blkdev *d = &devs[f->chrdev];
  uint32_t dev = DEV(BLKDEV_FIRST + f->chrdev, 0), size = d->nblocks * BSIZE;
  int done = 0;
  if (!d->ops)
    return -ENXIO;
  while (done < n && f->off < size) {
    uint32_t off = f->off % BSIZE, m = MIN((uint32_t)(n - done), BSIZE - off);
    struct buf *b = bread(dev, f->off / BSIZE);
    if (!b)
      return done ? done : -EIO;
    int r = write ? copyin(curproc->pgdir, b->data + off, ubuf + done, m)
                  : copyout(curproc->pgdir, ubuf + done, b->data + off, m);
    if (r == 0 && write)
      r = bwrite(b);
    brelse(b);
    if (r < 0)
      return done ? done : r;
    f->off += m;
    done += m;
  }
  if (write && done == 0 && n > 0)
    return -ENOSPC;
  return done;
}

EXPORT_SYMBOL(register_blkdev);
EXPORT_SYMBOL(unregister_blkdev);
