# libkern.mk: the C code every kernel shares (string, formatting, 16550 serial, ELF definitions).
# A kernel's Makefile sets LIBKERN to this folder, includes this file, adds $(LIBKERN_CFLAGS) to its
# compiler flags and $(LIBKERN_SRCS) to its sources; the objects are built with the kernel's own flags.
LIBKERN_SRCS := $(wildcard $(LIBKERN)/*.c)
# The shared ext2 file system (fs/ext2*.c): a kernel that wants it adds $(LIBKERN_FS_SRCS) and
# provides "ext2host.h" on its include path (see include/libkern/ext2.h).
LIBKERN_FS_SRCS := $(wildcard $(LIBKERN)/fs/*.c)
LIBKERN_HDRS := $(wildcard $(LIBKERN)/include/libkern/*.h $(LIBKERN)/fs/*.h)
LIBKERN_CFLAGS := -I$(LIBKERN)/include
