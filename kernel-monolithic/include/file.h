/* file.h: an open file: what a file descriptor points to. Pipes and inodes join the union later. */
#pragma once
#include "types.h"

enum filetype { FD_NONE, FD_CONSOLE, FD_PIPE, FD_INODE, FD_PROC, FD_CHR, FD_BLK };

struct file {
  enum filetype type;
  int ref;
  bool readable, writable, append;
  uint32_t off;
  struct pipe *pipe;        /* FD_PIPE */
  struct inode *ip;         /* FD_INODE */
  char *procbuf;            /* FD_PROC: the text generated at open */
  uint32_t procsize;
  bool procdir;             /* FD_PROC: /proc itself */
  int chrdev;               /* FD_CHR, FD_BLK: index in fs/chrdev.c's or fs/blkdev.c's table */
};
