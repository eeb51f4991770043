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

static struct devslot devs[NBLKDEV];
static uint32_t nblocks[NBLKDEV];   /* size of each registered device, in BSIZE blocks */

int register_blkdev(const char *name, const struct blkdev_ops *ops, uint32_t size) {
  int slot = devtab_add(devs, NBLKDEV, name, ops);
  if (slot < 0)
    return slot;
  if (size == 0) {
    devs[slot].ops = 0;
    return -EINVAL;
  }
  binval(DEV(BLKDEV_FIRST + slot, 0));   /* nothing cached from a previous device may survive */
  nblocks[slot] = size;
  return BLKDEV_FIRST + slot;
}

void unregister_blkdev(const char *name) {
  int slot = devtab_find(devs, NBLKDEV, name);
  if (slot >= 0) {
    devs[slot].ops = 0;
    binval(DEV(BLKDEV_FIRST + slot, 0));
  }
}

/* The slot of a registered device number, or -1. */
static int lookup(uint32_t dev) {
  int disk = DEV_DISK(dev) - BLKDEV_FIRST;
  if (disk < 0 || disk >= NBLKDEV || DEV_PART(dev) != 0 || !devs[disk].ops)
    return -1;
  return disk;
}

bool blkdev_is(uint32_t dev) {
  return DEV_DISK(dev) >= BLKDEV_FIRST;
}

/* Size in sectors, for bread's bounds check (part_lookup's job for the ATA disks). */
int blkdev_size(uint32_t dev, uint32_t *nsectors) {
  int slot = lookup(dev);
  if (slot < 0)
    return -ENXIO;
  *nsectors = nblocks[slot] * (BSIZE / SECTOR);
  return 0;
}

/* The buffer cache's I/O for a registered device: read unless B_DIRTY; 0 or -EIO. */
int blkdev_rw(struct buf *b) {
  int slot = lookup(b->dev);
  bool write = b->flags & B_DIRTY;
  if (slot < 0 || b->blockno >= nblocks[slot])
    return -EIO;
  const struct blkdev_ops *ops = devs[slot].ops;
  if (ops->transfer(b->blockno, b->data, write) < 0)
    return -EIO;
  b->flags = (b->flags & ~B_DIRTY) | B_VALID;
  return 0;
}

int blkdev_busy(uint32_t lo, uint32_t hi) {
  return devtab_busy(devs, NBLKDEV, lo, hi);
}

int blkdev_open(const char *path, int flags, struct file **fp) {
  return devtab_open(devs, NBLKDEV, path, flags, FD_BLK, fp);
}

void blkdev_close(struct file *f) {
  devs[f->chrdev].opens--;
}

/* Raw access: n bytes at f->off, block by block through the cache; stops at the device's end. */
int blkdev_io(struct file *f, uaddr_t ubuf, int n, bool write) {
  uint32_t dev = DEV(BLKDEV_FIRST + f->chrdev, 0), size = nblocks[f->chrdev] * BSIZE;
  int done = 0;
  if (!devs[f->chrdev].ops)
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
