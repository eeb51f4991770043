/* ext2host.c: this kernel's side of the shared ext2 code (libkern/fs/ext2*.c): the file-system
 * lock (a sleeping lock held by a process), inode times, the current directory and copies to and
 * from the calling process's memory. */
#include "defs.h"
#include "fs.h"
#include "param.h"
#include "proc.h"

/* ---- the file-system lock ----
 * Changes to the file system sleep on the disk half-way (a bitmap written, the inode not yet),
 * so one change at a time: a sleeping lock, re-entrant for its owner (unlink -> iput -> free). */
static struct proc *lockowner;
static int lockdepth;

void fs_lock(void) {
  while (lockowner && lockowner != curproc)
    sleep(&lockowner);
  lockowner = curproc;
  lockdepth++;
}

void fs_unlock(void) {
  if (lockdepth == 1)
    ext2_flush_counts();              /* may sleep: we still own the lock */
  if (--lockdepth == 0) {
    lockowner = 0;
    wakeup(&lockowner);
  }
}

/* Seconds for inode times: the RTC's time at boot plus the ticks since (0 = 1970 without RTC). */
uint32_t fs_now(void) {
  return boot_time() + ticks / HZ;
}

struct inode *ext2_host_cwd(void) {
  return curproc ? curproc->cwd : 0;
}

int ext2_host_copyin(void *dst, const void *usrc, uint32_t n) {
  return copyin(curproc->pgdir, dst, (uaddr_t)usrc, n);
}

int ext2_host_copyout(void *udst, const void *src, uint32_t n) {
  return copyout(curproc->pgdir, (uaddr_t)udst, src, n);
}
