/* sysfile.c: the file-descriptor system calls: read, write, close, dup, dup2 (open waits for a file system). */
#include "defs.h"
#include "proc.h"
#include "file.h"
#include "fs.h"
#include "buf.h"
#include "uapi/stat.h"

static struct file *fdfile(int fd) {
  return fd >= 0 && fd < NOFILE ? curproc->ofile[fd] : 0;
}

/* The lowest free descriptor >= min, now holding f (whose reference the caller provides). */
static int fdalloc_from(struct file *f, int min) {
  for (int fd = min; fd < NOFILE; fd++)
    if (!curproc->ofile[fd]) {
      curproc->ofile[fd] = f;
      return fd;
    }
  return -EMFILE;
}

static int fdalloc(struct file *f) {
  return fdalloc_from(f, 0);
}

/* read(2) and write(2): the same argument checks, then op (fileread or filewrite) unless n is 0. */
static int readwrite(int fd, uaddr_t buf, int n, int (*op)(struct file *, uaddr_t, int)) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (n < 0)
    return -EINVAL;
  if (!uaccess_ok(buf, n))
    return -EFAULT;
  return n == 0 ? 0 : op(f, buf, n);
}

int sys_read(int fd, uaddr_t buf, int n) {
  return readwrite(fd, buf, n, fileread);
}

int sys_write(int fd, uaddr_t buf, int n) {
  return readwrite(fd, buf, n, filewrite);
}

/* fsync(2) and fdatasync(2): the file's data and metadata are in the journal on the disk when
 * the write that changed them returned (fs/journal.c); this only waits for a change in progress
 * and flushes the disk's cache. Like Linux, a pipe or a terminal cannot be synced. */
int sys_fsync(int fd) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (f->type != FD_INODE && f->type != FD_BLK)
    return -EINVAL;
  return fs_sync();
}

/* pipe(2): fds[0] reads, fds[1] writes */
int sys_pipe(uaddr_t ufds) {
  struct file *rf, *wf;
  int r = pipealloc(&rf, &wf);
  if (r < 0)
    return r;
  int fds[2] = {fdalloc(rf), -1};
  if (fds[0] >= 0)
    fds[1] = fdalloc(wf);
  if (fds[1] < 0 || copyout(curproc->pgdir, ufds, fds, sizeof(fds)) < 0) {
    if (fds[0] >= 0)
      curproc->ofile[fds[0]] = 0;
    if (fds[1] >= 0)
      curproc->ofile[fds[1]] = 0;
    fileclose(rf);
    fileclose(wf);
    return fds[1] < 0 ? -EMFILE : -EFAULT;
  }
  return 0;
}

int sys_close(int fd) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  curproc->ofile[fd] = 0;
  curproc->cloexec &= ~(1u << fd);
  fileclose(f);
  return 0;
}

int sys_dup(int fd) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  int nfd = fdalloc(f);
  if (nfd >= 0)
    filedup(f);
  return nfd;
}

int sys_dup2(int oldfd, int newfd) {
  struct file *f = fdfile(oldfd);
  if (!f || newfd < 0 || newfd >= NOFILE)
    return -EBADF;
  if (oldfd == newfd)
    return newfd;
  if (curproc->ofile[newfd])
    fileclose(curproc->ofile[newfd]);
  curproc->ofile[newfd] = filedup(f);
  curproc->cloexec &= ~(1u << newfd);
  return newfd;
}

/* ---- file-system calls (ext2, read-only for now) ---- */

/* The name inside /proc for "/proc" ("") or "/proc/x..." ("x..."); 0 for other paths. */
static const char *procname(const char *path) {
  if (strncmp(path, "/proc", 5) != 0 || (path[5] != 0 && path[5] != '/'))
    return 0;
  path += 5;
  while (*path == '/')
    path++;
  return path;
}

static int fetchpath(uaddr_t upath, char *path) {
  int r = copyinstr(curproc->pgdir, path, upath, MAXPATH);
  if (r == 0)
    return -ENOENT;                     /* the empty path */
  return r < 0 ? r : 0;
}

int sys_open(uaddr_t upath, int flags, int mode) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  (void)mode;
  if (r < 0)
    return r;
  struct file *f;
  if (strcmp(path, "/dev/console") == 0 || strcmp(path, "/dev/tty") == 0) {   /* until devices have inodes */
    f = console_file();
  } else if ((r = chrdev_open(path, flags, &f)) != 0 || (r = blkdev_open(path, flags, &f)) != 0) {
    if (r < 0)
      return r;
  } else if (procname(path)) {
    if ((flags & O_ACCMODE) != O_RDONLY)
      return -EACCES;
    if ((r = procfs_open(procname(path), &f)) < 0)
      return r;
  } else {
    int acc = flags & O_ACCMODE;
    struct inode *ip = namei(path, &r);
    if (ip && (flags & O_CREAT) && (flags & O_EXCL)) {
      iput(ip);
      return -EEXIST;
    }
    if (!ip && r == -ENOENT && (flags & O_CREAT))
      ip = ext2_create(path, S_IFREG | (mode & 0777 & ~022), &r);
    if (!ip)
      return r;
    if (((flags & O_DIRECTORY) && !S_ISDIR(ip->d.i_mode)) ||
        (S_ISDIR(ip->d.i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))) {
      r = S_ISDIR(ip->d.i_mode) ? -EISDIR : -ENOTDIR;
      iput(ip);
      return r;
    }
    if (!(f = filealloc())) {
      iput(ip);
      return -ENFILE;
    }
    if ((flags & O_TRUNC) && acc != O_RDONLY && ip->d.i_size > 0) {
      fs_lock();
      itrunc(ip);
      fs_unlock();
    }
    f->type = FD_INODE;
    f->ip = ip;
    f->readable = acc != O_WRONLY;
    f->writable = acc != O_RDONLY;
    f->append = flags & O_APPEND;
  }
  int fd = fdalloc(f);
  if (fd < 0)
    fileclose(f);
  else if (flags & O_CLOEXEC)
    curproc->cloexec |= 1u << fd;
  return fd;
}

int sys_lseek(int fd, int32_t off, int whence) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (f->type != FD_INODE && f->type != FD_PROC)
    return -ESPIPE;
  uint32_t size = f->type == FD_INODE ? f->ip->d.i_size : f->procsize;
  int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off : whence == SEEK_END ? size : -1;
  if (base < 0 || base + off < 0 || base + off > INT32_MAX)
    return -EINVAL;
  f->off = base + off;
  return f->off;
}

static int stat_inode(struct inode *ip, uaddr_t ubuf) {
  struct stat64 st;
  memset(&st, 0, sizeof(st));
  st.st_dev = (3 << 8) | ip->dev;       /* Linux's hd major 3 */
  st.__st_ino = st.st_ino = ip->inum;
  st.st_mode = ip->d.i_mode;
  st.st_nlink = ip->d.i_links_count;
  st.st_uid = ip->d.i_uid;
  st.st_gid = ip->d.i_gid;
  st.st_size = ip->d.i_size;
  st.st_blksize = BSIZE;
  st.st_blocks = ip->d.i_blocks;
  st.st_atime = ip->d.i_atime;
  st.st_mtime = ip->d.i_mtime;
  st.st_ctime = ip->d.i_ctime;
  return copyout(curproc->pgdir, ubuf, &st, sizeof(st));
}

/* /proc files look like Linux's: mode 0444 (directories 0555), size 0 */
static int stat_proc(bool dir, uaddr_t ubuf) {
  struct stat64 st;
  memset(&st, 0, sizeof(st));
  st.st_mode = dir ? S_IFDIR | 0555 : S_IFREG | 0444;
  st.st_nlink = 1;
  st.st_blksize = BSIZE;
  return copyout(curproc->pgdir, ubuf, &st, sizeof(st));
}

int sys_stat64(uaddr_t upath, uaddr_t ubuf) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  if (r < 0)
    return r;
  if (procname(path)) {
    bool dir;
    return (r = procfs_stat(procname(path), &dir)) < 0 ? r : stat_proc(dir, ubuf);
  }
  struct inode *ip = namei(path, &r);
  if (!ip)
    return r;
  r = stat_inode(ip, ubuf);
  iput(ip);
  return r;
}

int sys_fstat64(int fd, uaddr_t ubuf) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (f->type == FD_INODE)
    return stat_inode(f->ip, ubuf);
  if (f->type == FD_PROC)
    return stat_proc(f->procdir, ubuf);
  struct stat64 st;                     /* the console and pipes: a character device, a FIFO */
  memset(&st, 0, sizeof(st));
  st.st_mode = f->type == FD_PIPE ? S_IFIFO | 0600 : S_IFCHR | 0620;
  st.st_rdev = f->type == FD_CONSOLE ? (5 << 8) | 1 : 0;   /* /dev/console is 5:1 */
  st.st_blksize = BSIZE;
  return copyout(curproc->pgdir, ubuf, &st, sizeof(st));
}

static int getdents_proc(struct file *f, uaddr_t ubuf, uint32_t count) {
  uint32_t done = 0;
  for (;;) {
    char ent[sizeof(struct linux_dirent64) + 16];
    struct linux_dirent64 *d = (struct linux_dirent64 *)ent;
    uint32_t pos = f->off;
    bool dir;
    if (!procfs_next(f->procbuf, &pos, d->d_name, &dir))
      return done;
    uint32_t reclen = (sizeof(*d) + strlen(d->d_name) + 1 + 7) & ~7u;
    if (done + reclen > count)
      return done > 0 ? (int)done : -EINVAL;
    d->d_ino = 0x1000 + pos;            /* synthetic */
    d->d_off = pos;
    d->d_reclen = reclen;
    d->d_type = dir ? 4 : 8;
    if (copyout(curproc->pgdir, ubuf + done, d, reclen) < 0)
      return -EFAULT;
    done += reclen;
    f->off = pos;
  }
}

/* getdents64(2): as many whole entries as fit in count bytes; f->off is the ext2 offset. */
int sys_getdents64(int fd, uaddr_t ubuf, uint32_t count) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (f->type == FD_PROC && f->procdir)
    return getdents_proc(f, ubuf, count);
  if (f->type != FD_INODE || !S_ISDIR(f->ip->d.i_mode))
    return -ENOTDIR;
  uint32_t done = 0;
  for (;;) {
    uint32_t off = f->off, inum;
    uint8_t type;
    char ent[sizeof(struct linux_dirent64) + 256];
    struct linux_dirent64 *d = (struct linux_dirent64 *)ent;
    int r = dirnext(f->ip, &off, &inum, d->d_name, &type);
    if (r <= 0)
      return done > 0 ? (int)done : r;
    uint32_t reclen = (sizeof(*d) + strlen(d->d_name) + 1 + 7) & ~7u;
    if (done + reclen > count)
      return done > 0 ? (int)done : -EINVAL;
    d->d_ino = inum;
    d->d_off = off;
    d->d_reclen = reclen;
    d->d_type = type == 2 ? 4 : type == 1 ? 8 : type == 7 ? 10 : 0;   /* ext2 -> DT_DIR/REG/LNK */
    if (copyout(curproc->pgdir, ubuf + done, d, reclen) < 0)
      return -EFAULT;
    done += reclen;
    f->off = off;
  }
}

/* Appends path to the absolute cwd path, resolving "." and ".." by text (no symlinks yet). */
static void cwd_update(char *cwd, const char *path) {
  char out[MAXPATH];
  int n = 0;
  if (*path != '/') {
    safestrcpy(out, cwd, sizeof(out));
    n = strlen(out);
  }
  while (*path) {
    while (*path == '/')
      path++;
    const char *name = path;
    while (*path && *path != '/')
      path++;
    int len = path - name;
    if (len == 0 || (len == 1 && name[0] == '.'))
      continue;
    if (len == 2 && name[0] == '.' && name[1] == '.') {
      while (n > 0 && out[n - 1] != '/')
        n--;
      if (n > 0)
        n--;
      continue;
    }
    if (n + 1 + len >= MAXPATH)
      return;                           /* too long to track: keep the old one */
    if (n == 0 || out[n - 1] != '/')
      out[n++] = '/';
    memmove(out + n, name, len);
    n += len;
  }
  if (n == 0)
    out[n++] = '/';
  out[n] = 0;
  safestrcpy(cwd, out, MAXPATH);
}

int sys_chdir(uaddr_t upath) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  if (r < 0)
    return r;
  struct inode *ip = namei(path, &r);
  if (!ip)
    return r;
  if (!S_ISDIR(ip->d.i_mode)) {
    iput(ip);
    return -ENOTDIR;
  }
  iput(curproc->cwd);
  curproc->cwd = ip;
  cwd_update(curproc->cwdpath, path);
  return 0;
}

int sys_mkdir(uaddr_t upath, int mode) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  if (r < 0)
    return r;
  struct inode *ip = ext2_create(path, S_IFDIR | (mode & 0777 & ~022), &r);
  iput(ip);
  return r;
}

int sys_link(uaddr_t uold, uaddr_t unew) {
  char oldpath[MAXPATH], newpath[MAXPATH];
  int r = fetchpath(uold, oldpath);
  if (r < 0 || (r = fetchpath(unew, newpath)) < 0)
    return r;
  return ext2_link(oldpath, newpath);
}

int sys_rename(uaddr_t uold, uaddr_t unew) {
  char oldpath[MAXPATH], newpath[MAXPATH];
  int r = fetchpath(uold, oldpath);
  if (r < 0 || (r = fetchpath(unew, newpath)) < 0)
    return r;
  return ext2_rename(oldpath, newpath);
}

int sys_unlink(uaddr_t upath) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  return r < 0 ? r : ext2_unlink(path, false);
}

int sys_rmdir(uaddr_t upath) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  return r < 0 ? r : ext2_unlink(path, true);
}

/* getcwd(2): the Linux system call returns the length including the NUL */
int sys_getcwd(uaddr_t ubuf, uint32_t size) {
  uint32_t n = strlen(curproc->cwdpath) + 1;
  if (size < n)
    return -ERANGE;
  return copyout(curproc->pgdir, ubuf, curproc->cwdpath, n) < 0 ? -EFAULT : (int)n;
}

/* ---- the rest of the Linux i386 file ABI that glibc 2.36 uses ---- */

#define AT_FDCWD            -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000
#define F_DUPFD  0
#define F_GETFD  1
#define F_SETFD  2
#define F_GETFL  3
#define F_SETFL  4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

/* readv(2)/writev(2): one read or write per iovec, stopping at the first short one */
static int rwv(int fd, uaddr_t uiov, int iovcnt, bool wr) {
  if (iovcnt < 0 || iovcnt > 1024)
    return -EINVAL;
  int done = 0;
  for (int i = 0; i < iovcnt; i++) {
    uint32_t iov[2];
    if (copyin(curproc->pgdir, iov, uiov + 8 * i, sizeof(iov)) < 0)
      return done ? done : -EFAULT;
    if (iov[1] == 0)
      continue;
    int r = wr ? sys_write(fd, iov[0], iov[1]) : sys_read(fd, iov[0], iov[1]);
    if (r < 0)
      return done ? done : r;
    done += r;
    if ((uint32_t)r < iov[1])
      break;
  }
  return done;
}

int sys_readv(int fd, uaddr_t iov, int iovcnt) { return rwv(fd, iov, iovcnt, false); }
int sys_writev(int fd, uaddr_t iov, int iovcnt) { return rwv(fd, iov, iovcnt, true); }

/* The *at calls: a relative path starts at the directory open on dirfd instead of the current
 * directory. Every relative lookup starts at ext2_host_cwd() (fs/ext2host.c), which returns
 * curproc->atdir while such a call runs: at_begin sets it, at_end clears it. AT_FDCWD and
 * absolute paths are the plain call. The directory stays open meanwhile: only this process
 * could close it. A /proc descriptor is not a directory here (ENOTDIR). */
static int at_begin(int dirfd, uaddr_t upath) {
  char c;
  if (dirfd == AT_FDCWD)
    return 0;
  if (copyin(curproc->pgdir, &c, upath, 1) < 0)
    return -EFAULT;
  if (c == '/')
    return 0;
  struct file *f = fdfile(dirfd);
  if (!f)
    return -EBADF;
  if (f->type != FD_INODE || !S_ISDIR(f->ip->d.i_mode))
    return -ENOTDIR;
  curproc->atdir = f->ip;
  return 0;
}

/* Ends an *at call: r is its result. */
static int at_end(int r) {
  curproc->atdir = 0;
  return r;
}

int sys_openat(int dirfd, uaddr_t upath, int flags, int mode) {
  int r = at_begin(dirfd, upath);
  return r < 0 ? r : at_end(sys_open(upath, flags, mode));
}

int sys_fstatat64(int dirfd, uaddr_t upath, uaddr_t ubuf, int flags) {
  char c;
  if ((flags & AT_EMPTY_PATH) && copyin(curproc->pgdir, &c, upath, 1) == 0 && c == 0)
    return dirfd == AT_FDCWD ? sys_stat64(upath, ubuf) : sys_fstat64(dirfd, ubuf);
  int r = at_begin(dirfd, upath);
  return r < 0 ? r : at_end(sys_stat64(upath, ubuf));   /* no symbolic links: NOFOLLOW is the same */
}

int sys_mkdirat(int dirfd, uaddr_t upath, int mode) {
  int r = at_begin(dirfd, upath);
  return r < 0 ? r : at_end(sys_mkdir(upath, mode));
}

#define AT_REMOVEDIR 0x200
/* unlinkat(2): unlink, or rmdir with AT_REMOVEDIR */
int sys_unlinkat(int dirfd, uaddr_t upath, int flags) {
  if (flags & ~AT_REMOVEDIR)
    return -EINVAL;
  int r = at_begin(dirfd, upath);
  if (r < 0)
    return r;
  return at_end((flags & AT_REMOVEDIR) ? sys_rmdir(upath) : sys_unlink(upath));
}

/* access(2): everyone is root, so only existence matters (and X needs an x bit somewhere) */
int sys_access(uaddr_t upath, int mode) {
  char path[MAXPATH];
  int r = fetchpath(upath, path);
  if (r < 0)
    return r;
  if (strcmp(path, "/dev/console") == 0 || strcmp(path, "/dev/tty") == 0)
    return 0;
  if (strncmp(path, "/dev/", 5) == 0) {
    struct file *f;
    if ((r = chrdev_open(path, O_RDONLY, &f)) > 0 || (r = blkdev_open(path, O_RDONLY, &f)) > 0) {
      fileclose(f);
      return 0;
    }
  }
  if (procname(path)) {
    bool dir;
    return (r = procfs_stat(procname(path), &dir)) < 0 ? r : 0;
  }
  struct inode *ip = namei(path, &r);
  if (!ip)
    return r;
  if ((mode & 1) && !(ip->d.i_mode & 0111))
    r = -EACCES;
  iput(ip);
  return r;
}

int sys_faccessat(int dirfd, uaddr_t upath, int mode) {
  int r = at_begin(dirfd, upath);
  return r < 0 ? r : at_end(sys_access(upath, mode));
}

int sys_pipe2(uaddr_t ufds, int flags) {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK))
    return -EINVAL;
  int r = sys_pipe(ufds);
  int fds[2];
  if (r == 0 && (flags & O_CLOEXEC) && copyin(curproc->pgdir, fds, ufds, sizeof(fds)) == 0)
    curproc->cloexec |= 1u << fds[0] | 1u << fds[1];
  return r;                             /* O_NONBLOCK is accepted and not honoured (partial) */
}

int sys_dup3(int oldfd, int newfd, int flags) {
  if (oldfd == newfd || (flags & ~O_CLOEXEC))
    return -EINVAL;
  int r = sys_dup2(oldfd, newfd);
  if (r >= 0 && (flags & O_CLOEXEC))
    curproc->cloexec |= 1u << r;
  return r;
}

/* _llseek(fd, high, low, loff_t *result, whence): files are below 4 GiB */
int sys_llseek(int fd, uint32_t high, uint32_t low, uaddr_t uresult, int whence) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  int64_t off = (int64_t)((uint64_t)high << 32 | low);
  if (off > INT32_MAX || off < INT32_MIN)
    return -EINVAL;
  int r = sys_lseek(fd, (int32_t)off, whence);
  if (r < 0)
    return r;
  int64_t res = r;
  return copyout(curproc->pgdir, uresult, &res, sizeof(res)) < 0 ? -EFAULT : 0;
}

static int dupfrom(int fd, int min) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (min < 0 || min >= NOFILE)
    return -EINVAL;
  int nfd = fdalloc_from(f, min);
  if (nfd >= 0) {
    filedup(f);
    curproc->cloexec &= ~(1u << nfd);
  }
  return nfd;
}

/* fcntl(2)/fcntl64(2): descriptor flags, status flags (O_APPEND settable), F_DUPFD. Record
 * locks (F_GETLK and friends) are -EINVAL: one process per file in practice (partial). */
int sys_fcntl64(int fd, int cmd, uint32_t arg) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  switch (cmd) {
  case F_DUPFD:
    return dupfrom(fd, arg);
  case F_DUPFD_CLOEXEC: {
    int r = dupfrom(fd, arg);
    if (r >= 0)
      curproc->cloexec |= 1u << r;
    return r;
  }
  case F_GETFD:
    return (curproc->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
  case F_SETFD:
    if (arg & FD_CLOEXEC)
      curproc->cloexec |= 1u << fd;
    else
      curproc->cloexec &= ~(1u << fd);
    return 0;
  case F_GETFL:
    return (f->readable && f->writable ? O_RDWR : f->writable ? O_WRONLY : O_RDONLY) |
           (f->append ? O_APPEND : 0);
  case F_SETFL:
    f->append = arg & O_APPEND;
    return 0;
  default:
    return -EINVAL;
  }
}

/* readlink(2): there are no symbolic links, so an existing path is not one (-EINVAL) */
int sys_readlink(uaddr_t upath, uaddr_t ubuf, int size) {
  (void)ubuf;
  if (size <= 0)
    return -EINVAL;
  int r = sys_access(upath, 0);
  return r < 0 ? r : -EINVAL;
}

/* poll(2) over the file kinds there are: a pipe's or the console's readiness, everything else
 * always ready. It sleeps a tick at a time until something is ready, the timeout (ms, -1 =
 * none) passes or a signal arrives. */
#define POLLIN   0x01
#define POLLOUT  0x04
#define POLLNVAL 0x20
static int poll_once(uaddr_t ufds, uint32_t nfds) {
  int ready = 0;
  for (uint32_t i = 0; i < nfds; i++) {
    struct { int32_t fd; int16_t events, revents; } pfd;
    if (copyin(curproc->pgdir, &pfd, ufds + 8 * i, sizeof(pfd)) < 0)
      return -EFAULT;
    struct file *f = pfd.fd >= 0 ? fdfile(pfd.fd) : 0;
    int rev;
    if (pfd.fd < 0)
      rev = 0;
    else if (!f)
      rev = POLLNVAL;
    else if (f->type == FD_PIPE)
      rev = pipe_poll(f->pipe, f->writable);
    else if (f->type == FD_CONSOLE)
      rev = (console_pending() > 0 ? POLLIN : 0) | POLLOUT;
    else
      rev = POLLIN | POLLOUT;
    pfd.revents = rev & (pfd.events | 0x38);    /* POLLERR, POLLHUP, POLLNVAL always count */
    ready += pfd.revents != 0;
    if (copyout(curproc->pgdir, ufds + 8 * i + 6, &pfd.revents, 2) < 0)
      return -EFAULT;
  }
  return ready;
}

int sys_poll(uaddr_t ufds, uint32_t nfds, int timeout_ms) {
  if (nfds > 64)
    return -EINVAL;
  uint32_t start = ticks, limit = timeout_ms < 0 ? 0 : (timeout_ms * HZ + 999) / 1000;
  for (;;) {
    int r = poll_once(ufds, nfds);
    if (r != 0 || timeout_ms == 0 || (timeout_ms > 0 && ticks - start >= limit))
      return r;
    if (signal_pending(curproc))
      return -EINTR;
    sleep(&ticks);
  }
}

/* ---- ftruncate ---- */

/* Sets ip's size to len (fs_lock held). Growing writes zeros; shrinking to 0 frees every block;
 * shrinking to another size keeps the first len bytes by copying them out, truncating to 0 and
 * writing them back, which is why it is limited to TRUNC_COPY_MAX (libkern's ext2 can only free
 * a whole file). */
#define TRUNC_COPY_MAX (64 * 1024)
static int truncate_inode(struct inode *ip, uint32_t len) {
  uint32_t size = ip->d.i_size;
  if (len == size)
    return 0;
  if (len == 0) {
    itrunc(ip);
    return 0;
  }
  if (len > size) {
    static const char zeros[512];
    for (uint32_t off = size; off < len;) {
      int r = writei(ip, false, zeros, off, MIN(len - off, (uint32_t)sizeof(zeros)));
      if (r <= 0)
        return r < 0 ? r : -ENOSPC;
      off += r;
    }
    return 0;
  }
  if (len > TRUNC_COPY_MAX)
    return -EFBIG;
  char *keep = kmalloc(len);
  if (!keep)
    return -ENOMEM;
  int r = readi(ip, false, keep, 0, len);
  if (r == (int)len) {
    itrunc(ip);
    r = writei(ip, false, keep, 0, len);
  }
  kfree(keep);
  return r < 0 ? r : r == (int)len ? 0 : -EIO;
}

/* ftruncate(2) and ftruncate64(2) (busybox vi cuts its file to what it wrote) */
int sys_ftruncate64(int fd, uint32_t lenlo, uint32_t lenhi) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (f->type != FD_INODE || !f->writable)
    return -EINVAL;
  if (S_ISDIR(f->ip->d.i_mode))
    return -EISDIR;
  if (lenhi != 0 || lenlo > 0x7FFFFFFF)
    return (int32_t)lenhi < 0 ? -EINVAL : -EFBIG;
  fs_lock();
  int r = truncate_inode(f->ip, lenlo);
  fs_unlock();
  return r;
}

int sys_ftruncate(int fd, int32_t len) {
  return len < 0 ? -EINVAL : sys_ftruncate64(fd, len, 0);
}
