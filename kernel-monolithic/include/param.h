/* param.h: compile-time limits of the kernel. */
#pragma once

#define NPROC      64      /* process table size */
#define NOFILE     16      /* open files per process */
#define NFILE      100     /* open files system-wide */
#define KSTACKSIZE 8192    /* per-process kernel stack */
#define MAXARG     32      /* execve argv/envp entries */
#define MAXARGLEN  4096    /* bytes of argv+envp strings */
#define MAXPATH    128
#define HZ         100     /* timer interrupts per second */
#define CMDLINE_MAX 256
#define MAXMODS    16      /* multiboot modules remembered */
