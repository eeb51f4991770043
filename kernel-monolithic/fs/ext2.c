/* ext2.c: the ext2 file system, read-only for now: mount, inode cache, block map, path lookup,
 * file and directory reading. Block size must equal BSIZE (1 KiB). */
#include "defs.h"
#include "buf.h"
#include "fs.h"
#include "proc.h"
#include "param.h"

#define NINODE 64
#define PTRS (BSIZE / 4)           /* block pointers per indirect block */

static struct {
  uint32_t dev;
  bool mounted;
  uint32_t inodes_per_group, ngroups, inode_size, first_data_block;
} fs;
static struct inode icache[NINODE];

/* Reads the superblock; refuses what this code cannot read correctly. */
int ext2_mount(uint32_t dev) {
  struct buf *b = bread(dev, 1);          /* the superblock is at byte 1024 */
  if (!b)
    return -EIO;
  struct ext2_super sb;
  memmove(&sb, b->data, sizeof(sb));
  brelse(b);
  if (sb.s_magic != EXT2_MAGIC)
    return -EINVAL;
  if (sb.s_log_block_size != 0 || sb.s_inodes_per_group == 0 || sb.s_blocks_per_group == 0) {
    printk("ext2: only 1 KiB blocks are supported\n");
    return -EINVAL;
  }
  if (sb.s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE) {
    printk("ext2: unsupported incompatible features %x\n", sb.s_feature_incompat);
    return -EINVAL;
  }
  fs.dev = dev;
  fs.inodes_per_group = sb.s_inodes_per_group;
  fs.ngroups = (sb.s_blocks_count - sb.s_first_data_block + sb.s_blocks_per_group - 1) / sb.s_blocks_per_group;
  fs.inode_size = sb.s_rev_level >= 1 ? sb.s_inode_size : 128;
  fs.first_data_block = sb.s_first_data_block;
  fs.mounted = true;
  printk("ext2: mounted hd%c%d: %u inodes, %u blocks (%u free), %u groups\n", 'a' + DEV_DISK(dev),
         DEV_PART(dev), sb.s_inodes_count, sb.s_blocks_count, sb.s_free_blocks_count, fs.ngroups);
  return 0;
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

void iput(struct inode *ip) {
  if (ip && --ip->ref < 0)
    panic("iput: inode %u over-released", ip->inum);
}

/* Reads the disk inode into ip if not yet there. Two processes may race to load the same inode
 * (bread sleeps); both read the same bytes, so that is harmless while the fs is read-only. */
int iload(struct inode *ip) {
  if (ip->valid)
    return 0;
  if (ip->inum == 0 || ip->inum > fs.inodes_per_group * fs.ngroups)
    return -EIO;
  uint32_t group = (ip->inum - 1) / fs.inodes_per_group;
  uint32_t index = (ip->inum - 1) % fs.inodes_per_group;
  struct buf *b = bread(ip->dev, fs.first_data_block + 1 + group * sizeof(struct ext2_group) / BSIZE);
  if (!b)
    return -EIO;
  struct ext2_group g;
  memmove(&g, b->data + (group * sizeof(struct ext2_group)) % BSIZE, sizeof(g));
  brelse(b);
  uint32_t off = index * fs.inode_size;
  if (!(b = bread(ip->dev, g.bg_inode_table + off / BSIZE)))
    return -EIO;
  memmove(&ip->d, b->data + off % BSIZE, sizeof(ip->d));
  brelse(b);
  ip->valid = true;
  return 0;
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
      r = copyout(curproc->pgdir, (uaddr_t)dst + done, src, chunk);
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
  struct inode *ip = (*path == '/' || !curproc || !curproc->cwd) ? fs_root() : idup(curproc->cwd);
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
