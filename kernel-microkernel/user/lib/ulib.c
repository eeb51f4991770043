/* ulib.c: printing, exit, sigma0 requests, thread helpers and check lines for the test programs. */
#include "ulib.h"
#include "libkern/format.h"
#include "libkern/portio.h"

static uint32_t kdebug(uint32_t op, uint32_t a, uint32_t b) {
  __asm__ volatile("int $0x37" : "+a"(op) : "d"(a), "c"(b) : "memory");
  return op;
}

void puts_n(const char *s, int n) { kdebug(L4_KD_PUTS, (uint32_t)s, (uint32_t)n); }

int printf(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n > (int)sizeof(buf) - 1)
    n = sizeof(buf) - 1;
  puts_n(buf, n);
  return n;
}

void poweroff(int status) {
  kdebug(L4_KD_POWEROFF, (uint32_t)status, 0);
  exit(status);
}

/* Without a caller to return to, a program's thread deletes itself. */
void exit(int status) {
  (void)status;
  for (;;)
    l4_thread_control(l4_myself(), L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);
}

void set_name(const char *name) {
  char buf[16] = { 0 };
  safestrcpy(buf, name, sizeof(buf));
  kdebug(L4_KD_SETNAME, (uint32_t)buf, 0);
}

uint32_t kd_fastpath(int on) { return kdebug(L4_KD_FASTPATH, (uint32_t)on, 0); }
uint32_t kd_probe(l4_threadid_t t, l4_word_t addr) { return kdebug(L4_KD_PROBE, t, addr); }
void kd_mdb_dump(l4_threadid_t t, l4_word_t addr) { kdebug(L4_KD_MDBDUMP, t, addr); }

/* The sigma0 protocol: label 0xFFA0, MR1 the wanted fpage (base all ones = any page), MR2
 * attributes; the answer is a map item that lands in our receive window. */
bool sigma0_page(l4_word_t phys, l4_word_t where) {
  l4_accept(l4_fpage(where, 12, L4_RWX));
  L4_MR(1) = (phys == ~0u ? ~0x3FFu : (phys & ~0xFFFu)) | (12 << 4) | L4_RWX;
  L4_MR(2) = 0;
  l4_msgtag_t r = l4_call(l4_kip()->sigma0, l4_mktag(L4_LABEL_SIGMA0, 2, 0));
  l4_accept((l4_fpage_t){ 0 });
  return !l4_ipc_failed(r) && l4_typed(r) == 2;
}

l4_threadid_t spawn(int n, l4_threadid_t space, void (*fn)(void), void *stack_top, l4_threadid_t pager,
                    l4_threadid_t exc) {
  l4_threadid_t t = tid(n);
  if (!l4_thread_control(t, space, pager, exc))
    return L4_NILTHREAD;
  if (!l4_start(t, fn, stack_top))
    return L4_NILTHREAD;
  return t;
}

void share_pager(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(0, 0, 0);
    if ((l4_label(tag) & 0xFFF0) == L4_LABEL_PAGEFAULT) {
      l4_word_t page = L4_MR(1) & ~0xFFFu;
      (void)*(volatile uint8_t *)page;             /* make sure it is mapped here first */
      l4_put_map_item(1, page, l4_fpage(page, 12, L4_RWX), 0);
      reply = l4_mktag(0, 0, 2);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}

l4_threadid_t boot_task(const char *name) {
  struct l4_kip *k = l4_kip();
  for (uint32_t i = 0; i < k->nboot; i++)
    if (strcmp(k->boot[i].name, name) == 0)
      return k->boot[i].thread;
  return L4_NILTHREAD;
}

const char *check_prefix = "test";
int check_failures;

void check(bool cond, const char *fmt, ...) {
  char buf[200];
  va_list ap;
  va_start(ap, fmt);
  kvsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  printf("%s: %s %s\n", check_prefix, cond ? "ok" : "FAIL", buf);
  if (!cond)
    check_failures++;
}

#define PERF_SELECT 0x5A0
#define PERF_LO 0x5A4
#define PERF_HI 0x5A8
#define PERF_CMD 0x5AC

bool perf_available(void) { return inl(PERF_CMD) == 0x4350584Au; }

static uint64_t perf_read(uint32_t index) {
  outl(PERF_SELECT, index);
  uint32_t lo = inl(PERF_LO), hi = inl(PERF_HI);
  return (uint64_t)hi << 32 | lo;
}

/* TLB misses: D-TLB and I-TLB "misses" events (ordinal 1), user + supervisor */
void perf_snapshot(uint64_t *cycles, uint64_t *instructions, uint64_t *dtlb_miss, uint64_t *itlb_miss) {
  outl(PERF_CMD, 1);
  *cycles = perf_read(0x00);
  *instructions = perf_read(0x01);
  *dtlb_miss = perf_read(0x20 + 2) + perf_read(0x20 + 3);
  *itlb_miss = perf_read(0x10 + 2) + perf_read(0x10 + 3);
}
