/* buf.h: a block in the buffer cache: BSIZE bytes of one device, and the driver's request state. */
#pragma once
#include "types.h"

#define BSIZE 1024          /* cache block size: the ext2 block size the images use */
#define SECTOR 512

/* dev numbers: (disk << 4) | partition, partition 0 = the whole disk (Linux's hda = 3:0 style) */
#define DEV(disk, part) (((disk) << 4) | (part))
#define DEV_DISK(dev) ((dev) >> 4)
#define DEV_PART(dev) ((dev) & 15)

#define B_BUSY  0x1         /* owned by a process (between bread and brelse) */
#define B_VALID 0x2         /* data holds the block's contents */
#define B_DIRTY 0x4         /* data must be written to disk */
#define B_QUEUED 0x8        /* in the disk driver's queue */
#define B_LOGGED 0x10       /* in the open journal transaction: pinned until it commits */
#define B_FLUSH  0x20       /* not a transfer: the disk's FLUSH CACHE (bio_flush) */

struct buf {
  int flags;
  uint32_t dev;
  uint32_t blockno;         /* in BSIZE units from the start of dev */
  uint32_t sector;          /* absolute LBA on the disk, for the driver */
  int refcnt;
  struct buf *prev, *next;  /* LRU list: head.next is the most recently used */
  struct buf *qnext;        /* the driver's request queue */
  uint8_t data[BSIZE];
};
