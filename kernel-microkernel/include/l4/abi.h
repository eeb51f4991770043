/* l4/abi.h: the binary interface shared by the kernel and user programs: trap vectors, the KIP and
 * UTCB layouts, kernel-generated message labels, error codes. docs/kernel-microkernel.md explains
 * every call; this file is the single place the numbers live. */
#pragma once
#include <stdint.h>

/* ---- system-call vectors (int $n, DPL 3); the KIP repeats them ---- */
#define L4_VEC_IPC          0x30   /* EAX to, EDX from, ECX timeouts, ESI MR0, EBX MR1, EBP MR2 */
#define L4_VEC_THREADSWITCH 0x31   /* EAX dest (nil = yield) */
#define L4_VEC_EXREGS       0x32   /* ExchangeRegisters */
#define L4_VEC_THREADCTL    0x33   /* ThreadControl (privileged, except deleting oneself) */
#define L4_VEC_UNMAP        0x34   /* EAX control, fpages in MR0.. of the UTCB */
#define L4_VEC_SCHEDULE     0x35   /* EAX dest, EDX priority */
#define L4_VEC_IOCONTROL    0x36   /* privileged: EAX thread (its space), EDX first port, ECX count, EBX 1 grant / 0 revoke */
#define L4_VEC_KDEBUG       0x37   /* EAX op (L4_KD_*), EDX/ECX arguments */
#define L4_VEC_CLOCK        0x38   /* out EAX:EDX = microseconds since boot */

/* KDebug operations */
#define L4_KD_PUTC      0   /* EDX = char */
#define L4_KD_PUTS      1   /* EDX = string, ECX = length (at most 256) */
#define L4_KD_POWEROFF  2   /* privileged: EDX = exit-port value */
#define L4_KD_SETNAME   3   /* EDX = name (15 chars kept) for the current thread */
#define L4_KD_FASTPATH  4   /* EDX = 1 on / 0 off (privileged); out EAX = fast-path hits so far */
#define L4_KD_PROBE     5   /* privileged: EDX = thread (its space), ECX = address; out EAX = frame | rights, or 0 */
#define L4_KD_MDBDUMP   6   /* EDX = thread (its space), ECX = address: print that frame's mapping tree */

/* ---- thread ids: thread number << 14 | version (14 bits) ---- */
#define L4_THREADNO(id)   ((id) >> 14)
#define L4_VERSION(id)    ((id) & 0x3FFF)
#define L4_GLOBALID(n, v) (((uint32_t)(n) << 14) | ((v) & 0x3FFF))
#define L4_NIRQ           16       /* thread numbers 0..15 are the interrupt threads */
#define L4_IRQTHREAD(irq) L4_GLOBALID(irq, 1)
#define L4_MAXTHREADS     128

/* ---- the kernel interface page, mapped read-only at L4_KIP_ADDR in every space ---- */
#define L4_KIP_ADDR   0xBFF00000u
#define L4_KIP_MAGIC  0x4BE6344Cu          /* "L4\xe6K", as in L4 X.2 */
#define L4_API_VERSION 0x84000000u        /* X.2-shaped */
#define L4_UTCB_BASE  0xBF000000u         /* UTCB of thread number n at L4_UTCB_BASE + n * 4096 */
#define L4_USER_TOP   0xBF000000u         /* user mappings live below this address */

struct l4_memdesc {
  uint32_t low, high;                     /* [low, high) physical, page aligned */
  uint32_t type;                          /* L4_MEM_* */
};
#define L4_MEM_CONVENTIONAL 1             /* sigma0 hands these out */
#define L4_MEM_KERNEL       2             /* kernel image, boot modules, kernel pool: never user memory */

struct l4_bootinfo {
  uint32_t thread;                        /* main thread of the boot task */
  char name[28];                          /* module file name without directories */
};

struct l4_kip {
  uint32_t magic, api_version, api_flags, kernel_id;
  uint32_t user_base;                     /* first user thread number (sigma0) */
  uint32_t sigma0, root;                  /* thread ids */
  uint32_t utcb_base, utcb_size;
  uint32_t vectors[9];                    /* L4_VEC_IPC .. L4_VEC_CLOCK */
  volatile uint32_t clock_lo, clock_hi;   /* microseconds since boot, updated every tick */
  uint32_t tick_us;                       /* time-slice tick */
  uint32_t nmem;
  struct l4_memdesc mem[8];
  uint32_t nboot;
  struct l4_bootinfo boot[8];
};

/* ---- the UTCB: one page per thread at L4_UTCB_BASE + n * 4096; %gs:0 holds the address of MR0 ---- */
struct l4_utcb {
  uint32_t mr_ptr;                        /* %gs:0: user address of mr[0] */
  uint32_t my_global_id;
  uint32_t pager;
  uint32_t exception_handler;
  uint32_t error_code;                    /* after a failed IPC: code << 1 | phase (1 = receive) */
  uint32_t acceptor;                      /* BR0: receive window fpage for map/grant items (0 = none) */
  uint32_t user_handle;
  uint32_t reserved[9];
  uint32_t mr[64];                        /* at offset 64 */
};

/* typed items: MR[i] = send base (hot spot) | type, MR[i+1] = fpage */
#define L4_ITEM_MAP   0x8u
#define L4_ITEM_GRANT 0xAu

/* ---- kernel-generated message labels ---- */
#define L4_LABEL_IRQ       0xFFF0u        /* from an interrupt thread, u = t = 0 */
#define L4_LABEL_PAGEFAULT 0xFFE0u        /* | rwx of the access; MR1 address, MR2 IP */
#define L4_LABEL_EXCEPTION 0xFFB0u        /* CPU exception or int $0x80; 12 words, see L4_EXC_* */
#define L4_LABEL_SIGMA0    0xFFA0u        /* sigma0 request: MR1 fpage (base all ones = any), MR2 attributes */

/* exception message words (MR index) */
#define L4_EXC_EIP 1
#define L4_EXC_EFLAGS 2
#define L4_EXC_NUMBER 3
#define L4_EXC_ERROR 4
#define L4_EXC_EDI 5
#define L4_EXC_ESI 6
#define L4_EXC_EBP 7
#define L4_EXC_ESP 8
#define L4_EXC_EBX 9
#define L4_EXC_EDX 10
#define L4_EXC_ECX 11
#define L4_EXC_EAX 12
#define L4_EXC_WORDS 12
#define L4_EXC_REPLY_RESUME 0             /* reply label: resume (with MR1..12 as registers if u = 12) */
#define L4_EXC_REPLY_KILL   1             /* reply label: kill the thread */
#define L4_PF_REPLY_EXCEPTION 2           /* page-fault reply label: not resolved; send the fault on to
                                           * the exception handler (trap 14, full registers) */

/* message tag: E flag (bit 15) marks a failed IPC */
#define L4_TAG_ERROR 0x8000u

/* ---- IPC error codes: UTCB error_code = code << 1 | phase ---- */
#define L4_ERR_TIMEOUT   1
#define L4_ERR_NOPARTNER 2
#define L4_ERR_CANCELED  3
#define L4_ERR_OVERFLOW  4
#define L4_ERR_ABORTED   7

/* ThreadControl / ExchangeRegisters / IoControl failures (UTCB error_code) */
#define L4_ERR_NO_PRIVILEGE 1
#define L4_ERR_INVALID_THREAD 2
#define L4_ERR_INVALID_SPACE 3
#define L4_ERR_NO_MEMORY 8

/* ---- timeouts: send << 16 | receive; each 16 bits ---- */
#define L4_TIMEOUT_NEVER 0x0000u
#define L4_TIMEOUT_ZERO  0x0400u          /* exponent 1, mantissa 0 */
/* any other value e << 10 | m is relative: m * 2^e microseconds (rounded up to ticks) */

/* ---- ExchangeRegisters control bits (EAX dest, ECX control, EDX SP, ESI IP, EDI flags,
 *      EBX exception handler, EBP pager; out: same registers hold the old values, EAX = dest or 0) ---- */
#define L4_EXREGS_HALT    0x001           /* stop the thread (aborting any IPC) */
#define L4_EXREGS_RESUME  0x002           /* start / resume it */
#define L4_EXREGS_SET_SP  0x004
#define L4_EXREGS_SET_IP  0x008
#define L4_EXREGS_SET_PAGER 0x010
#define L4_EXREGS_SET_EXCH  0x020
#define L4_EXREGS_SET_FLAGS 0x040

/* Unmap control: bit 6 = flush (also remove the caller's own mapping), bits 0-5 = number of fpages - 1 */
#define L4_UNMAP_FLUSH 0x40
