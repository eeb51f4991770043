/* ulib.h: the user library: system calls (l4/ipc.h), printing through the kernel debugger,
 * sigma0 requests, and the helpers the test programs share. */
#pragma once
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "l4/ipc.h"
#include "libkern/string.h"

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void puts_n(const char *s, int n);
void exit(int status) __attribute__((noreturn));
void poweroff(int status) __attribute__((noreturn));
void set_name(const char *name);
uint32_t kd_fastpath(int on);            /* -1 leaves it; returns the fast-path hit count */
uint32_t kd_probe(l4_threadid_t t, l4_word_t addr);
void kd_mdb_dump(l4_threadid_t t, l4_word_t addr);   /* the kernel prints that page's mapping tree */

/* sigma0: one page anywhere (base ~0) or at a given physical address, mapped at `where` */
bool sigma0_page(l4_word_t phys, l4_word_t where);

/* a thread number's id (version 1) */
static inline l4_threadid_t tid(int n) { return L4_GLOBALID(n, 1); }
/* create thread n (in a new space when space == its own id) and start it at fn */
l4_threadid_t spawn(int n, l4_threadid_t space, void (*fn)(void), void *stack_top, l4_threadid_t pager,
                    l4_threadid_t exc);
/* serve page faults by mapping this space's own page at the faulting address (children that run
 * the parent's code); never returns */
void share_pager(void);
l4_threadid_t boot_task(const char *name);  /* the main thread of a boot module, or nil */

/* simple checks: "prog: ok name" or "prog: FAIL name" */
extern const char *check_prefix;
extern int check_failures;
void check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* jx86 performance counters (ports 0x5A0-0x5AF; the task needs them granted) */
bool perf_available(void);
void perf_snapshot(uint64_t *cycles, uint64_t *instructions, uint64_t *dtlb_miss, uint64_t *itlb_miss);
