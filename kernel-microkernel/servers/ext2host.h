/* ext2host.h: what the shared ext2 code (libkern/fs/ext2*.c) needs, as the file server provides
 * it (see libkern/include/libkern/ext2.h and journal.h): a block cache over the ATA driver's IPC
 * interface, a small allocator, printing, the Linux errno values and mode bits (kernel-monolithic's uapi). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "libkern/string.h"
#include "uapi/errno.h"
#include "uapi/stat.h"

#define BSIZE 1024
#define MAXPATH 128
#define DEV_DISK(dev) ((dev) >> 4)       /* dev = disk << 4 | partition, as the monolith numbers them */
#define DEV_PART(dev) ((dev) & 15)
#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define B_LOGGED 0x10               /* in the open journal transaction: stays cached until it commits */

struct buf {
  uint32_t dev;
  uint32_t blockno;
  int flags;                        /* B_LOGGED */
  int refcnt;
  bool valid;
  uint32_t used;                    /* LRU stamp */
  uint8_t data[BSIZE];
};

struct buf *bread(uint32_t dev, uint32_t blockno);
int bwrite(struct buf *b);         /* write-through: on the disk when it returns 0 */
void brelse(struct buf *b);
void binval(uint32_t dev);         /* forgets the cached blocks (not the journal's pinned ones) */
void *kmalloc(uint32_t n);
void kfree(void *p);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define printk printf
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
