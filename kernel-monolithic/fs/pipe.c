/* pipe.c: pipes: a PIPESIZE-byte ring between a read end and a write end, with blocking reads and writes. */
#include "defs.h"
#include "param.h"
#include "proc.h"
#include "file.h"

#define PIPESIZE 4096

struct pipe {
  char data[PIPESIZE];
  uint32_t nread;        /* bytes read so far; data[nread % PIPESIZE] is the next to read */
  uint32_t nwrite;       /* bytes written so far */
  bool readopen, writeopen;
};

/* Makes a pipe and its two open files: *rf reads, *wf writes. */
int pipealloc(struct file **rf, struct file **wf) {
  struct pipe *p = kzalloc(sizeof(*p));
  *rf = filealloc();
  *wf = *rf ? filealloc() : 0;
  if (!p || !*wf) {
    kfree(p);
    if (*rf)
      fileclose(*rf);
    return -ENFILE;
  }
  p->readopen = p->writeopen = true;
  (*rf)->type = (*wf)->type = FD_PIPE;
  (*rf)->pipe = (*wf)->pipe = p;
  (*rf)->readable = true;
  (*wf)->writable = true;
  return 0;
}

/* Closes one end; the pipe is freed with its last end. Wakes the other side so it sees EOF/EPIPE. */
void pipeclose(struct pipe *p, bool writeend) {
  if (writeend) {
    p->writeopen = false;
    wakeup(&p->nread);
  } else {
    p->readopen = false;
    wakeup(&p->nwrite);
  }
  if (!p->readopen && !p->writeopen)
    kfree(p);
}

/* Copies between user memory and the ring in at most two runs (the ring may wrap). */
static int ringcopy(struct pipe *p, uaddr_t u, uint32_t n, bool in) {
  while (n > 0) {
    uint32_t at = (in ? p->nwrite : p->nread) % PIPESIZE;
    uint32_t run = MIN(n, PIPESIZE - at);
    int r = in ? copyin(curproc->pgdir, p->data + at, u, run)
               : copyout(curproc->pgdir, u, p->data + at, run);
    if (r < 0)
      return r;
    if (in)
      p->nwrite += run;
    else
      p->nread += run;
    u += run;
    n -= run;
  }
  return 0;
}

/* Writes all n bytes, sleeping while the ring is full. A pipe with no reader gives -EPIPE and
 * SIGPIPE, as in Linux. */
int pipewrite(struct pipe *p, uaddr_t src, int n) {
  int done = 0;
  while (done < n) {
    if (!p->readopen) {
      send_signal(curproc, SIGPIPE);
      return done > 0 ? done : -EPIPE;
    }
    if (signal_pending(curproc))
      return done > 0 ? done : -EINTR;
    uint32_t room = PIPESIZE - (p->nwrite - p->nread);
    if (room == 0) {
      wakeup(&p->nread);
      sleep(&p->nwrite);
      continue;
    }
    uint32_t chunk = MIN((uint32_t)(n - done), room);
    if (ringcopy(p, src + done, chunk, true) < 0)
      return done > 0 ? done : -EFAULT;
    done += chunk;
  }
  wakeup(&p->nread);
  return done;
}

/* Reads what is there (at most n bytes), sleeping only while the ring is empty and a writer
 * remains; 0 means end of file. */
int piperead(struct pipe *p, uaddr_t dst, int n) {
  while (p->nread == p->nwrite && p->writeopen) {
    if (signal_pending(curproc))
      return -EINTR;
    sleep(&p->nread);
  }
  uint32_t chunk = MIN((uint32_t)n, p->nwrite - p->nread);
  if (ringcopy(p, dst, chunk, false) < 0)
    return -EFAULT;
  wakeup(&p->nwrite);
  return chunk;
}

/* poll(2): POLLIN (1) when a read would not block, POLLOUT (4) when a write would not,
 * POLLHUP (0x10) on a read end whose writers are gone, POLLERR (8) on a write end without readers. */
int pipe_poll(struct pipe *p, bool writeend) {
  if (writeend)
    return !p->readopen ? 8 : p->nwrite - p->nread < PIPESIZE ? 4 : 0;
  return (p->nwrite != p->nread ? 1 : 0) | (!p->writeopen ? 0x11 : 0);
}
