/* journal.h: the ext3 journal (JBD2 on-disk format) as fs/journal.c writes and replays it, and
 * what it needs from its host. The journal code knows blocks, not files: the host gives it the
 * journal's block map and the raw block I/O below, so the same file can serve a file server
 * that is not this kernel (bio_raw*, bio_flush and kmalloc are its only outside calls). */
#pragma once
#include "types.h"

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
/* the host: the test hook's stop (a power cut: nothing more reaches the disk) */
void journal_crashed(const char *where, uint32_t seq) __attribute__((noreturn));

/* the host marks the file system "needs recovery" (ext3's incompat flag) on disk, or clears it */
int ext2_mark_recover(bool on);

/* fs/bio.c: raw block I/O outside the cache, and the disk's write-cache flush */
int bio_rawread(uint32_t dev, uint32_t blockno, void *data);
int bio_rawwrite(uint32_t dev, uint32_t blockno, const void *data);
int bio_flush(uint32_t dev);
