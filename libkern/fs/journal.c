/* journal.c: the ext3 journal in JBD2's on-disk format, used the simple way (xv6's log):
 *
 * - One transaction per file-system change (fs_lock .. fs_unlock). Metadata blocks (bitmaps,
 *   inode table, group descriptors, superblock, indirect and directory blocks) go to the
 *   transaction with log_write(), which pins them in the buffer cache instead of writing them.
 *   File data is written in place at once, before the commit (data=ordered).
 * - journal_commit() at the end of the change: the needs_recovery flag and the journal
 *   superblock (s_start = s_first), one descriptor block with a tag per block, the block copies,
 *   FLUSH; the commit block, FLUSH; the blocks written home (the checkpoint), FLUSH; then the
 *   journal is marked empty (s_start = 0, the next sequence) and needs_recovery cleared.
 * - So every transaction starts at s_first and the journal never holds more than one committed
 *   transaction that is not yet home. That is why no revoke records are needed: a revoke stops
 *   replay of an OLD transaction's copy of a block that was freed and reused since; here a
 *   replay only ever sees the newest transaction, whose copies are the newest contents. Blocks
 *   freed in a transaction are not reallocated before it commits (journal_freed), so writing
 *   new data in place never overwrites a block the last committed state still uses.
 * - journal_open() replays at mount: every complete transaction from s_start, in sequence order,
 *   stopping at the first one without a commit block (the JBD2 recovery rule, so journals
 *   written by Linux replay too, as long as they use no revoke records or checksums).
 *
 * Every block here is big-endian, as JBD2 is. Tags are the 8-byte form (no 64bit, no csum
 * features): t_blocknr, t_checksum (unused, 0), t_flags; the first is followed by the UUID. */
#include "ext2host.h"      /* the building kernel's block cache, kmalloc, printk (see libkern/ext2.h) */
#include "libkern/journal.h"

#define LOG_MAX 64                        /* blocks per transaction (the cache pins them) */
#define TAG_SIZE 8
#define HDR_SIZE 12

/* journal superblock offsets */
#define JSB_BLOCKSIZE 12
#define JSB_MAXLEN    16
#define JSB_FIRST     20
#define JSB_SEQUENCE  24
#define JSB_START     28
#define JSB_INCOMPAT  40
#define JSB_UUID      48

static struct {
  bool on;
  uint32_t dev;
  journal_map_t map;
  uint32_t maxlen, first, sequence, cap;
  uint32_t phys[LOG_MAX + 2];             /* disk blocks of journal blocks first .. first+cap+1 */
  uint32_t phys_jsb;                      /* and of the journal superblock (journal block 0) */
  uint8_t uuid[16];
  int n;                                  /* blocks in the open transaction */
  struct buf *blocks[LOG_MAX];
  bool warned;
  uint8_t *freed;                         /* bit b: block b was freed by the open transaction */
  uint32_t fs_blocks, nfreed;
} j;

/* the test hook (journal_crash_after): stop the machine after the log or the commit block of
 * the n-th transaction since mount, as a power cut there would */
static uint32_t crash_log, crash_commit, ncommits;

static uint8_t jbuf[BSIZE], dbuf[BSIZE];  /* journal blocks being built or read (fs_lock held) */

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static void header(uint8_t *p, uint32_t type, uint32_t seq) {
  memset(p, 0, BSIZE);
  put_be32(p, JBD2_MAGIC);
  put_be32(p + 4, type);
  put_be32(p + 8, seq);
}

/* The next journal block after blk (the log is circular over [first, maxlen)). */
static uint32_t next(uint32_t blk) {
  return blk + 1 < j.maxlen ? blk + 1 : j.first;
}

static int jread(uint32_t n, uint8_t *data) {
  uint32_t p = j.map(n);
  return p ? bio_rawread(j.dev, p, data) : -EIO;
}

/* The journal superblock as on the disk (read at open; only write_jsb changes it). */
static uint8_t jsb[BSIZE];

/* Rewrites the journal superblock with s_start and s_sequence. */
static int write_jsb(uint32_t start, uint32_t seq) {
  put_be32(jsb + JSB_START, start);
  put_be32(jsb + JSB_SEQUENCE, seq);
  return bio_rawwrite(j.dev, j.phys_jsb, jsb);
}

/* One pass over the journal from (start, seq). With replay false it only counts the complete
 * transactions (each ending in its commit block); with replay true it writes the blocks of the
 * first 'complete' transactions home. Returns the number of complete transactions. */
static int pass(uint32_t start, uint32_t seq, bool replay, int complete) {
  uint32_t blk = start;
  int done = 0;
  for (uint32_t steps = 0; steps < j.maxlen && !(replay && done == complete); steps++) {
    if (jread(blk, jbuf) < 0 || be32(jbuf) != JBD2_MAGIC || be32(jbuf + 8) != seq)
      break;
    uint32_t type = be32(jbuf + 4);
    if (type == JBD2_COMMIT) {
      done++, seq++;
    } else if (type == JBD2_DESCRIPTOR) {
      for (uint32_t off = HDR_SIZE; off + TAG_SIZE <= BSIZE;) {
        uint32_t home = be32(jbuf + off), flags = jbuf[off + 6] << 8 | jbuf[off + 7];
        off += TAG_SIZE + (flags & JBD2_TAG_SAME_UUID ? 0 : 16);
        blk = next(blk);
        if (replay) {
          if (jread(blk, dbuf) < 0)
            return -EIO;
          if (flags & JBD2_TAG_ESCAPE)
            put_be32(dbuf, JBD2_MAGIC);
          if (home >= j.fs_blocks || bio_rawwrite(j.dev, home, dbuf) < 0)
            return -EIO;
        }
        if (flags & JBD2_TAG_LAST)
          break;
      }
    } else {
      break;                              /* a revoke block: refused at open */
    }
    blk = next(blk);
  }
  return done;
}

/* Replays what the journal holds (s_start != 0), then marks it empty. */
static int recover(uint32_t start) {
  int n = pass(start, j.sequence, false, 0);
  printk("journal: recovering %d transaction%s from sequence %u\n", n, n == 1 ? "" : "s", j.sequence);
  if (n > 0 && (pass(start, j.sequence, true, n) < 0 || bio_flush(j.dev) < 0))
    return -EIO;
  j.sequence += n;
  if (write_jsb(0, j.sequence) < 0 || bio_flush(j.dev) < 0)
    return -EIO;
  return n;
}

/* Opens the journal whose blocks 'map' finds: checks its superblock, replays it if it holds
 * transactions, and turns journaling on. Returns the number of transactions replayed, or -errno
 * (then the file system must not be written). fs_blocks bounds the home block numbers. */
int journal_open(uint32_t dev, journal_map_t map, uint32_t fs_blocks) {
  j.dev = dev;
  j.map = map;
  j.fs_blocks = fs_blocks;
  if (!(j.phys_jsb = map(0)) || jread(0, jbuf) < 0 || be32(jbuf) != JBD2_MAGIC)
    return -EINVAL;
  memmove(jsb, jbuf, BSIZE);
  uint32_t type = be32(jbuf + 4), start = be32(jbuf + JSB_START);
  uint32_t incompat = type == JBD2_SUPERBLOCK_V2 ? be32(jbuf + JSB_INCOMPAT) : 0;
  j.maxlen = be32(jbuf + JSB_MAXLEN);
  j.first = be32(jbuf + JSB_FIRST);
  j.sequence = be32(jbuf + JSB_SEQUENCE);
  memmove(j.uuid, jbuf + JSB_UUID, 16);
  if ((type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2) || be32(jbuf + JSB_BLOCKSIZE) != BSIZE ||
      j.first == 0 || j.first + 4 > j.maxlen) {
    printk("journal: unsupported journal superblock\n");
    return -EINVAL;
  }
  if ((incompat & ~JBD2_INCOMPAT_REVOKE) || ((incompat & JBD2_INCOMPAT_REVOKE) && start)) {
    printk("journal: features %x not supported (run e2fsck)\n", incompat);
    return -EINVAL;
  }
  j.cap = MIN(LOG_MAX, MIN((BSIZE - HDR_SIZE - 16) / TAG_SIZE, j.maxlen - j.first - 2));
  for (uint32_t i = 0; i < j.cap + 2; i++)
    if (!(j.phys[i] = map(j.first + i)))
      return -EIO;
  int n = 0;
  if (start && (n = recover(start)) < 0)
    return n;
  if (!(j.freed = kmalloc((fs_blocks + 7) / 8)))
    return -ENOMEM;
  memset(j.freed, 0, (fs_blocks + 7) / 8);
  j.on = true;
  return n;
}

bool journal_on(void) {
  return j.on;
}

/* Adds b (owned by the caller, its data changed) to the open transaction, in place of bwrite:
 * the block stays pinned in the cache until the commit writes it to the journal and home. A
 * transaction that is full (a change bigger than the journal allows) writes through instead. */
int log_write(struct buf *b) {
  if (!j.on || b->dev != j.dev)
    return bwrite(b);
  for (int i = 0; i < j.n; i++)
    if (j.blocks[i] == b)
      return 0;                           /* absorbed: the commit takes the latest contents */
  if ((uint32_t)j.n == j.cap) {
    if (!j.warned)
      printk("journal: transaction full, block %u written in place\n", b->blockno);
    j.warned = true;
    return bwrite(b);
  }
  b->flags |= B_LOGGED;
  j.blocks[j.n++] = b;
  return 0;
}

/* How many more blocks the open transaction can take. */
uint32_t journal_room(void) {
  return j.on ? j.cap - j.n : LOG_MAX;
}

/* Block blk was freed by the open transaction: not to be reused before it commits. */
void journal_freed(uint32_t blk) {
  if (j.on && blk < j.fs_blocks) {
    j.freed[blk / 8] |= 1 << (blk % 8);
    j.nfreed++;
  }
}

bool journal_freed_now(uint32_t blk) {
  return j.on && j.nfreed && blk < j.fs_blocks && (j.freed[blk / 8] & (1 << (blk % 8)));
}

/* The descriptor block and the block copies, at journal blocks first .. first+n. */
static int write_log(uint32_t seq) {
  static uint8_t desc[BSIZE];
  header(desc, JBD2_DESCRIPTOR, seq);
  uint32_t off = HDR_SIZE;
  int r = 0;
  for (int i = 0; i < j.n; i++) {
    uint32_t flags = (i > 0 ? JBD2_TAG_SAME_UUID : 0) | (i == j.n - 1 ? JBD2_TAG_LAST : 0);
    memmove(jbuf, j.blocks[i]->data, BSIZE);
    if (be32(jbuf) == JBD2_MAGIC) {       /* would read as a journal block: escape it */
      put_be32(jbuf, 0);
      flags |= JBD2_TAG_ESCAPE;
    }
    r |= bio_rawwrite(j.dev, j.phys[1 + i], jbuf);
    put_be32(desc + off, j.blocks[i]->blockno);
    desc[off + 6] = flags >> 8, desc[off + 7] = flags;
    off += TAG_SIZE;
    if (i == 0) {
      memmove(desc + off, j.uuid, 16);
      off += 16;
    }
  }
  r |= bio_rawwrite(j.dev, j.phys[0], desc);
  return r;
}

/* Commits the open transaction (see the top of the file); returns when it is on the disk and
 * home. An I/O error leaves the journal as it is: the next mount replays or discards it. */
int journal_commit(void) {
  if (j.nfreed) {
    memset(j.freed, 0, (j.fs_blocks + 7) / 8);
    j.nfreed = 0;
  }
  if (!j.on || j.n == 0)
    return 0;
  uint32_t seq = j.sequence;
  int r = ext2_mark_recover(true);
  r |= write_jsb(j.first, seq);
  r |= write_log(seq);
  r |= bio_flush(j.dev);
  ncommits++;
  if (ncommits == crash_log)
    journal_crashed("before the commit block", seq);
  if (r == 0) {
    header(jbuf, JBD2_COMMIT, seq);
    r |= bio_rawwrite(j.dev, j.phys[1 + j.n], jbuf);
    r |= bio_flush(j.dev);
  }
  if (ncommits == crash_commit)
    journal_crashed("after the commit block", seq);
  for (int i = 0; i < j.n; i++) {         /* checkpoint (only after a durable commit) */
    struct buf *b = j.blocks[i];
    if (r == 0 && bread(b->dev, b->blockno) == b) {   /* pinned: the cache still holds it */
      r |= bwrite(b);
      b->flags &= ~B_LOGGED;
      brelse(b);
    } else {
      b->flags &= ~B_LOGGED;
      r = -EIO;
    }
  }
  j.n = 0;
  if (r == 0)
    r |= bio_flush(j.dev);
  if (r == 0) {
    j.sequence = seq + 1;
    r |= write_jsb(0, j.sequence);
    r |= ext2_mark_recover(false);
  }
  if (r)
    printk("journal: I/O error committing transaction %u\n", seq);
  return r ? -EIO : 0;
}

/* Test hook: journal_commit calls journal_crashed (which does not return) in the n-th
 * transaction since mount, after its log blocks (before the commit block) or after its commit
 * block (before the checkpoint). 0 = never. */
void journal_crash_after(uint32_t log, uint32_t commit) {
  crash_log = log;
  crash_commit = commit;
}
