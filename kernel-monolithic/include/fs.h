/* fs.h: the in-memory inode (a cached ext2 inode) and the file-system interface used by exec and the fd calls. */
#pragma once
#include "types.h"
#include "ext2.h"

struct inode {
  uint32_t dev;               /* the partition holding it (see buf.h) */
  uint32_t inum;
  int ref;                    /* references from files, cwd and lookups in progress */
  bool valid;                 /* d holds the disk inode */
  struct ext2_inode d;
};

/* fs/ext2.c */
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
void fs_lock(void);
void fs_unlock(void);
int fs_sync(void);
uint32_t fs_now(void);

/* fs/ext2dir.c */
int dirlink(struct inode *dp, const char *name, uint32_t inum, uint8_t type);
struct inode *ext2_create(const char *path, uint16_t mode, int *err);
int ext2_unlink(const char *path, bool dir);
int ext2_link(const char *oldpath, const char *newpath);
int ext2_rename(const char *oldpath, const char *newpath);
