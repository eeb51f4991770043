/* bio.c: the buffer cache: NBUF blocks of BSIZE bytes, kept in LRU order; one owner at a time.
 * bread() returns a block B_BUSY (owned by the caller), bwrite() writes it through, brelse()
 * gives it back. Block numbers are relative to a partition (dev = disk and partition). */
#include "defs.h"
#include "buf.h"
#include "proc.h"
#include "libkern/journal.h"

#define NBUF 128                /* a journal transaction pins up to 64 of them */

static struct buf bufs[NBUF];
static struct buf head;       /* LRU sentinel: head.next is the most recently used */

void binit(void) {
  head.prev = head.next = &head;
  for (int i = 0; i < NBUF; i++) {
    struct buf *b = &bufs[i];
    b->next = head.next;
    b->prev = &head;
    head.next->prev = b;
    head.next = b;
  }
}

/* The cached block (dev, blockno), owned by the caller; else the least recently used clean one. */
static struct buf *bget(uint32_t dev, uint32_t blockno) {
again:
  for (struct buf *b = head.next; b != &head; b = b->next) {
    if (b->dev != dev || b->blockno != blockno || !(b->flags & (B_VALID | B_BUSY)))
      continue;
    if (b->flags & B_BUSY) {
      if (!can_sleep())
        panic("bget: block %u busy at boot", blockno);
      sleep(b);                 /* brelse wakes us; the block may have been recycled meanwhile */
      goto again;
    }
    b->flags |= B_BUSY;
    return b;
  }
  for (struct buf *b = head.prev; b != &head; b = b->prev)
    if (!(b->flags & (B_BUSY | B_DIRTY | B_LOGGED))) {
      b->dev = dev;
      b->blockno = blockno;
      b->flags = B_BUSY;
      return b;
    }
  return 0;                     /* every buffer is owned: the caller gets -EBUSY-ish failure */
}

/* The driver for b's device: a registered block device (fs/blkdev.c) or an ATA disk. */
static int blk_rw(struct buf *b) {
  return blkdev_is(b->dev) ? blkdev_rw(b) : ata_rw(b);
}

/* Forgets every cached block of dev (a block device going away, or a new one in its place). */
void binval(uint32_t dev) {
  for (int i = 0; i < NBUF; i++)
    if (bufs[i].dev == dev && !(bufs[i].flags & (B_BUSY | B_LOGGED)))
      bufs[i].flags &= ~B_VALID;
}

/* Where block blockno of dev starts on its disk (b->sector), checking it lies inside dev. */
static int locate(uint32_t dev, uint32_t blockno, uint32_t *sector) {
  uint32_t start = 0, nsectors;
  if ((blkdev_is(dev) ? blkdev_size(dev, &nsectors) : part_lookup(dev, &start, &nsectors)) < 0 ||
      (uint64_t)(blockno + 1) * (BSIZE / SECTOR) > nsectors)
    return -EIO;
  *sector = start + blockno * (BSIZE / SECTOR);
  return 0;
}

/* Raw I/O for the journal: one block read into or written from data, around the cache (the
 * journal's own blocks are never cached; its callers keep the cache coherent). One request at
 * a time: the callers hold the file-system lock, or run at mount. */
static struct buf raw;

static int rawio(uint32_t dev, uint32_t blockno, int flags) {
  raw.dev = dev;
  raw.blockno = blockno;
  raw.flags = B_BUSY | flags;
  if (!(flags & B_FLUSH) && locate(dev, blockno, &raw.sector) < 0)
    return -EIO;
  return blk_rw(&raw);
}

int bio_rawread(uint32_t dev, uint32_t blockno, void *data) {
  int r = rawio(dev, blockno, 0);
  if (r == 0)
    memmove(data, raw.data, BSIZE);
  return r;
}

int bio_rawwrite(uint32_t dev, uint32_t blockno, const void *data) {
  memmove(raw.data, data, BSIZE);
  return rawio(dev, blockno, B_DIRTY);
}

/* Waits until every write dev's disk completed is on its medium (ATA FLUSH CACHE). Registered
 * block devices (RAM disks) have no write cache. */
int bio_flush(uint32_t dev) {
  if (blkdev_is(dev))
    return 0;
  raw.sector = 0;
  return rawio(dev, 0, B_FLUSH | B_DIRTY);
}

/* Reads block blockno of dev; returns the busy buffer, or 0 (beyond the partition, I/O error,
 * no free buffer). */
struct buf *bread(uint32_t dev, uint32_t blockno) {
  uint32_t sector;
  if (locate(dev, blockno, &sector) < 0)
    return 0;
  struct buf *b = bget(dev, blockno);
  if (!b)
    return 0;
  b->sector = sector;
  if (!(b->flags & B_VALID) && blk_rw(b) < 0) {
    brelse(b);
    return 0;
  }
  return b;
}

/* Writes b (owned by the caller) through to the disk; returns 0 or -EIO. */
int bwrite(struct buf *b) {
  if (!(b->flags & B_BUSY))
    panic("bwrite: buffer not owned");
  b->flags |= B_DIRTY;
  return blk_rw(b);
}

void brelse(struct buf *b) {
  if (!(b->flags & B_BUSY))
    panic("brelse: buffer not owned");
  b->flags &= ~B_BUSY;
  if (b->flags & B_DIRTY)         /* a failed write: forget the block rather than pin a buffer */
    b->flags &= ~(B_DIRTY | B_VALID);
  b->next->prev = b->prev;        /* move to the front (most recently used) */
  b->prev->next = b->next;
  b->next = head.next;
  b->prev = &head;
  head.next->prev = b;
  head.next = b;
  wakeup(b);
}
