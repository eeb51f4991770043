/* statfs.c: statfs64(2) and fstatfs64(2) (what df asks): the ext2 root's superblock counts, or
 * an empty proc file system for /proc. */
#include "defs.h"
#include "proc.h"
#include "file.h"
#include "fs.h"
#include "../../libkern/fs/ext2int.h"

#define EXT2_SUPER_MAGIC 0xEF53
#define PROC_SUPER_MAGIC 0x9FA0

/* struct statfs64 of the i386 ABI: 84 bytes, packed to 4 */
struct statfs64 {
  uint32_t f_type, f_bsize;
  uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
  uint32_t f_fsid[2], f_namelen, f_frsize, f_flags, f_spare[4];
} __attribute__((packed));

static int fill(bool proc, uint32_t size, uaddr_t ubuf) {
  struct statfs64 st;
  if (size != sizeof(st))
    return -EINVAL;
  memset(&st, 0, sizeof(st));
  st.f_namelen = 255;
  if (proc) {
    st.f_type = PROC_SUPER_MAGIC;
    st.f_bsize = st.f_frsize = PGSIZE;
  } else {
    if (!ext2_mounted())
      return -ENOENT;
    st.f_type = EXT2_SUPER_MAGIC;
    st.f_bsize = st.f_frsize = 1024u << fs.sb.s_log_block_size;
    st.f_blocks = fs.sb.s_blocks_count;
    st.f_bfree = fs.sb.s_free_blocks_count;
    st.f_bavail = fs.sb.s_free_blocks_count > fs.sb.s_r_blocks_count
                      ? fs.sb.s_free_blocks_count - fs.sb.s_r_blocks_count : 0;
    st.f_files = fs.sb.s_inodes_count;
    st.f_ffree = fs.sb.s_free_inodes_count;
    st.f_fsid[0] = fs.dev;
  }
  return copyout(curproc->pgdir, ubuf, &st, sizeof(st)) < 0 ? -EFAULT : 0;
}

int sys_statfs64(uaddr_t upath, uint32_t size, uaddr_t ubuf) {
  char path[MAXPATH];
  int r = copyinstr(curproc->pgdir, path, upath, sizeof(path));
  if (r <= 0)
    return r < 0 ? r : -ENOENT;
  bool proc = strncmp(path, "/proc", 5) == 0 && (path[5] == 0 || path[5] == '/');
  if (!proc) {
    struct inode *ip = namei(path, &r);
    if (!ip)
      return r;
    iput(ip);
  }
  return fill(proc, size, ubuf);
}

int sys_fstatfs64(int fd, uint32_t size, uaddr_t ubuf) {
  struct file *f = fd >= 0 && fd < NOFILE ? curproc->ofile[fd] : 0;
  if (!f)
    return -EBADF;
  return fill(f->type == FD_PROC, size, ubuf);
}
