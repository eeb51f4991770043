/* ext2host.c: this kernel's side of the shared ext2 code (libkern/fs/ext2*.c, journal.c): the
 * file-system lock (a sleeping lock held by a process) whose outermost unlock commits the journal
 * transaction, inode times, the current directory, copies to and from the calling process's
 * memory, and the journal's test hook. (The journal's raw block I/O is in bio.c.) */
#include "defs.h"
#include "fs.h"
#include "param.h"
#include "proc.h"
#include "libkern/journal.h"

/* ---- the file-system lock ----
 * Changes to the file system sleep on the disk half-way (a bitmap written, the inode not yet),
 * so one change at a time: a sleeping lock, re-entrant for its owner (unlink -> iput -> free).
 * On ext3 the outermost fs_lock .. fs_unlock is one journal transaction, committed before
 * fs_unlock returns: every file-system system call is durable when it returns. */
static struct proc *lockowner;
static int lockdepth;

void fs_lock(void) {
  while (lockowner && lockowner != curproc)
    sleep(&lockowner);
  lockowner = curproc;
  lockdepth++;
}

void fs_unlock(void) {
  if (lockdepth == 1) {               /* the change is complete: one transaction */
    ext2_flush_counts();              /* may sleep: we still own the lock */
    journal_commit();
  }
  if (--lockdepth == 0) {
    lockowner = 0;
    wakeup(&lockowner);
  }
}

/* Seconds for inode times: the RTC's time at boot plus the ticks since (0 = 1970 without RTC). */
uint32_t fs_now(void) {
  return boot_time() + ticks / HZ;
}

/* Where relative paths start: the current directory, or during an *at call its directory
 * (fs/sysfile.c's at_begin). */
struct inode *ext2_host_cwd(void) {
  if (!curproc)
    return 0;
  return curproc->atdir ? curproc->atdir : curproc->cwd;
}

int ext2_host_copyin(void *dst, const void *usrc, uint32_t n) {
  return copyin(curproc->pgdir, dst, (uaddr_t)usrc, n);
}

int ext2_host_copyout(void *udst, const void *src, uint32_t n) {
  return copyout(curproc->pgdir, (uaddr_t)udst, src, n);
}

/* The journal's test hook: "journal.crash=log:N" or "journal.crash=commit:N" on the command line
 * stops the machine (exit status 3) inside the N-th transaction, before or after its commit
 * block, leaving the journal for the next mount (or e2fsck) to replay or discard. */
void journal_crash_hook(void) {
  char arg[24];
  if (!cmdline_get("journal.crash", arg, sizeof(arg)))
    return;
  bool log = strncmp(arg, "log:", 4) == 0;
  if (!log && strncmp(arg, "commit:", 7) != 0)
    return;
  uint32_t n = 0;
  for (const char *p = arg + (log ? 4 : 7); *p >= '0' && *p <= '9'; p++)
    n = n * 10 + (*p - '0');
  journal_crash_after(log ? n : 0, log ? 0 : n);
}

void journal_crashed(const char *where, uint32_t seq) {
  printk("journal: test crash %s of transaction %u\n", where, seq);
  poweroff(3);
}
