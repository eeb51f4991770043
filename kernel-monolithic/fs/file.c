/* file.c: the system-wide open-file table; read and write dispatch on the file's type. */
#include "defs.h"
#include "param.h"
#include "file.h"
#include "fs.h"

static struct file ftable[NFILE];

struct file *filealloc(void) {
  for (int i = 0; i < NFILE; i++)
    if (ftable[i].ref == 0) {
      memset(&ftable[i], 0, sizeof(ftable[i]));
      ftable[i].ref = 1;
      return &ftable[i];
    }
  return 0;
}

struct file *filedup(struct file *f) {
  if (f->ref < 1)
    panic("filedup: unreferenced file");
  f->ref++;
  return f;
}

void fileclose(struct file *f) {
  if (f->ref < 1)
    panic("fileclose: unreferenced file");
  if (--f->ref > 0)
    return;
  if (f->type == FD_PIPE)
    pipeclose(f->pipe, f->writable);
  if (f->type == FD_INODE)
    iput(f->ip);
  if (f->type == FD_PROC)
    kfree(f->procbuf);
  if (f->type == FD_CHR)
    chrdev_close(f);
  if (f->type == FD_BLK)
    blkdev_close(f);
  f->type = FD_NONE;
}

int fileread(struct file *f, uaddr_t dst, int n) {
  if (!f->readable)
    return -EBADF;
  switch (f->type) {
  case FD_CONSOLE:
    return consoleread(dst, n);
  case FD_PIPE:
    return piperead(f->pipe, dst, n);
  case FD_PROC:
    return procfs_read(f, dst, n);
  case FD_CHR:
    return chrdev_read(f, dst, n);
  case FD_BLK:
    return blkdev_io(f, dst, n, false);
  case FD_INODE: {
    if (S_ISDIR(f->ip->d.i_mode))
      return -EISDIR;
    int r = readi(f->ip, true, (void *)dst, f->off, n);
    if (r > 0)
      f->off += r;
    return r;
  }
  default:
    return -EINVAL;
  }
}

int filewrite(struct file *f, uaddr_t src, int n) {
  if (!f->writable)
    return -EBADF;
  switch (f->type) {
  case FD_CONSOLE:
    return consolewrite(src, n);
  case FD_PIPE:
    return pipewrite(f->pipe, src, n);
  case FD_CHR:
    return chrdev_write(f, src, n);
  case FD_BLK:
    return blkdev_io(f, src, n, true);
  case FD_INODE: {
    fs_lock();
    if (f->append)
      f->off = f->ip->d.i_size;
    int r = writei(f->ip, true, (const void *)src, f->off, n);
    if (r > 0)
      f->off += r;
    fs_unlock();
    return r;
  }
  default:
    return -EINVAL;
  }
}

/* A new open file on the console, readable and writable (init's fds 0, 1 and 2). */
struct file *console_file(void) {
  struct file *f = filealloc();
  if (!f)
    panic("console_file: file table full");
  f->type = FD_CONSOLE;
  f->readable = f->writable = true;
  return f;
}
