/* ext2dir.c: changing ext2 directories: adding and removing entries, creating files and
 * directories, unlinking. Entries are variable-length records that tile each 1 KiB block. */
#include "ext2int.h"
#include "param.h"
#include "proc.h"

#define FT_REG 1                    /* ext2 directory-entry file types */
#define FT_DIR 2
#define RECLEN(namelen) ((8 + (namelen) + 3) & ~3u)

/* Adds name -> inum to dp: in the slack of an existing record if one has room, else in a new
 * block. The caller holds fs_lock(). */
int dirlink(struct inode *dp, const char *name, uint32_t inum, uint8_t type) {
  uint32_t len = strlen(name), need = RECLEN(len);
  if (len == 0 || len > 255)
    return -ENAMETOOLONG;
  struct buf *b = 0;
  uint32_t at = 0, reclen = BSIZE;
  for (uint32_t off = 0; off < dp->d.i_size && !b; off += BSIZE) {
    int64_t blk = bmap_alloc(dp, off / BSIZE);
    if (blk < 0 || !(b = bread(dp->dev, blk)))
      return -EIO;
    for (uint32_t p = 0; p < BSIZE;) {
      struct ext2_dirent *de = (struct ext2_dirent *)(b->data + p);
      if (de->rec_len < 8 || p + de->rec_len > BSIZE) {
        brelse(b);
        return -EIO;
      }
      uint32_t used = de->inode ? RECLEN(de->name_len) : 0;
      if (de->rec_len - used >= need) {
        at = p + used;
        reclen = de->rec_len - used;
        if (used)
          de->rec_len = used;        /* split: the old record keeps what it uses */
        break;
      }
      p += de->rec_len;
    }
    if (reclen == BSIZE && at == 0) {
      brelse(b);
      b = 0;
    }
  }
  if (!b) {                          /* no room: a new block, one record spanning it */
    int64_t blk = bmap_alloc(dp, dp->d.i_size / BSIZE);
    if (blk < 0 || !(b = bread(dp->dev, blk)))
      return blk < 0 ? (int)blk : -EIO;
    at = 0;
    reclen = BSIZE;
    dp->d.i_size += BSIZE;
  }
  struct ext2_dirent *de = (struct ext2_dirent *)(b->data + at);
  de->inode = inum;
  de->rec_len = reclen;
  de->name_len = len;
  de->file_type = type;
  memmove(de->name, name, len);
  int r = bwrite(b);
  brelse(b);
  dp->d.i_mtime = dp->d.i_ctime = fs_now();
  iupdate(dp);
  return r;
}

/* Removes name from dp (merging its record into the previous one); returns its inode number. */
static int64_t dirunlink(struct inode *dp, const char *name) {
  uint32_t len = strlen(name);
  for (uint32_t off = 0; off < dp->d.i_size; off += BSIZE) {
    int64_t blk = bmap_alloc(dp, off / BSIZE);
    struct buf *b = blk > 0 ? bread(dp->dev, blk) : 0;
    if (!b)
      return -EIO;
    struct ext2_dirent *prev = 0;
    for (uint32_t p = 0; p < BSIZE;) {
      struct ext2_dirent *de = (struct ext2_dirent *)(b->data + p);
      if (de->rec_len < 8 || p + de->rec_len > BSIZE)
        break;
      if (de->inode && de->name_len == len && strncmp(de->name, name, len) == 0) {
        uint32_t inum = de->inode;
        if (prev)
          prev->rec_len += de->rec_len;
        else
          de->inode = 0;             /* the first record of a block just becomes empty */
        bwrite(b);
        brelse(b);
        dp->d.i_mtime = dp->d.i_ctime = fs_now();
        iupdate(dp);
        return inum;
      }
      prev = de;
      p += de->rec_len;
    }
    brelse(b);
  }
  return -ENOENT;
}

/* Only "." and ".."? */
static bool dirempty(struct inode *dp) {
  char name[256];
  uint32_t off = 0, inum;
  uint8_t type;
  while (dirnext(dp, &off, &inum, name, &type) > 0)
    if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
      return false;
  return true;
}

/* The directory holding path's last component (referenced), and that component in 'name'. */
static struct inode *nameiparent(const char *path, char *name, int *err) {
  char parent[MAXPATH];
  int n = strlen(path);
  while (n > 1 && path[n - 1] == '/')
    n--;                              /* "a/b/" names b */
  int slash = n - 1;
  while (slash >= 0 && path[slash] != '/')
    slash--;
  int len = n - slash - 1;
  if (len <= 0 || len > 255) {
    *err = len <= 0 ? -EEXIST : -ENAMETOOLONG;   /* "/" itself */
    return 0;
  }
  memmove(name, path + slash + 1, len);
  name[len] = 0;
  if (slash < 0)
    safestrcpy(parent, ".", sizeof(parent));
  else if (slash == 0)
    safestrcpy(parent, "/", sizeof(parent));
  else
    safestrcpy(parent, path, MIN(slash + 1, MAXPATH));
  struct inode *dp = namei(parent, err);
  if (dp && !S_ISDIR(dp->d.i_mode)) {
    iput(dp);
    *err = -ENOTDIR;
    return 0;
  }
  return dp;
}

/* Creates a regular file or a directory (mode includes S_IFREG or S_IFDIR); returns the new
 * inode, referenced. A directory gets "." and "..", and its parent one more link. */
struct inode *ext2_create(const char *path, uint16_t mode, int *err) {
  char name[256];
  fs_lock();
  struct inode *dp = nameiparent(path, name, err), *ip = 0;
  if (!dp)
    goto out;
  struct inode *old = namei(path, err);
  if (old) {
    iput(old);
    *err = -EEXIST;
    goto out;
  }
  bool dir = S_ISDIR(mode);
  int64_t inum = ialloc(dir);
  if (inum < 0 || !(ip = iget(dp->dev, inum))) {
    *err = inum < 0 ? (int)inum : -ENFILE;
    goto out;
  }
  memset(&ip->d, 0, sizeof(ip->d));
  ip->d.i_mode = mode;
  ip->d.i_links_count = dir ? 2 : 1;
  ip->d.i_atime = ip->d.i_ctime = ip->d.i_mtime = fs_now();
  ip->valid = true;
  iupdate(ip);
  if (dir && ((*err = dirlink(ip, ".", ip->inum, FT_DIR)) < 0 || (*err = dirlink(ip, "..", dp->inum, FT_DIR)) < 0))
    goto undo;
  if ((*err = dirlink(dp, name, ip->inum, dir ? FT_DIR : FT_REG)) < 0)
    goto undo;
  if (dir) {
    dp->d.i_links_count++;
    iupdate(dp);
  }
  *err = 0;
  goto out;
undo:
  ip->d.i_links_count = 0;          /* iput frees it */
  iput(ip);
  ip = 0;
out:
  iput(dp);
  fs_unlock();
  return ip;
}

/* unlink(2) (dir false) or rmdir(2) (dir true). The inode is freed by the last iput. */
int ext2_unlink(const char *path, bool dir) {
  char name[256];
  int err;
  fs_lock();
  struct inode *dp = nameiparent(path, name, &err), *ip = 0;
  if (!dp)
    goto out;
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    err = dir ? -EINVAL : -EISDIR;
    goto out;
  }
  if (!(ip = namei(path, &err)))
    goto out;
  if (dir && !S_ISDIR(ip->d.i_mode))
    err = -ENOTDIR;
  else if (!dir && S_ISDIR(ip->d.i_mode))
    err = -EISDIR;
  else if (dir && !dirempty(ip))
    err = -ENOTEMPTY;
  else if (dir && curproc->cwd == ip)
    err = -EBUSY;
  else {
    int64_t r = dirunlink(dp, name);
    err = r < 0 ? (int)r : 0;
  }
  if (err == 0) {
    if (dir) {
      ip->d.i_links_count = 0;       /* its "." and the parent's entry */
      dp->d.i_links_count--;         /* its ".." */
      iupdate(dp);
    } else {
      ip->d.i_links_count--;
    }
    ip->d.i_ctime = fs_now();
    iupdate(ip);
  }
out:
  iput(ip);
  iput(dp);
  fs_unlock();
  return err;
}
