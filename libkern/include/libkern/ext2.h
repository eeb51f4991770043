/* ext2.h: the shared ext2 file system (libkern/fs/ext2*.c, built by kernel-monolithic and by
 * kernel-microkernel's file server): the on-disk format (revision 1) as this code reads it
 * (superblock, group descriptor, inode, directory entry; field names follow the ext2 documentation,
 * Poirier), the in-memory inode, the interface, and the few things the kernel that builds the code
 * must provide (end of this file). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define EXT2_MAGIC      0xEF53
#define EXT2_ROOT_INO   2
#define EXT2_NDIR       12          /* direct block pointers in i_block */
#define EXT2_IND        12          /* i_block[12]: single indirect */
#define EXT2_DIND       13          /* i_block[13]: double indirect */
#define EXT2_TIND       14

#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER  0x0004   /* the journal may hold committed changes */
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_SUPER_INCOMPAT_OFFSET 0x60         /* of s_feature_incompat in the superblock */
#define EXT3_SUPER_JOURNAL_INUM_OFFSET 0xE0     /* s_journal_inum (ext3) */

struct ext2_super {
  uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count, s_free_blocks_count;
  uint32_t s_free_inodes_count, s_first_data_block, s_log_block_size, s_log_frag_size;
  uint32_t s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
  uint32_t s_mtime, s_wtime;
  uint16_t s_mnt_count, s_max_mnt_count, s_magic, s_state, s_errors, s_minor_rev_level;
  uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
  uint16_t s_def_resuid, s_def_resgid;
  uint32_t s_first_ino;
  uint16_t s_inode_size, s_block_group_nr;
  uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
};

struct ext2_group {
  uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
  uint16_t bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count, bg_pad;
  uint32_t bg_reserved[3];
};

struct ext2_inode {
  uint16_t i_mode, i_uid;
  uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
  uint16_t i_gid, i_links_count;
  uint32_t i_blocks;              /* in 512-byte units */
  uint32_t i_flags, i_osd1;
  uint32_t i_block[15];
  uint32_t i_generation, i_file_acl, i_size_high, i_faddr;
  uint8_t i_osd2[12];
};

struct ext2_dirent {
  uint32_t inode;
  uint16_t rec_len;
  uint8_t name_len, file_type;
  char name[];                    /* not NUL-terminated */
};


/* ---- the in-memory inode and the interface (libkern/fs/ext2*.c) ---- */

struct inode {
  uint32_t dev;               /* the partition holding it (the host's block-device number) */
  uint32_t inum;
  int ref;                    /* references from files, cwd and lookups in progress */
  bool valid;                 /* d holds the disk inode */
  struct ext2_inode d;
};

/* ext2.c */
int ext2_mount(uint32_t dev);
bool ext2_mounted(void);
struct inode *iget(uint32_t dev, uint32_t inum);
struct inode *idup(struct inode *ip);
void iput(struct inode *ip);
int iload(struct inode *ip);
struct inode *namei(const char *path, int *err);
int readi(struct inode *ip, bool user, void *dst, uint32_t off, uint32_t n);
int dirnext(struct inode *dp, uint32_t *off, uint32_t *inum, char *name, uint8_t *type);
struct inode *fs_root(void);
int writei(struct inode *ip, bool user, const void *src, uint32_t off, uint32_t n);
void itrunc(struct inode *ip);
int fs_sync(void);                /* waits for a change in progress, then flushes the disk's cache */

/* ext2dir.c */
int dirlink(struct inode *dp, const char *name, uint32_t inum, uint8_t type);
struct inode *ext2_create(const char *path, uint16_t mode, int *err);
int ext2_unlink(const char *path, bool dir);
int ext2_link(const char *oldpath, const char *newpath);
int ext2_rename(const char *oldpath, const char *newpath);
void ext2_flush_counts(void);     /* ext2alloc.c: write the free counts (fs_unlock calls it) */

/* ---- provided by the kernel that builds this code ----
 * Its header "ext2host.h" (found on its include path) supplies: the block cache (struct buf with
 * `data`, `dev`, `blockno` and `flags`, BSIZE = 1024, bread / bwrite / brelse, binval(dev) to forget
 * a device's cached blocks, and B_LOGGED: a buffer with that flag must stay cached), kmalloc, kfree,
 * printk, panic, MIN, the Linux errno values and S_IF* mode bits, MAXPATH, DEV_DISK/DEV_PART
 * (ext2's i_mode uses the same bits as Linux), and the string functions. It also implements
 * these, and the journal's block I/O and test stop (libkern/journal.h): */
void fs_lock(void);               /* one file-system change at a time (re-entrant for its owner); */
void fs_unlock(void);             /* the outermost unlock calls ext2_flush_counts(), then
                                     journal_commit(): one change, one transaction */
uint32_t fs_now(void);            /* seconds since 1970 for inode times */
struct inode *ext2_host_cwd(void);                              /* relative paths start here; 0: the root */
int ext2_host_copyin(void *dst, const void *usrc, uint32_t n);   /* from the caller's buffer (user = true) */
int ext2_host_copyout(void *udst, const void *src, uint32_t n);  /* to it; 0 or -errno */
