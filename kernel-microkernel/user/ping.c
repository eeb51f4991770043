/* ping.c: the demo's client, as the root task. It finds pong (another boot task) in the KIP,
 * exchanges a few messages with it, then measures IPC round trips (Call + ReplyWait) with jx86's
 * performance counters: to pong in another address space and to a thread in its own space,
 * register-only (fast path), the same with the fast path switched off, and an 8-word message.
 * Figures are per round trip: guest instructions, modelled cycles, TLB misses (I + D). */
#include "ulib.h"

#define ROUNDS 1000
static uint8_t stack[4096] __attribute__((aligned(4096)));

static void local_server(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    for (l4_word_t i = 1; i <= l4_untyped(tag); i++)
      L4_MR(i) += 1;
    tag = l4_reply_wait(client, l4_mktag(l4_label(tag) + 1, l4_untyped(tag), 0), &client);
  }
}

static void measure(const char *what, l4_threadid_t to, l4_word_t words) {
  uint64_t c0, i0, d0, t0, c1, i1, d1, t1;
  for (l4_word_t i = 1; i <= words; i++)
    L4_MR(i) = i;
  l4_call(to, l4_mktag(0x10, words, 0));   /* warm up: pages, TLB */
  perf_snapshot(&c0, &i0, &d0, &t0);
  for (int n = 0; n < ROUNDS; n++)
    l4_call(to, l4_mktag(0x10, words, 0));
  perf_snapshot(&c1, &i1, &d1, &t1);
  uint32_t ins = (uint32_t)(i1 - i0), cyc = (uint32_t)(c1 - c0), tlb = (uint32_t)((d1 - d0) + (t1 - t0));
  printf("ping: %-34s %5u instructions %6u cycles %3u.%u TLB misses per round trip\n", what, ins / ROUNDS,
         cyc / ROUNDS, tlb / ROUNDS, (tlb % ROUNDS) / (ROUNDS / 10));
}

/* the cheapest kernel entry and exit: a KDebug call with an unknown operation */
static void measure_null(void) {
  uint64_t c0, i0, d0, t0, c1, i1, d1, t1;
  perf_snapshot(&c0, &i0, &d0, &t0);
  for (int n = 0; n < ROUNDS; n++) {
    l4_word_t op = 99;
    __asm__ volatile("int $0x37" : "+a"(op) : : "ecx", "edx", "memory");
  }
  perf_snapshot(&c1, &i1, &d1, &t1);
  uint32_t ins = (uint32_t)(i1 - i0), cyc = (uint32_t)(c1 - c0);
  printf("ping: %-34s %5u instructions %6u cycles per call\n", "null system call", ins / ROUNDS, cyc / ROUNDS);
}

int main(void) {
  l4_threadid_t me = l4_myself(), pong = boot_task("pong");
  printf("ping: hello, I am %x; pong is %x\n", me, pong);
  for (int n = 0; n < 3; n++) {
    L4_MR(1) = 0x100 * n;
    l4_msgtag_t r = l4_call(pong, l4_mktag(0x40 + n, 1, 0));
    printf("ping: reply %d: label %x, MR1 %x%s\n", n, l4_label(r), L4_MR(1), l4_ipc_failed(r) ? " (failed)" : "");
  }
  l4_thread_control(tid(30), me, L4_NILTHREAD, L4_NILTHREAD);
  l4_start(tid(30), local_server, stack + sizeof(stack));
  if (!l4_io_control(me, 0x5A0, 16, 1) || !perf_available()) {
    printf("ping: counters: unavailable (no jx86 perf-counter device)\n");
    poweroff(0);
  }
  measure_null();
  measure("other space, 2 words, fast path", pong, 2);
  measure("same space, 2 words, fast path", tid(30), 2);
  kd_fastpath(0);
  measure("other space, 2 words, general path", pong, 2);
  measure("same space, 2 words, general path", tid(30), 2);
  kd_fastpath(1);
  measure("other space, 8 words (UTCB)", pong, 8);
  printf("ping: done\n");
  poweroff(0);
}
