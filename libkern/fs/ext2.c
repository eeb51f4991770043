/* ext2.c: the ext2 file system: mount, inode cache, block map, reading and writing file data,
 * path lookup. Block size must equal BSIZE (1 KiB). Allocation is in ext2alloc.c, directory
 * changes in ext2dir.c. */
#include "ext2int.h"

#define NINODE 64
#define PTRS (BSIZE / 4)           /* block pointers per indirect block */

struct ext2fs fs;
static struct inode icache[NINODE];

/* Reads the superblock and the group descriptors into fs. */
static int load_super(uint32_t dev) {
  struct buf *b = bread(dev, 1);          /* the superblock is at byte 1024 */
  if (!b)
    return -EIO;
  struct ext2_super sb;
  memmove(&sb, b->data, sizeof(sb));
  fs.journal_inum = sb.s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL
                        ? *(uint32_t *)(b->data + EXT3_SUPER_JOURNAL_INUM_OFFSET) : 0;
  brelse(b);
  if (sb.s_magic != EXT2_MAGIC)
    return -EINVAL;
  if (sb.s_log_block_size != 0 || sb.s_inodes_per_group == 0 || sb.s_blocks_per_group == 0) {
    printk("ext2: only 1 KiB blocks are supported\n");
    return -EINVAL;
  }
  fs.dev = dev;
  fs.sb = sb;
  fs.inodes_per_group = sb.s_inodes_per_group;
  fs.blocks_per_group = sb.s_blocks_per_group;
  fs.ngroups = (sb.s_blocks_count - sb.s_first_data_block + sb.s_blocks_per_group - 1) / sb.s_blocks_per_group;
  fs.inode_size = sb.s_rev_level >= 1 ? sb.s_inode_size : 128;
  fs.first_data_block = sb.s_first_data_block;
  /* the group descriptor table follows the superblock's block */
  uint32_t gdsize = fs.ngroups * sizeof(struct ext2_group);
  if (fs.groups)
    kfree(fs.groups);
  if (!(fs.groups = kmalloc(gdsize)))
    return -ENOMEM;
  for (uint32_t off = 0; off < gdsize; off += BSIZE) {
    if (!(b = bread(dev, fs.first_data_block + 1 + off / BSIZE)))
      return -EIO;
    memmove((char *)fs.groups + off, b->data, MIN(BSIZE, gdsize - off));
    brelse(b);
  }
  return 0;
}

/* The journal's inode (not in the inode cache: nobody opens it) and its block map. */
static struct inode jinode;
static int64_t bmap(struct inode *ip, uint32_t n);

static uint32_t journal_map(uint32_t n) {
  int64_t b = n < jinode.d.i_size / BSIZE ? bmap(&jinode, n) : 0;
  return b > 0 && b < fs.sb.s_blocks_count ? b : 0;
}

/* ext3: opens the journal (inode s_journal_inum) and replays what it holds; the superblock and
 * descriptors are read again when the replay changed them. */
static int open_journal(uint32_t dev) {
  jinode.dev = dev;
  jinode.inum = fs.journal_inum;
  jinode.valid = false;
  if (iload(&jinode) < 0 || !S_ISREG(jinode.d.i_mode)) {
    printk("ext3: no journal inode %u\n", fs.journal_inum);
    return -EINVAL;
  }
  int n = journal_open(dev, journal_map, fs.sb.s_blocks_count);
  if (n < 0) {
    printk("ext3: cannot use the journal (%d): not mounting\n", n);
    return n;
  }
  if (n > 0) {
    binval(dev);                          /* the replay wrote around the cache */
    if ((n = load_super(dev)) < 0)
      return n;
  }
  /* In memory the flag stays set: every superblock copy the journal logs carries it, and
   * journal_commit clears it on disk once a transaction is home. */
  if ((fs.sb.s_feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER) &&
      (ext2_mark_recover(false) < 0 || bio_flush(dev) < 0))
    return -EIO;
  fs.sb.s_feature_incompat |= EXT3_FEATURE_INCOMPAT_RECOVER;
  return 0;
}

/* Mounts the ext2 or ext3 file system on dev; refuses what this code cannot read correctly. */
int ext2_mount(uint32_t dev) {
  int r = load_super(dev);
  if (r < 0)
    return r;
  uint32_t known = EXT2_FEATURE_INCOMPAT_FILETYPE | (fs.journal_inum ? EXT3_FEATURE_INCOMPAT_RECOVER : 0);
  if (fs.sb.s_feature_incompat & ~known) {
    printk("ext2: unsupported incompatible features %x\n", fs.sb.s_feature_incompat);
    return -EINVAL;
  }
  if (fs.journal_inum && (r = open_journal(dev)) < 0)
    return r;
  fs.mounted = true;
  printk("ext2: mounted hd%c%d: %u inodes, %u blocks (%u free), %u groups\n", 'a' + DEV_DISK(dev),
         DEV_PART(dev), fs.sb.s_inodes_count, fs.sb.s_blocks_count, fs.sb.s_free_blocks_count, fs.ngroups);
  if (fs.journal_inum)
    printk("ext3: journal inode %u, %u blocks, data=ordered, a commit per change\n", fs.journal_inum,
           jinode.d.i_size / BSIZE);
  return 0;
}

/* Sets or clears needs_recovery in the superblock on the disk, around the cache (whose copy may
 * hold a transaction's uncommitted counts): the journal calls it around each commit. */
int ext2_mark_recover(bool on) {
  static uint8_t sb[BSIZE];
  static bool known;                      /* sb is what the disk holds (since the last clear) */
  /* setting follows a clear (nothing wrote block 1 in between); a clear follows a checkpoint,
   * which may have written block 1: read it again */
  if ((!on || !known) && bio_rawread(fs.dev, 1, sb) < 0)
    return -EIO;
  uint32_t *incompat = (uint32_t *)(sb + EXT2_SUPER_INCOMPAT_OFFSET);
  *incompat = on ? *incompat | EXT3_FEATURE_INCOMPAT_RECOVER : *incompat & ~EXT3_FEATURE_INCOMPAT_RECOVER;
  int r = bio_rawwrite(fs.dev, 1, sb);
  known = r == 0 && !on;
  return r;
}

bool ext2_mounted(void) {
  return fs.mounted;
}

/* ---- inode cache ---- */

struct inode *iget(uint32_t dev, uint32_t inum) {
  struct inode *empty = 0;
  for (int i = 0; i < NINODE; i++) {
    struct inode *ip = &icache[i];
    if (ip->ref > 0 && ip->dev == dev && ip->inum == inum) {
      ip->ref++;
      return ip;
    }
    if (!empty && ip->ref == 0)
      empty = ip;
  }
  if (!empty)
    return 0;
  empty->dev = dev;
  empty->inum = inum;
  empty->ref = 1;
  empty->valid = false;
  return empty;
}

struct inode *idup(struct inode *ip) {
  ip->ref++;
  return ip;
}

/* Drops a reference. The last reference to an unlinked inode frees its blocks and the inode. */
void iput(struct inode *ip) {
  if (!ip)
    return;
  if (ip->ref == 1 && ip->valid && ip->d.i_links_count == 0 && ip->d.i_mode != 0) {
    fs_lock();
    bool dir = S_ISDIR(ip->d.i_mode);
    itrunc(ip);
    ip->d.i_dtime = fs_now();
    iupdate(ip);
    ifree(ip->inum, dir);
    ip->valid = false;
    fs_unlock();
  }
  if (--ip->ref < 0)
    panic("iput: inode %u over-released", ip->inum);
}

/* Where inode inum lives: its inode-table block and the offset in it. */
static uint32_t inode_block(uint32_t inum) {
  uint32_t group = (inum - 1) / fs.inodes_per_group, index = (inum - 1) % fs.inodes_per_group;
  return fs.groups[group].bg_inode_table + index * fs.inode_size / BSIZE;
}

static uint32_t inode_offset(uint32_t inum) {
  return (inum - 1) % fs.inodes_per_group * fs.inode_size % BSIZE;
}

/* Reads the disk inode into ip if not yet there. Two processes may race to load the same inode
 * (bread sleeps); both read the same bytes, so that is harmless while the fs is read-only. */
int iload(struct inode *ip) {
  if (ip->valid)
    return 0;
  if (ip->inum == 0 || ip->inum > fs.inodes_per_group * fs.ngroups)
    return -EIO;
  struct buf *b = bread(ip->dev, inode_block(ip->inum));
  if (!b)
    return -EIO;
  memmove(&ip->d, b->data + inode_offset(ip->inum), sizeof(ip->d));
  brelse(b);
  ip->valid = true;
  return 0;
}

/* Writes ip's disk inode back (the first 128 bytes; larger inodes keep their extra fields). */
int iupdate(struct inode *ip) {
  struct buf *b = bread(ip->dev, inode_block(ip->inum));
  if (!b)
    return -EIO;
  memmove(b->data + inode_offset(ip->inum), &ip->d, sizeof(ip->d));
  int r = log_write(b);
  brelse(b);
  return r;
}

/* ---- block map ---- */

/* Entry i of indirect block 'blk', or 0 (a hole) */
static int64_t indirect(uint32_t blk, uint32_t i) {
  if (blk == 0)
    return 0;
  struct buf *b = bread(fs.dev, blk);
  if (!b)
    return -EIO;
  uint32_t v = ((uint32_t *)b->data)[i];
  brelse(b);
  return v;
}

/* The disk block holding file block n of ip: 0 for a hole, or -EIO. */
static int64_t bmap(struct inode *ip, uint32_t n) {
  if (n < EXT2_NDIR)
    return ip->d.i_block[n];
  n -= EXT2_NDIR;
  if (n < PTRS)
    return indirect(ip->d.i_block[EXT2_IND], n);
  n -= PTRS;
  if (n < PTRS * PTRS) {
    int64_t mid = indirect(ip->d.i_block[EXT2_DIND], n / PTRS);
    return mid < 0 ? mid : indirect(mid, n % PTRS);
  }
  n -= PTRS * PTRS;
  int64_t top = indirect(ip->d.i_block[EXT2_TIND], n / (PTRS * PTRS));
  int64_t mid = top < 0 ? top : indirect(top, (n / PTRS) % PTRS);
  return mid < 0 ? mid : indirect(mid, n % PTRS);
}

/* The slot *slot's block number, allocating a zeroed block when it is 0. holder is the buffer the
 * slot lives in (written back when the slot changes), or 0 for the inode's own i_block. */
static int64_t ensure(uint32_t *slot, struct inode *ip, struct buf *holder) {
  if (*slot)
    return *slot;
  int64_t nb = balloc();
  if (nb < 0)
    return nb;
  *slot = nb;
  ip->d.i_blocks += BSIZE / 512;
  return holder && log_write(holder) < 0 ? -EIO : nb;
}

/* Like bmap, but allocates the data block and any missing indirect blocks on the way. */
int64_t bmap_alloc(struct inode *ip, uint32_t n) {
  if (n < EXT2_NDIR)
    return ensure(&ip->d.i_block[n], ip, 0);
  n -= EXT2_NDIR;
  int levels = 1, root = EXT2_IND;
  if (n >= PTRS) {
    n -= PTRS;
    levels = 2, root = EXT2_DIND;
    if (n >= PTRS * PTRS) {
      n -= PTRS * PTRS;
      levels = 3, root = EXT2_TIND;
    }
  }
  int64_t blk = ensure(&ip->d.i_block[root], ip, 0);
  for (int l = levels - 1; blk >= 0 && l >= 0; l--) {
    uint32_t span = l == 2 ? PTRS * PTRS : l == 1 ? PTRS : 1;
    struct buf *b = bread(fs.dev, blk);
    if (!b)
      return -EIO;
    blk = ensure((uint32_t *)b->data + (n / span) % PTRS, ip, b);
    brelse(b);
  }
  return blk;
}

/* Frees block blk and, below it, 'level' levels of indirect blocks. */
static void freetree(uint32_t blk, int level) {
  if (!blk)
    return;
  if (level > 0) {
    struct buf *b = bread(fs.dev, blk);
    if (b) {
      for (int i = 0; i < PTRS; i++)
        freetree(((uint32_t *)b->data)[i], level - 1);
      brelse(b);
    }
  }
  bfree(blk);
}

/* Truncates ip to length 0, freeing all its blocks. */
void itrunc(struct inode *ip) {
  for (int i = 0; i < EXT2_NDIR; i++)
    freetree(ip->d.i_block[i], 0);
  freetree(ip->d.i_block[EXT2_IND], 1);
  freetree(ip->d.i_block[EXT2_DIND], 2);
  freetree(ip->d.i_block[EXT2_TIND], 3);
  memset(ip->d.i_block, 0, sizeof(ip->d.i_block));
  ip->d.i_size = 0;
  ip->d.i_blocks = 0;
  ip->d.i_mtime = ip->d.i_ctime = fs_now();
  iupdate(ip);
}

/* The journal blocks one more block of a write may need: a bitmap, three indirect blocks, and
 * the inode, descriptor and superblock the change ends with. */
#define WRITE_ROOM 8

/* A write too big for one transaction commits what it wrote so far as one: the file then ends
 * at 'end' (no block beyond its size, which e2fsck would report). */
static void commit_partial(struct inode *ip, uint32_t end) {
  if (end > ip->d.i_size)
    ip->d.i_size = end;
  iupdate(ip);
  ext2_flush_counts();
  journal_commit();
}

/* Writes n bytes from src (user address if 'user') at off, growing the file; returns the count
 * written or -errno. The caller holds fs_lock(). A write to a directory is journaled like any
 * metadata; file data is written in place before the transaction commits (data=ordered). */
int writei(struct inode *ip, bool user, const void *src, uint32_t off, uint32_t n) {
  if (off + n < off || off + n > 0x7FFFFFFF)
    return -EFBIG;
  uint32_t done = 0;
  int err = 0;
  bool dir = S_ISDIR(ip->d.i_mode);
  while (done < n) {
    if (done > 0 && journal_room() < WRITE_ROOM)
      commit_partial(ip, off + done);
    uint32_t boff = (off + done) % BSIZE;
    uint32_t chunk = MIN(n - done, BSIZE - boff);
    int64_t blk = bmap_alloc(ip, (off + done) / BSIZE);
    struct buf *b = blk > 0 ? bread(ip->dev, blk) : 0;
    if (!b) {
      err = blk < 0 ? (int)blk : -EIO;
      break;
    }
    if (user)
      err = ext2_host_copyin(b->data + boff, (const char *)src + done, chunk);
    else
      memmove(b->data + boff, (const char *)src + done, chunk);
    if (err == 0)
      err = dir ? log_write(b) : bwrite(b);   /* data=ordered: file data in place, now */
    brelse(b);
    if (err < 0)
      break;
    done += chunk;
  }
  if (off + done > ip->d.i_size)
    ip->d.i_size = off + done;
  ip->d.i_mtime = ip->d.i_ctime = fs_now();
  iupdate(ip);
  return done > 0 ? (int)done : err;
}

/* fsync(2), fdatasync(2), sync(2): every change commits (ext3) or writes through (ext2) before
 * its system call returns, so what is left is the disk's write cache: FLUSH CACHE. Taking the
 * lock waits for a change in progress (another process's) to commit first. */
int fs_sync(void) {
  fs_lock();
  int r = fs.mounted ? bio_flush(fs.dev) : 0;
  fs_unlock();
  return r;
}

/* Reads up to n bytes at off into dst (user address if 'user'); returns the count or -errno. */
int readi(struct inode *ip, bool user, void *dst, uint32_t off, uint32_t n) {
  if (off >= ip->d.i_size)
    return 0;
  n = MIN(n, ip->d.i_size - off);
  uint32_t done = 0;
  while (done < n) {
    uint32_t boff = (off + done) % BSIZE;
    uint32_t chunk = MIN(n - done, BSIZE - boff);
    int64_t blk = bmap(ip, (off + done) / BSIZE);
    if (blk < 0)
      return done > 0 ? (int)done : (int)blk;
    static const uint8_t zeros[BSIZE];
    struct buf *b = blk ? bread(ip->dev, blk) : 0;
    if (blk && !b)
      return done > 0 ? (int)done : -EIO;
    const uint8_t *src = b ? b->data + boff : zeros;
    int r = 0;
    if (user)
      r = ext2_host_copyout((char *)dst + done, src, chunk);
    else
      memmove((char *)dst + done, src, chunk);
    if (b)
      brelse(b);
    if (r < 0)
      return done > 0 ? (int)done : r;
    done += chunk;
  }
  return done;
}

/* ---- directories and path lookup ---- */

/* The directory entry at *off in dp (skipping empty slots): fills inum, name (NUL-terminated,
 * up to 255 bytes) and the ext2 file type, advances *off. Returns 1, 0 at the end, or -errno. */
int dirnext(struct inode *dp, uint32_t *off, uint32_t *inum, char *name, uint8_t *type) {
  uint8_t raw[8 + 255];
  while (*off < dp->d.i_size) {
    int r = readi(dp, false, raw, *off, 8);
    if (r < 8)
      return r < 0 ? r : -EIO;
    struct ext2_dirent *de = (struct ext2_dirent *)raw;
    if (de->rec_len < 8 || de->name_len + 8u > de->rec_len)
      return -EIO;
    uint32_t at = *off;
    *off += de->rec_len;
    if (de->inode == 0)
      continue;
    *inum = de->inode;
    *type = de->file_type;
    uint8_t len = de->name_len;
    if ((r = readi(dp, false, name, at + 8, len)) != len)
      return r < 0 ? r : -EIO;
    name[len] = 0;
    return 1;
  }
  return 0;
}

static struct inode *dirlookup(struct inode *dp, const char *name, int len, int *err) {
  char ent[256];
  uint32_t off = 0, inum;
  uint8_t type;
  int r;
  while ((r = dirnext(dp, &off, &inum, ent, &type)) > 0)
    if ((int)strlen(ent) == len && strncmp(ent, name, len) == 0) {
      struct inode *ip = iget(dp->dev, inum);
      *err = ip ? 0 : -ENFILE;
      return ip;
    }
  *err = r < 0 ? r : -ENOENT;
  return 0;
}

struct inode *fs_root(void) {
  return fs.mounted ? iget(fs.dev, EXT2_ROOT_INO) : 0;
}

/* The inode for path (absolute, or relative to the current directory), referenced; 0 and *err
 * on failure. "." and ".." are ordinary directory entries in ext2. No symbolic links yet. */
struct inode *namei(const char *path, int *err) {
  if (!fs.mounted) {
    *err = -ENOENT;
    return 0;
  }
  struct inode *cwd = *path == '/' ? 0 : ext2_host_cwd();
  struct inode *ip = cwd ? idup(cwd) : fs_root();
  if (!ip) {
    *err = -ENFILE;
    return 0;
  }
  while (*path) {
    while (*path == '/')
      path++;
    if (!*path)
      break;
    const char *name = path;
    while (*path && *path != '/')
      path++;
    int len = path - name;
    if ((*err = iload(ip)) < 0 || (!S_ISDIR(ip->d.i_mode) && (*err = -ENOTDIR))) {
      iput(ip);
      return 0;
    }
    if (len > 255) {
      iput(ip);
      *err = -ENAMETOOLONG;
      return 0;
    }
    struct inode *next = dirlookup(ip, name, len, err);
    iput(ip);
    if (!next)
      return 0;
    ip = next;
  }
  if ((*err = iload(ip)) < 0) {
    iput(ip);
    return 0;
  }
  return ip;
}
