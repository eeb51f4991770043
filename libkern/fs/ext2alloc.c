/* ext2alloc.c: ext2 block and inode allocation through the group bitmaps, keeping the free counts
 * of the group descriptors and the superblock in step (what e2fsck checks). Bitmaps go to the
 * journal at once (log_write, a plain write on ext2); the counts once per file-system change,
 * when fs_unlock() calls ext2_flush_counts(). */
#include "ext2int.h"

static int write_super(void) {
  struct buf *b = bread(fs.dev, 1);       /* with 1 KiB blocks the superblock is block 1 */
  if (!b)
    return -EIO;
  memmove(b->data, &fs.sb, sizeof(fs.sb));
  int r = log_write(b);
  brelse(b);
  return r;
}

static void mark_group(uint32_t g) {
  fs.super_dirty = true;
  if (g < 32)
    fs.groups_dirty |= 1u << g;
  else
    fs.all_groups_dirty = true;
}

static int write_group(uint32_t g) {
  uint32_t off = g * sizeof(struct ext2_group);
  struct buf *b = bread(fs.dev, fs.first_data_block + 1 + off / BSIZE);
  if (!b)
    return -EIO;
  memmove(b->data + off % BSIZE, &fs.groups[g], sizeof(struct ext2_group));
  int r = log_write(b);
  brelse(b);
  return r;
}

/* Writes the group descriptors and the superblock whose counts changed. */
void ext2_flush_counts(void) {
  for (uint32_t g = 0; g < fs.ngroups; g++)
    if (fs.all_groups_dirty || (g < 32 && (fs.groups_dirty & (1u << g))))
      write_group(g);
  if (fs.super_dirty)
    write_super();
  fs.groups_dirty = 0;
  fs.all_groups_dirty = fs.super_dirty = false;
}

/* Finds and sets a clear bit among bits [low, nbits) of bitmap block 'bitmap', looking from
 * 'start' onwards and wrapping around; -1 if none. For a block bitmap ('base' = the block of
 * bit 0, else 0) it skips blocks the open transaction freed: until it commits, the file system
 * on the disk still uses them, and new data is written in place at once. */
static int64_t takebit(uint32_t bitmap, uint32_t nbits, uint32_t low, uint32_t start, uint32_t base) {
  struct buf *b = bread(fs.dev, bitmap);
  if (!b)
    return -EIO;
  if (start < low || start >= nbits)
    start = low;
  for (uint32_t k = 0, i = start; k < nbits - low; k++, i = i + 1 < nbits ? i + 1 : low)
    if (!(b->data[i / 8] & (1 << (i % 8))) && !(base && journal_freed_now(base + i))) {
      b->data[i / 8] |= 1 << (i % 8);
      int r = log_write(b);
      brelse(b);
      return r < 0 ? r : (int64_t)i;
    }
  brelse(b);
  return -1;
}

static void clearbit(uint32_t bitmap, uint32_t i, const char *what) {
  struct buf *b = bread(fs.dev, bitmap);
  if (!b)
    return;
  if (!(b->data[i / 8] & (1 << (i % 8))))
    printk("ext2: freeing free %s %u\n", what, i);
  b->data[i / 8] &= ~(1 << (i % 8));
  log_write(b);
  brelse(b);
}

/* Where the last block was allocated: the next search starts there, so a growing file does not
 * rescan the whole bitmap for every block (and tends to get consecutive blocks). */
static uint32_t lastblock;

/* A new zeroed block, or -ENOSPC / -EIO. */
int64_t balloc(void) {
  uint32_t hint = lastblock > fs.first_data_block ? lastblock - fs.first_data_block : 0;
  for (uint32_t k = 0; k < fs.ngroups; k++) {
    uint32_t g = (hint / fs.blocks_per_group + k) % fs.ngroups;
    if (fs.groups[g].bg_free_blocks_count == 0)
      continue;
    uint32_t nbits = MIN(fs.blocks_per_group, fs.sb.s_blocks_count - fs.first_data_block - g * fs.blocks_per_group);
    uint32_t base = fs.first_data_block + g * fs.blocks_per_group;
    int64_t i = takebit(fs.groups[g].bg_block_bitmap, nbits, 0, k == 0 ? hint % fs.blocks_per_group : 0, base);
    if (i == -1)
      continue;
    if (i < 0)
      return i;
    fs.groups[g].bg_free_blocks_count--;
    fs.sb.s_free_blocks_count--;
    mark_group(g);
    uint32_t blk = fs.first_data_block + g * fs.blocks_per_group + i;
    lastblock = blk;
    struct buf *b = bread(fs.dev, blk);
    if (!b)
      return -EIO;
    memset(b->data, 0, BSIZE);
    bwrite(b);                   /* in place: a block free on the disk (see takebit) */
    brelse(b);
    return blk;
  }
  return -ENOSPC;
}

void bfree(uint32_t blk) {
  uint32_t g = (blk - fs.first_data_block) / fs.blocks_per_group;
  if (blk < fs.first_data_block || g >= fs.ngroups)
    panic("bfree: block %u out of range", blk);
  clearbit(fs.groups[g].bg_block_bitmap, (blk - fs.first_data_block) % fs.blocks_per_group, "block");
  fs.groups[g].bg_free_blocks_count++;
  fs.sb.s_free_blocks_count++;
  mark_group(g);
  journal_freed(blk);
}

/* A new inode number with a zeroed disk inode, or -ENOSPC / -EIO. Inodes below s_first_ino are
 * reserved (root is 2, lost+found usually 11). */
int64_t ialloc(bool dir) {
  for (uint32_t g = 0; g < fs.ngroups; g++) {
    if (fs.groups[g].bg_free_inodes_count == 0)
      continue;
    uint32_t first = g == 0 ? fs.sb.s_first_ino - 1 : 0;
    int64_t i = takebit(fs.groups[g].bg_inode_bitmap, fs.inodes_per_group, first, first, 0);
    if (i == -1)
      continue;
    if (i < 0)
      return i;
    fs.groups[g].bg_free_inodes_count--;
    fs.sb.s_free_inodes_count--;
    if (dir)
      fs.groups[g].bg_used_dirs_count++;
    mark_group(g);
    uint32_t off = i * fs.inode_size;
    struct buf *b = bread(fs.dev, fs.groups[g].bg_inode_table + off / BSIZE);
    if (!b)
      return -EIO;
    memset(b->data + off % BSIZE, 0, fs.inode_size);
    log_write(b);
    brelse(b);
    return g * fs.inodes_per_group + i + 1;
  }
  return -ENOSPC;
}

void ifree(uint32_t inum, bool dir) {
  uint32_t g = (inum - 1) / fs.inodes_per_group;
  clearbit(fs.groups[g].bg_inode_bitmap, (inum - 1) % fs.inodes_per_group, "inode");
  fs.groups[g].bg_free_inodes_count++;
  fs.sb.s_free_inodes_count++;
  if (dir)
    fs.groups[g].bg_used_dirs_count--;
  mark_group(g);
}
