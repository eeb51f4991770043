/* ext2host.h: what the shared ext2 code (libkern/fs/ext2*.c) needs from this kernel: the buffer
 * cache, kmalloc, printk/panic, errno and the S_IF* bits (see libkern/include/libkern/ext2.h).
 * The hooks it declares there (fs_lock, fs_now, the cwd and user-copy calls) are in fs/ext2host.c. */
#pragma once
#include "defs.h"
#include "buf.h"
#include "fs.h"
#include "param.h"         /* MAXPATH */

/* fs/ext2host.c: reads journal.crash= from the command line (the journal's test hook) */
void journal_crash_hook(void);
