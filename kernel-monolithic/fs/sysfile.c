/* sysfile.c: the file-descriptor system calls: read, write, close, dup, dup2 (open waits for a file system). */
#include "defs.h"
#include "proc.h"
#include "file.h"

static struct file *fdfile(int fd) {
  return fd >= 0 && fd < NOFILE ? curproc->ofile[fd] : 0;
}

static int fdalloc(struct file *f) {
  for (int fd = 0; fd < NOFILE; fd++)
    if (!curproc->ofile[fd]) {
      curproc->ofile[fd] = f;
      return fd;
    }
  return -EMFILE;
}

int sys_read(int fd, uaddr_t buf, int n) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (n < 0)
    return -EINVAL;
  if (!uaccess_ok(buf, n))
    return -EFAULT;
  return n == 0 ? 0 : fileread(f, buf, n);
}

int sys_write(int fd, uaddr_t buf, int n) {
  struct file *f = fdfile(fd);
  if (!f)
    return -EBADF;
  if (n < 0)
    return -EINVAL;
  if (!uaccess_ok(buf, n))
    return -EFAULT;
  return n == 0 ? 0 : filewrite(f, buf, n);
}

int sys_open(uaddr_t upath, int flags, int mode) {
  char path[MAXPATH];
  (void)flags, (void)mode;
  int r = copyinstr(curproc->pgdir, path, upath, sizeof(path));
  return r < 0 ? r : -ENOENT;           /* no file system yet */
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
  return newfd;
}
