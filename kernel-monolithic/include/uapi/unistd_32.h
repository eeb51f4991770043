/* unistd_32.h: Linux i386 system-call numbers (arch/x86/entry/syscalls/syscall_32.tbl) used by this kernel. */
#pragma once

#define __NR_exit          1
#define __NR_fork          2
#define __NR_read          3
#define __NR_write         4
#define __NR_open          5
#define __NR_close         6
#define __NR_waitpid       7
#define __NR_link         9
#define __NR_unlink       10
#define __NR_execve       11
#define __NR_chdir        12
#define __NR_lseek        19
#define __NR_getpid       20
#define __NR_alarm        27
#define __NR_pause        29
#define __NR_kill         37
#define __NR_sync         36
#define __NR_pipe         42
#define __NR_brk          45
#define __NR_rename       38
#define __NR_mkdir        39
#define __NR_rmdir        40
#define __NR_dup          41
#define __NR_dup2         63
#define __NR_getppid      64
#define __NR_reboot       88
#define __NR_uname       122
#define __NR_wait4       114
#define __NR_fsync       118
#define __NR_fdatasync   148
#define __NR_init_module   128
#define __NR_delete_module 129
#define __NR_sched_yield 158
#define __NR_nanosleep   162
#define __NR_getcwd     183
#define __NR_stat64     195
#define __NR_lstat64    196
#define __NR_fstat64    197
#define __NR_getdents64 220
#define __NR_rt_sigreturn   173
#define __NR_rt_sigaction   174
#define __NR_rt_sigprocmask 175
#define __NR_exit_group  252

#define NR_SYSCALLS      400   /* size of the dispatch table */

/* reboot(2) magic numbers (include/uapi/linux/reboot.h) */
#define LINUX_REBOOT_MAGIC1       0xfee1dead
#define LINUX_REBOOT_MAGIC2       672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART   0x01234567

/* waitpid(2) options and status encoding */
#define WNOHANG 1
