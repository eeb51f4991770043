/* signal.h: Linux i386 signal numbers and the structures of rt_sigaction(2) and the rt signal frame
 * (arch/x86/include/uapi/asm/sigcontext.h, ucontext.h; arch/x86/include/asm/sigframe.h). */
#pragma once
#include <stdint.h>

#define NSIG 64
#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGPROF   27
#define SIGWINCH  28

#define SIG_DFL 0
#define SIG_IGN 1

#define SA_NOCLDSTOP 0x00000001
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SI_USER   0       /* si_code: sent by kill() */
#define SI_KERNEL 0x80    /* sent by the kernel (faults, SIGCHLD, alarm) */

/* what rt_sigaction(2) takes on i386: the mask is 64 bits (sigsetsize 8) */
struct k_sigaction {
  uint32_t handler;
  uint32_t flags;
  uint32_t restorer;
  uint32_t mask[2];
};

struct sigcontext {
  uint16_t gs, __gsh, fs, __fsh, es, __esh, ds, __dsh;
  uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
  uint32_t trapno, err, eip;
  uint16_t cs, __csh;
  uint32_t eflags, esp_at_signal;
  uint16_t ss, __ssh;
  uint32_t fpstate;       /* 0: no FPU state saved (the kernel never uses the FPU) */
  uint32_t oldmask, cr2;
};

struct ucontext {
  uint32_t uc_flags, uc_link;
  struct { uint32_t ss_sp; int32_t ss_flags; uint32_t ss_size; } uc_stack;
  struct sigcontext uc_mcontext;
  uint32_t uc_sigmask[2];
};

struct siginfo {
  int32_t si_signo, si_errno, si_code;
  union {
    int32_t pad[29];                          /* the structure is 128 bytes */
    struct { int32_t pid; uint32_t uid; } kill;
    struct { uint32_t addr; } fault;
  } u;
};

/* What a handler finds on its stack: the return address (the restorer), then its three
 * arguments (sig, &info, &uc), then the structures they point to. */
struct rt_sigframe {
  uint32_t pretcode;
  int32_t sig;
  uint32_t pinfo, puc;
  struct siginfo info;
  struct ucontext uc;
  uint8_t retcode[8];     /* movl $__NR_rt_sigreturn, %eax; int $0x80: used without SA_RESTORER */
};

/* The frame Linux builds for a handler without SA_SIGINFO: its restorer pops the signal number
 * and calls sigreturn (119), not rt_sigreturn. */
struct sigframe {
  uint32_t pretcode;
  int32_t sig;
  struct sigcontext sc;
  uint32_t extramask;     /* the upper 32 bits of the saved mask (oldmask has the lower) */
  uint8_t retcode[8];     /* popl %eax; movl $__NR_sigreturn, %eax; int $0x80 */
};
