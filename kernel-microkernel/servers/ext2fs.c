/* ext2fs.c: the file server (idl/fs.idl): the ext2 root partition of the first disk, read and
 * written with the same ext2 code as kernel-monolithic (libkern/fs), its blocks coming from the
 * ATA driver by IPC (ext2host.c). Handles are server-wide (one table for all clients). Bulk data
 * goes through a buffer one client (the personality) maps here (attach, read_buf, write_buf). */
#include "srv.h"
#include "ext2host.h"
#include "libkern/ext2.h"
#include "idl/fs_server.h"

#define NFILES 32
#define O_CREAT_ 0x40
#define O_TRUNC_ 0x200
#define O_ACC 3
static struct inode *files[NFILES];

#define WINDOW 0x40000000u          /* the client's transfer buffer is mapped here */
#define WINDOW_LOG2 15              /* at most 32 KiB */
static uint32_t bufsize;            /* bytes mapped (0: none yet) */
static l4_threadid_t bufclient;     /* whose buffer it is */
extern uint32_t part_lba;
int disk_io(bool write, uint32_t lba, uint32_t count, void *data);
void read_rtc(void);

/* Copies an IDL string (not NUL-terminated) into a C path. */
static int cpath(char *dst, const char *src, l4_word_t len) {
  if (len == 0 || len >= MAXPATH)
    return -EINVAL;
  memcpy(dst, src, len);
  dst[len] = 0;
  return 0;
}

static struct inode *file(l4_word_t h) {
  return h < NFILES ? files[h] : 0;
}

int fs_open_impl(l4_threadid_t caller, const char *p, l4_word_t len, l4_word_t flags, l4_word_t mode,
                 l4_word_t *handle) {
  char path[MAXPATH];
  int err = cpath(path, p, len);
  if (err < 0)
    return err;
  int h = 0;
  while (h < NFILES && files[h])
    h++;
  if (h == NFILES)
    return -ENFILE;
  struct inode *ip = namei(path, &err);
  if (!ip && err == -ENOENT && (flags & O_CREAT_)) {
    fs_lock();
    ip = ext2_create(path, S_IFREG | (mode & 07777), &err);
    fs_unlock();
  }
  if (!ip)
    return err;
  if ((flags & O_TRUNC_) && (flags & O_ACC) != 0 && !S_ISDIR(ip->d.i_mode) && ip->d.i_size > 0) {
    fs_lock();
    itrunc(ip);
    fs_unlock();
  }
  files[h] = ip;
  *handle = h;
  return 0;
}

int fs_close_impl(l4_threadid_t caller, l4_word_t h) {
  struct inode *ip = file(h);
  if (!ip)
    return -EBADF;
  files[h] = 0;
  iput(ip);
  return 0;
}

/* Up to n bytes of open file h at off into dst; *len = the count read. The message form (read)
 * and the shared-buffer form (read_buf) differ only in where dst is. */
static int file_read(l4_word_t h, void *dst, l4_word_t off, l4_word_t n, l4_word_t *len) {
  struct inode *ip = file(h);
  if (!ip)
    return -EBADF;
  int r = readi(ip, false, dst, off, n);
  if (r < 0)
    return r;
  *len = r;
  return 0;
}

/* n bytes from src into open file h at off, as one journal transaction; *written = the count. */
static int file_write(l4_word_t h, const void *src, l4_word_t off, l4_word_t n, l4_word_t *written) {
  struct inode *ip = file(h);
  if (!ip)
    return -EBADF;
  fs_lock();
  int r = writei(ip, false, src, off, n);
  fs_unlock();
  if (r < 0)
    return r;
  *written = r;
  return 0;
}

int fs_read_impl(l4_threadid_t caller, l4_word_t h, l4_word_t off, l4_word_t max, char *data, l4_word_t *len) {
  return file_read(h, data, off, MIN(max, FS_READ_DATA_MAX), len);
}

int fs_write_impl(l4_threadid_t caller, l4_word_t h, l4_word_t off, const char *data, l4_word_t len,
                  l4_word_t *written) {
  return file_write(h, data, off, len, written);
}

int fs_attach_impl(l4_threadid_t caller, idl_fpage_t buffer, l4_word_t *size) {
  uint32_t log2 = (buffer.fpage.raw >> 4) & 0x3F;
  bufsize = log2 >= 12 && log2 <= WINDOW_LOG2 ? 1u << log2 : 0;
  bufclient = bufsize ? caller : 0;
  *size = bufsize;
  return bufsize ? 0 : -EINVAL;
}

static int check_buf(l4_threadid_t caller, l4_word_t n) {
  return bufsize && caller == bufclient && n <= bufsize ? 0 : -EINVAL;
}

int fs_read_buf_impl(l4_threadid_t caller, l4_word_t h, l4_word_t off, l4_word_t max, l4_word_t *len) {
  int r = check_buf(caller, max);
  return r < 0 ? r : file_read(h, (void *)WINDOW, off, max, len);
}

/* One write_buf is one change: one journal transaction for the whole piece, committed before the
 * reply (192-byte writes cost one transaction each). */
int fs_write_buf_impl(l4_threadid_t caller, l4_word_t h, l4_word_t off, l4_word_t len, l4_word_t *written) {
  int r = check_buf(caller, len);
  return r < 0 ? r : file_write(h, (const void *)WINDOW, off, len, written);
}

/* The inode at the caller's path (p, len bytes, copied to path), or 0 with *err set. */
static struct inode *lookup(char path[MAXPATH], const char *p, l4_word_t len, int *err) {
  *err = cpath(path, p, len);
  if (*err < 0)
    return 0;
  return namei(path, err);
}

int fs_stat_impl(l4_threadid_t caller, const char *p, l4_word_t len, l4_word_t *mode, l4_word_t *size,
                 l4_word_t *inum, l4_word_t *links) {
  char path[MAXPATH];
  int err;
  struct inode *ip = lookup(path, p, len, &err);
  if (!ip)
    return err;
  *mode = ip->d.i_mode;
  *size = ip->d.i_size;
  *inum = ip->inum;
  *links = ip->d.i_links_count;
  iput(ip);
  return 0;
}

int fs_readdir_impl(l4_threadid_t caller, l4_word_t h, l4_word_t index, char *name, l4_word_t *len,
                    l4_word_t *inum, l4_word_t *type) {
  struct inode *ip = file(h);
  if (!ip || !S_ISDIR(ip->d.i_mode))
    return -ENOTDIR;
  uint32_t off = 0, n;
  uint8_t t;
  char entry[256];
  for (l4_word_t i = 0;; i++) {
    int r = dirnext(ip, &off, &n, entry, &t);
    if (r <= 0)
      return r < 0 ? r : -ENOENT;
    if (i == index) {
      *len = MIN(strlen(entry), FS_READDIR_NAME_MAX);
      memcpy(name, entry, *len);
      *inum = n;
      *type = t;
      return 0;
    }
  }
}

int fs_mkdir_impl(l4_threadid_t caller, const char *p, l4_word_t len, l4_word_t mode) {
  char path[MAXPATH];
  int err = cpath(path, p, len);
  if (err < 0)
    return err;
  fs_lock();
  struct inode *ip = ext2_create(path, S_IFDIR | (mode & 07777), &err);
  fs_unlock();
  if (!ip)
    return err;
  iput(ip);
  return 0;
}

int fs_unlink_impl(l4_threadid_t caller, const char *p, l4_word_t len) {
  char path[MAXPATH];
  int err;
  struct inode *ip = lookup(path, p, len, &err);
  if (!ip)
    return err;
  bool dir = S_ISDIR(ip->d.i_mode);
  iput(ip);
  return ext2_unlink(path, dir);
}

int fs_truncate_impl(l4_threadid_t caller, l4_word_t h, l4_word_t size) {
  struct inode *ip = file(h);
  if (!ip)
    return -EBADF;
  if (size != 0)
    return -EINVAL;                 /* the shared code truncates to 0 only */
  fs_lock();
  itrunc(ip);
  fs_unlock();
  return 0;
}

int fs_rename_impl(l4_threadid_t caller, const char *f, l4_word_t flen, const char *t, l4_word_t tlen) {
  char from[MAXPATH], to[MAXPATH];
  int err = cpath(from, f, flen);
  if (err < 0 || (err = cpath(to, t, tlen)) < 0)
    return err;
  return ext2_rename(from, to);
}

int fs_link_impl(l4_threadid_t caller, const char *f, l4_word_t flen, const char *t, l4_word_t tlen) {
  char from[MAXPATH], to[MAXPATH];
  int err = cpath(from, f, flen);
  if (err < 0 || (err = cpath(to, t, tlen)) < 0)
    return err;
  return ext2_link(from, to);
}

/* The first Linux partition (type 0x83) of the MBR: where the root file system starts. */
static int find_root_partition(void) {
  static uint8_t mbr[512];
  if (disk_io(false, 0, 1, mbr) < 0)
    return -EIO;
  for (int i = 0; i < 4; i++) {
    const uint8_t *e = mbr + 446 + 16 * i;
    if (e[4] == 0x83) {
      part_lba = e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24;
      return 0;
    }
  }
  return -ENOENT;
}

int main(void) {
  set_name("ext2fs");
  if (root_resources())
    read_rtc();                     /* else inode times count from 1970 */
  if (find_root_partition() < 0 || ext2_mount(1) < 0) {
    printf("ext2fs: no ext2 root partition\n");
    exit(1);
  }
  l4_accept(l4_fpage(WINDOW, WINDOW_LOG2, L4_RWX));   /* for attach's map item */
  register_name("fs");
  fs_server_loop();
}
