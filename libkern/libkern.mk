# libkern.mk: the C code every kernel shares (string, formatting, 16550 serial, ELF definitions).
# A kernel's Makefile sets LIBKERN to this folder, includes this file, adds $(LIBKERN_CFLAGS) to its
# compiler flags and $(LIBKERN_SRCS) to its sources; the objects are built with the kernel's own flags.
LIBKERN_SRCS := $(wildcard $(LIBKERN)/*.c)
LIBKERN_HDRS := $(wildcard $(LIBKERN)/include/libkern/*.h)
LIBKERN_CFLAGS := -I$(LIBKERN)/include
