/* journal.h: the ext3 journal (JBD2 on-disk format) as libkern/fs/journal.c writes and replays
 * it, and what it needs from its host. The journal code knows blocks, not files: the ext2 code
 * gives it the journal's block map, and the kernel that builds it provides the raw block I/O
 * below (besides the block cache, kmalloc and printk of "ext2host.h", see libkern/ext2.h):
 * kernel-monolithic in fs/bio.c, kernel-microkernel's file server through the ATA driver. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct buf;

/* JBD2 block header and block types (big-endian on disk) */
#define JBD2_MAGIC         0xC03B3998u
#define JBD2_DESCRIPTOR    1
#define JBD2_COMMIT        2
#define JBD2_SUPERBLOCK_V1 3
#define JBD2_SUPERBLOCK_V2 4
#define JBD2_REVOKE        5

/* descriptor tag flags */
#define JBD2_TAG_ESCAPE    1   /* the block began with JBD2_MAGIC: those 4 bytes were zeroed */
#define JBD2_TAG_SAME_UUID 2   /* no 16-byte UUID follows this tag */
#define JBD2_TAG_DELETED   4
#define JBD2_TAG_LAST      8

/* journal superblock feature bits this code knows (it writes none of them) */
#define JBD2_INCOMPAT_REVOKE 0x1

/* the host: the disk block holding journal block n (0 if unmapped) */
typedef uint32_t (*journal_map_t)(uint32_t n);

int journal_open(uint32_t dev, journal_map_t map, uint32_t fs_blocks);
bool journal_on(void);
int log_write(struct buf *b);
uint32_t journal_room(void);
int journal_commit(void);
void journal_freed(uint32_t blk);
bool journal_freed_now(uint32_t blk);

void journal_crash_after(uint32_t log, uint32_t commit);
/* the host: the test hook's stop (as a power cut: nothing more reaches the disk) */
void journal_crashed(const char *where, uint32_t seq) __attribute__((noreturn));

/* ext2.c marks the file system "needs recovery" (ext3's incompat flag) on disk, or clears it */
int ext2_mark_recover(bool on);

/* the host: raw block I/O outside the cache (0 or -errno), and the disk's write-cache flush */
int bio_rawread(uint32_t dev, uint32_t blockno, void *data);
int bio_rawwrite(uint32_t dev, uint32_t blockno, const void *data);
int bio_flush(uint32_t dev);
