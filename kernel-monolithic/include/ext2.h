/* ext2.h: the ext2 on-disk format (revision 1) as this kernel reads it: superblock, group
 * descriptor, inode, directory entry. Field names follow the ext2 documentation (Poirier). */
#pragma once
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

#include "uapi/stat.h"   /* i_mode uses the same S_IF* bits as Linux */
