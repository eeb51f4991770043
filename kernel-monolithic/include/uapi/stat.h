/* stat.h: Linux i386 struct stat64 (stat64/fstat64/lstat64), linux_dirent64 (getdents64), open flags. */
#pragma once
#include <stdint.h>

struct stat64 {
  uint64_t st_dev;
  uint8_t __pad0[4];
  uint32_t __st_ino;
  uint32_t st_mode, st_nlink, st_uid, st_gid;
  uint64_t st_rdev;
  uint8_t __pad3[4];
  int64_t st_size;
  uint32_t st_blksize;
  uint64_t st_blocks;
  uint32_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
  uint64_t st_ino;
} __attribute__((packed));

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  uint8_t d_type;
  char d_name[];
} __attribute__((packed));

#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_ACCMODE   03
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_DIRECTORY 0200000
#define O_NONBLOCK  04000
#define O_CLOEXEC   02000000

/* st_mode file types */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
