/* ext2int.h: state shared by the ext2 files (ext2.c, ext2alloc.c, ext2dir.c): the mounted file
 * system, with its superblock and group descriptors kept in memory and written through (ext2) or
 * through the journal (ext3, journal.c). */
#pragma once
#include "ext2host.h"      /* the building kernel's block cache, allocator, errno (see libkern/ext2.h) */
#include "libkern/ext2.h"
#include "libkern/journal.h"

struct ext2fs {
  uint32_t dev;
  bool mounted;
  uint32_t inodes_per_group, blocks_per_group, ngroups, inode_size, first_data_block;
  struct ext2_super sb;             /* the first sizeof(sb) bytes of the superblock */
  struct ext2_group *groups;        /* ngroups descriptors (kmalloc'd) */
  bool super_dirty;                 /* the free counts changed: write them at fs_unlock() */
  uint32_t groups_dirty;            /* bit g: descriptor g changed (the first 32 groups; */
  bool all_groups_dirty;            /* beyond that, all are written) */
  uint32_t journal_inum;            /* ext3: the journal's inode (s_journal_inum), else 0 */
};
extern struct ext2fs fs;

/* ext2.c */
int iupdate(struct inode *ip);
int64_t bmap_alloc(struct inode *ip, uint32_t n);

/* ext2alloc.c */
int64_t balloc(void);
void bfree(uint32_t blk);
int64_t ialloc(bool dir);
void ifree(uint32_t inum, bool dir);
