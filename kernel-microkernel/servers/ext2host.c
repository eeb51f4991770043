/* ext2host.c: the file server's side of the shared ext2 code (libkern/fs): a 96-block cache whose
 * misses and writes are block.read / block.write IPCs to the ATA driver through one shared page,
 * the journal's raw block I/O and FLUSH CACHE (block.flush), the lock (the server is one thread,
 * so only the depth matters) whose outermost unlock commits the ext3 transaction, inode times
 * from the KIP clock. */
#include "srv.h"
#include "ext2host.h"
#include "libkern/ext2.h"
#include "libkern/journal.h"
#include "libkern/format.h"
#include "idl/block_client.h"
#include "libkern/portio.h"

#define NBUF 96                     /* a journal transaction pins up to 64 of them */
static struct buf cache[NBUF];
static uint32_t stamp;
static uint8_t xfer[4096] __attribute__((aligned(4096)));   /* mapped to the driver */
static l4_threadid_t ata;
uint32_t part_lba;                  /* the root partition's first sector */

static int attach(void) {
  ata = lookup_wait("ata");
  memset(xfer, 0, sizeof(xfer));    /* touch it: only mapped pages can be mapped on */
  idl_fpage_t fp = { 0, l4_fpage((l4_word_t)xfer, 12, L4_R | L4_W) };
  l4_word_t size;
  return block_attach(ata, fp, &size);
}

/* Sector I/O (or FLUSH CACHE) through the shared page; when the driver has gone (an IPC error)
 * it is retried through a fresh lookup and attach until the restarted driver answers. Writes are
 * write-through and acknowledged only when the driver said so, so a restart loses no
 * acknowledged write. (A write the driver took but the disk's cache still held when the driver
 * died is the journal's business: it flushes before it counts on a block.) */
enum { DISK_READ, DISK_WRITE, DISK_FLUSH };

static int disk_op(int op, uint32_t lba, uint32_t count, void *data) {
  for (int attempt = 0; attempt < 500; attempt++) {      /* 5 s */
    if (!ata && attach() < 0) {
      ata = 0;
      nap();                          /* the restart server is bringing the driver back */
      continue;
    }
    if (op == DISK_WRITE)
      memmove(xfer, data, count * 512);
    l4_word_t done = count;
    int r = op == DISK_FLUSH ? block_flush(ata)
          : op == DISK_WRITE ? block_write(ata, lba, count, &done) : block_read(ata, lba, count, &done);
    if (r >= 0 && done == count) {
      if (op == DISK_READ)
        memmove(data, xfer, count * 512);
      return 0;
    }
    if (!IDL_IS_EIPC(r) && r != -22)
      return -EIO;
    printf("ext2fs: disk I/O failed (%d); finding the ATA driver again\n", r);
    ata = 0;                        /* the driver is gone or forgot us: find it again */
    nap();
  }
  return -EIO;
}

int disk_io(bool write, uint32_t lba, uint32_t count, void *data) {
  return disk_op(write ? DISK_WRITE : DISK_READ, lba, count, data);
}

struct buf *bread(uint32_t dev, uint32_t blockno) {
  struct buf *victim = 0;
  for (int i = 0; i < NBUF; i++) {
    struct buf *b = &cache[i];
    if (b->valid && b->blockno == blockno) {
      b->refcnt++;
      b->used = ++stamp;
      return b;
    }
    if (b->refcnt == 0 && !(b->flags & B_LOGGED) &&
        (!victim || !b->valid || (victim->valid && b->used < victim->used)))
      victim = b;
  }
  if (!victim)
    panic("bread: all %d buffers in use", NBUF);
  victim->valid = false;
  if (disk_io(false, part_lba + blockno * (BSIZE / 512), BSIZE / 512, victim->data) < 0)
    return 0;
  victim->dev = dev;
  victim->blockno = blockno;
  victim->valid = true;
  victim->refcnt = 1;
  victim->used = ++stamp;
  return victim;
}

int bwrite(struct buf *b) {
  return disk_io(true, part_lba + b->blockno * (BSIZE / 512), BSIZE / 512, b->data);
}

void brelse(struct buf *b) {
  b->refcnt--;
}

/* Forgets the cached blocks (the journal's replay wrote around the cache). */
void binval(uint32_t dev) {
  for (int i = 0; i < NBUF; i++)
    if (cache[i].refcnt == 0 && !(cache[i].flags & B_LOGGED))
      cache[i].valid = false;
}

/* ---- the journal's block I/O (libkern/journal.h): around the cache, and FLUSH CACHE ---- */
int bio_rawread(uint32_t dev, uint32_t blockno, void *data) {
  return disk_io(false, part_lba + blockno * (BSIZE / 512), BSIZE / 512, data);
}

int bio_rawwrite(uint32_t dev, uint32_t blockno, const void *data) {
  return disk_io(true, part_lba + blockno * (BSIZE / 512), BSIZE / 512, (void *)data);
}

int bio_flush(uint32_t dev) {
  return disk_op(DISK_FLUSH, 0, 0, 0);
}

/* A bump allocator: the group descriptors and the journal's freed-block bitmap, allocated at
 * mount (again after a journal replay: kfree does not give memory back). */
void *kmalloc(uint32_t n) {
  static uint8_t heap[65536];
  static uint32_t used;
  n = (n + 15) & ~15u;
  if (used + n > sizeof(heap))
    return 0;
  used += n;
  return heap + used - n;
}

void kfree(void *p) {
  (void)p;
}

void panic(const char *fmt, ...) {
  char line[160];
  va_list ap;
  va_start(ap, fmt);
  kvsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  printf("ext2fs: panic: %s\n", line);
  exit(1);
}

/* The outermost fs_lock .. fs_unlock is one change and, on ext3, one journal transaction,
 * committed before the reply: an acknowledged change is on the disk. */
static int lockdepth;
void fs_lock(void) {
  lockdepth++;
}
void fs_unlock(void) {
  if (lockdepth == 1) {
    ext2_flush_counts();
    journal_commit();
  }
  lockdepth--;
}

/* The journal's test stop (only kernel-monolithic's command line sets one): stop at once. */
void journal_crashed(const char *where, uint32_t seq) {
  printf("ext2fs: journal test crash %s of transaction %u\n", where, seq);
  exit(3);
}

/* ---- time: the CMOS clock once at start (ports 0x70-0x71 from the root task), then the KIP clock ---- */
static uint32_t boot_seconds;

static uint32_t cmos(uint8_t reg, bool bcd) {
  outb(0x70, reg);
  uint32_t v = inb(0x71);
  return bcd ? (v >> 4) * 10 + (v & 15) : v;
}

void read_rtc(void) {
  while (cmos(0x0A, false) & 0x80)  /* update in progress */
    ;
  bool bcd = !(cmos(0x0B, false) & 4);
  uint32_t s = cmos(0, bcd), m = cmos(2, bcd), h = cmos(4, bcd), d = cmos(7, bcd), mo = cmos(8, bcd);
  uint32_t y = 2000 + cmos(9, bcd);
  static const uint16_t before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
  uint32_t days = (y - 1970) * 365 + (y - 1969) / 4 + before[(mo - 1) % 12] + d - 1;
  if (mo > 2 && y % 4 == 0)
    days++;
  boot_seconds = days * 86400 + h * 3600 + m * 60 + s;
}

uint32_t fs_now(void) {
  uint64_t us = l4_clock();
  return boot_seconds + (uint32_t)(us >> 20);   /* >> 20: about a second, without 64-bit division */
}

struct inode *ext2_host_cwd(void) {
  return 0;                          /* clients send absolute paths */
}
int ext2_host_copyin(void *dst, const void *usrc, uint32_t n) {
  memmove(dst, usrc, n);
  return 0;
}
int ext2_host_copyout(void *udst, const void *src, uint32_t n) {
  memmove(udst, src, n);
  return 0;
}
