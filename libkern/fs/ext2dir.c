/* ext2dir.c: changing ext2 directories: adding and removing entries, creating files and
 * directories, unlinking. Entries are variable-length records that tile each 1 KiB block. */
#include "ext2int.h"

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
  int r = log_write(b);
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
        log_write(b);
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
  else if (dir && ext2_host_cwd() == ip)
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

/* Points dp's entry 'name' at inum (rename moving a directory: its ".."). */
static int dirsetino(struct inode *dp, const char *name, uint32_t inum) {
  uint32_t len = strlen(name);
  for (uint32_t off = 0; off < dp->d.i_size; off += BSIZE) {
    int64_t blk = bmap_alloc(dp, off / BSIZE);
    struct buf *b = blk > 0 ? bread(dp->dev, blk) : 0;
    if (!b)
      return -EIO;
    for (uint32_t p = 0; p + 8 <= BSIZE;) {
      struct ext2_dirent *de = (struct ext2_dirent *)(b->data + p);
      if (de->rec_len < 8)
        break;
      if (de->inode && de->name_len == len && strncmp(de->name, name, len) == 0) {
        de->inode = inum;
        int r = log_write(b);
        brelse(b);
        return r;
      }
      p += de->rec_len;
    }
    brelse(b);
  }
  return -ENOENT;
}

/* The inode number that directory inum's ".." names. */
static int dotdot(uint32_t dev, uint32_t inum, uint32_t *parent) {
  struct inode *d = iget(dev, inum);
  int r = d ? iload(d) : -ENFILE;
  char name[256];
  uint32_t off = 0, next;
  uint8_t type;
  if (r == 0)
    r = -ENOENT;
  while (r == -ENOENT && dirnext(d, &off, &next, name, &type) > 0)
    if (strcmp(name, "..") == 0) {
      *parent = next;
      r = 0;
    }
  iput(d);
  return r;
}

/* Is directory dp the directory ip, or below it? Walks ".." up to the root. */
static bool inside(struct inode *dp, struct inode *ip) {
  uint32_t inum = dp->inum;
  for (int depth = 0; depth < 256; depth++) {
    if (inum == ip->inum)
      return true;
    if (inum == EXT2_ROOT_INO)
      return false;
    if (dotdot(dp->dev, inum, &inum) < 0)
      return true;                   /* cannot tell: refuse, to be safe */
  }
  return true;
}

static uint8_t ftype(uint16_t mode) {
  return S_ISDIR(mode) ? FT_DIR : S_ISREG(mode) ? FT_REG : 0;
}

/* link(2): a second name for a non-directory. */
int ext2_link(const char *oldpath, const char *newpath) {
  char name[256];
  int err;
  fs_lock();
  struct inode *ip = namei(oldpath, &err), *dp = 0, *old = 0;
  if (!ip)
    goto out;
  if (S_ISDIR(ip->d.i_mode)) {
    err = -EPERM;
    goto out;
  }
  if (!(dp = nameiparent(newpath, name, &err)))
    goto out;
  if ((old = namei(newpath, &err))) {
    err = -EEXIST;
    goto out;
  }
  if ((err = dirlink(dp, name, ip->inum, ftype(ip->d.i_mode))) == 0) {
    ip->d.i_links_count++;
    ip->d.i_ctime = fs_now();
    iupdate(ip);
  }
out:
  iput(old);
  iput(dp);
  iput(ip);
  fs_unlock();
  return err;
}

/* rename(2): within the one file system; replaces a target of the same kind (an empty
 * directory for a directory); a directory cannot move below itself. */
int ext2_rename(const char *oldpath, const char *newpath) {
  char oname[256], nname[256];
  int err;
  fs_lock();
  struct inode *odp = nameiparent(oldpath, oname, &err), *ndp = 0, *ip = 0, *target = 0;
  if (!odp || !(ip = namei(oldpath, &err)) || !(ndp = nameiparent(newpath, nname, &err)))
    goto out;
  bool dir = S_ISDIR(ip->d.i_mode);
  if (!strcmp(oname, ".") || !strcmp(oname, "..") || !strcmp(nname, ".") || !strcmp(nname, "..") ||
      (dir && inside(ndp, ip))) {
    err = -EINVAL;
    goto out;
  }
  target = namei(newpath, &err);
  err = 0;
  if (target == ip)
    goto out;                        /* two names of one file: nothing to do */
  if (target) {
    if (dir != S_ISDIR(target->d.i_mode))
      err = dir ? -ENOTDIR : -EISDIR;
    else if (dir && !dirempty(target))
      err = -ENOTEMPTY;
    else if (dirunlink(ndp, nname) < 0)
      err = -EIO;
    if (err)
      goto out;
    if (dir) {
      target->d.i_links_count = 0;
      ndp->d.i_links_count--;
    } else {
      target->d.i_links_count--;
    }
    iupdate(target);
  }
  if ((err = dirlink(ndp, nname, ip->inum, ftype(ip->d.i_mode))) < 0)
    goto out;
  if (dirunlink(odp, oname) < 0) {
    err = -EIO;
    goto out;
  }
  if (dir && odp->inum != ndp->inum) {  /* its ".." moves to the new parent */
    dirsetino(ip, "..", ndp->inum);
    odp->d.i_links_count--;
    ndp->d.i_links_count++;
    iupdate(odp);
    iupdate(ndp);
  }
  ip->d.i_ctime = fs_now();
  iupdate(ip);
out:
  iput(target);
  iput(ip);
  iput(ndp);
  iput(odp);
  fs_unlock();
  return err;
}
