/* fs.h: the in-memory inode (a cached ext2 inode) and the file-system interface used by exec and the fd calls. */
#pragma once
#include "types.h"
#include "uapi/stat.h"   /* i_mode uses the same S_IF* bits as Linux */
#include "libkern/ext2.h" /* the shared ext2 code: struct inode and its interface */

