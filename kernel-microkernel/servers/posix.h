/* posix.h: what the POSIX personality's files share: the process and file tables (posix.c), process
 * memory with copy-on-write fork (pmem.c) and signals (psignal.c). */
#pragma once
#include "srv.h"
#include "uapi/errno.h"
#include "uapi/signal.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define PAGE 4096u
#define PGDOWN(a) ((a) & ~(PAGE - 1))
#define PGUP(a) (((a) + PAGE - 1) & ~(PAGE - 1))

#define NPROC 48
#define NPAGES 1024                   /* 4 MiB per process */
#define NFD 16
#define NFILE 96
#define MAXPATH 128
#define STACK_TOP 0xAFFFF000u          /* just below the trampoline page */
#define STACK_PAGES 8                  /* 32 KiB, as on kernel-monolithic (USTACKPAGES): a deeper stack faults */
#define STACK_LO (STACK_TOP - STACK_PAGES * PAGE)
#define TRAMP 0xAFFFF000u              /* a page of `int $0x80`: where a forked child starts */
#define BLOCKED (-0x7FFFFFFF)          /* a call that waits: retried when something changes */

enum { P_FREE, P_LIVE, P_ZOMBIE };

struct file;

/* A page of a process: its address there and this task's page behind it. A cow page is shared
 * with other processes since a fork and mapped read-only; the first write copies it. */
struct upage {
  uint32_t va, back;
  bool cow;
};

struct proc {
  int state, pid, ppid, wstatus;
  l4_threadid_t tid;
  uint32_t version;
  struct upage pg[NPAGES];
  int npg;
  uint32_t lo, brk;                   /* image start, program break */
  uint32_t ro_lo, ro_hi;              /* read-only pages of the image (text) */
  struct file *fd[NFD];
  char cwd[MAXPATH], name[16];
  char arg1[16];                      /* argv[1]'s file name: what insmod loads */
  uint32_t regs[13];                  /* the exception message: MR1 EIP .. MR12 EAX */
  bool blocked, fork_start;
  uint64_t wake_at;                   /* nanosleep's deadline (KIP clock) */
  /* signals (psignal.c) */
  struct k_sigaction act[NSIG];
  uint64_t sigpending, sigblocked;
  uint64_t alarm_at;                  /* alarm(2)'s deadline (KIP clock), 0: none */
  uint32_t fault_addr;                /* the address of a page fault passed on as trap 14 */
};

extern struct proc procs[NPROC];

/* posix.c */
void proc_end(struct proc *p, int wstatus);

/* pmem.c: the processes' pages */
extern uint32_t tramp_page;
uint32_t page_alloc(void);
void page_put(uint32_t a);
uint8_t *uva(struct proc *p, uint32_t va, bool alloc, bool write);
int ucopy(struct proc *p, uint32_t va, void *buf, uint32_t n, bool to_user);
#define uread(p, va, buf, n) ucopy(p, va, buf, n, false)
#define uwrite(p, va, buf, n) ucopy(p, va, (void *)(buf), n, true)
int ustr(struct proc *p, uint32_t va, char *dst, int max);
int ucheck(struct proc *p, uint32_t va, uint32_t n, bool write);
void free_pages(struct proc *p);
int fork_pages(struct proc *c, struct proc *p);
bool valid_va(struct proc *p, uint32_t va);
void page_fault(struct proc *p, uint32_t addr, uint32_t ip, bool write);
int meminfo_text(char *buf, int size);

/* psignal.c */
int sig_send(struct proc *p, int sig);
int sig_fault(struct proc *p, int trap);
bool sig_deliverable(struct proc *p);
bool sig_handled(struct proc *p, int sig);
bool sig_deliver(struct proc *p);
void sig_fork(struct proc *c, struct proc *p);
void sig_exec(struct proc *p);
void sig_timers(uint64_t now);
bool sig_alarms(void);
void sig_exit(struct proc *p);
int sys_rt_sigaction(struct proc *p, uint32_t sig, uint32_t uact, uint32_t uoact, uint32_t size);
int sys_rt_sigprocmask(struct proc *p, uint32_t how, uint32_t uset, uint32_t uoset, uint32_t size);
int sys_rt_sigreturn(struct proc *p);
int sys_sigreturn(struct proc *p);
int sys_alarm(struct proc *p, uint32_t seconds);
int ksnprintf_(char *buf, int size, const char *f, ...);
