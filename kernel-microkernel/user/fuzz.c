/* fuzz.c: robustness, as a root task. 100,000 system calls with random arguments (xorshift32,
 * fixed seed) from this privileged task, and 20,000 more from an unprivileged child space. Thread
 * ids come mostly from a pool of interesting values (nil, any, live threads, interrupt threads,
 * stale versions, garbage). The only filters keep the fuzzer itself alive: it never deletes,
 * stops or re-points its own few service threads, never unmaps or grants its own image, never
 * blocks without a timeout, and never powers off. The kernel must survive all of it. */
#include "ulib.h"

uint32_t l4_raw_syscall(int n, uint32_t regs[7]);
enum { R_EAX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBX, R_EBP };

#define ROOT_CALLS 100000
#define CHILD_CALLS 20000
static uint8_t stacks[4][4096] __attribute__((aligned(4096)));
enum { PAGER = 19, ECHO = 20, CHILD = 21 };

static uint32_t seed = 0x2545F491;
static uint32_t rnd(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static l4_threadid_t random_id(void) {
  switch (rnd() % 10) {
  case 0: return L4_NILTHREAD;
  case 1: return L4_ANYTHREAD;
  case 2: return L4_IRQTHREAD(rnd() % 16);
  case 3: return tid(ECHO);
  case 4: return tid(16 + rnd() % 2);                  /* sigma0, root */
  case 5: return L4_GLOBALID(22 + rnd() % 12, 1);     /* victims: created and deleted at random */
  case 6: return L4_GLOBALID(22 + rnd() % 12, rnd());  /* stale or garbage versions */
  case 7: return L4_GLOBALID(rnd() % 200, 1);
  default: return rnd();
  }
}

static bool protected(l4_threadid_t t) {
  return t == l4_myself() || t == tid(PAGER) || t == tid(ECHO) || t == tid(CHILD) || t == l4_kip()->sigma0;
}

/* below the fuzzer's image (0x80000000), never its stack or UTCB */
static l4_word_t random_fpage(void) {
  return (rnd() & 0x7FFFFC00u & ~0x3F0u) | ((12 + rnd() % 16) << 4) | (rnd() & 7);
}

static void one_call(bool privileged) {
  uint32_t r[7];
  for (int i = 0; i < 7; i++)
    r[i] = rnd();
  int n = rnd() % 9;
  switch (0x30 + n) {
  case L4_VEC_IPC:
    r[R_EAX] = random_id();
    r[R_EDX] = random_id();
    r[R_ECX] = (rnd() % 64 == 0) ? ((rnd() & 0x03FF03FF) | 0x04000400) & 0x0FFF0FFF : 0x04000400;
    if ((r[R_ECX] & 0xFFFF) == 0)
      r[R_ECX] |= 0x0400;
    if ((r[R_ECX] >> 16) == 0)
      r[R_ECX] |= 0x04000000;
    /* typed items: fpages below the image only */
    for (int i = 3; i < 64; i += 2) {
      L4_MR(i) = (rnd() & 0x7FFFF000u) | (rnd() & 0xF);
      L4_MR(i + 1) = random_fpage();
    }
    r[R_ESI] &= 0xFFFF0FFF;
    if (rnd() % 2)
      r[R_ESI] &= 0xFFFF003F;                     /* mostly untyped */
    if (rnd() % 8 == 0)
      l4_accept((l4_fpage_t){ random_fpage() });
    break;
  case L4_VEC_EXREGS:
    r[R_EAX] = random_id();
    if (protected(r[R_EAX]) || r[R_EAX] == l4_kip()->root)
      r[R_ECX] &= ~(l4_word_t)(L4_EXREGS_HALT | L4_EXREGS_SET_IP | L4_EXREGS_SET_SP | L4_EXREGS_SET_PAGER |
                               L4_EXREGS_SET_EXCH | L4_EXREGS_SET_FLAGS);
    break;
  case L4_VEC_THREADCTL:
    r[R_EAX] = random_id();
    r[R_ESI] = rnd() % 3 ? random_id() : r[R_EAX];
    r[R_ECX] = random_id();
    r[R_EBX] = random_id();
    if (protected(r[R_EAX]) || r[R_EAX] == l4_kip()->root)
      return;
    break;
  case L4_VEC_UNMAP:
    for (int i = 0; i < 8; i++)
      L4_MR(i) = random_fpage();
    r[R_EAX] &= 0x47;                           /* up to 8 fpages, with or without flush */
    break;
  case L4_VEC_SCHEDULE:
    r[R_EAX] = random_id();
    if (protected(r[R_EAX]) || r[R_EAX] == l4_kip()->root)
      return;
    r[R_EDX] %= 101;                            /* never above the fuzzer: it must keep running */
    break;
  case L4_VEC_THREADSWITCH:
  case L4_VEC_IOCONTROL:
    r[R_EAX] = random_id();
    if (n == 6 && r[R_EAX] == l4_myself())
      return;                                   /* keep our own bitmap as it is */
    break;
  case L4_VEC_KDEBUG:
    r[R_EAX] = rnd() % 6;
    if (r[R_EAX] == L4_KD_POWEROFF || r[R_EAX] == L4_KD_PUTC || r[R_EAX] == L4_KD_PUTS)
      return;                                   /* quiet, and alive */
    if (r[R_EAX] == L4_KD_FASTPATH)
      r[R_EDX] = rnd() % 2;
    break;
  }
  (void)privileged;
  l4_raw_syscall(n, r);
}

static volatile l4_word_t child_calls;

static void child(void) {
  for (child_calls = 0; child_calls < CHILD_CALLS; child_calls++)
    one_call(false);
  exit(0);
}

static void echo(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;)
    tag = l4_reply_wait(client, l4_mktag(l4_label(tag) + 1, 0, 0), &client);
}

static void pager(void) { share_pager(); }

int main(void) {
  check_prefix = "fuzz";
  l4_threadid_t me = l4_myself();
  spawn(PAGER, me, pager, stacks[0] + 4096, L4_NILTHREAD, L4_NILTHREAD);
  spawn(ECHO, tid(ECHO), echo, stacks[1] + 4096, tid(PAGER), L4_NILTHREAD);
  /* the threads the fuzzer creates run at 100 at most: they only get the CPU when we wait */
  l4_set_priority(me, 200);
  l4_set_priority(tid(PAGER), 200);
  l4_set_priority(tid(ECHO), 200);
  l4_set_priority(l4_kip()->sigma0, 200);
  for (int i = 0; i < ROOT_CALLS; i++) {
    one_call(true);
  }
  check(1, "root-made-%d-random-system-calls (seed 2545f491)", ROOT_CALLS);

  kd_fastpath(1);
  l4_word_t saved = seed;
  l4_thread_control(tid(CHILD), tid(CHILD), tid(PAGER), L4_NILTHREAD);
  l4_set_priority(tid(CHILD), 150);
  l4_start(tid(CHILD), child, stacks[2] + 4096);
  for (int i = 0; i < 2000 && child_calls < CHILD_CALLS; i++)
    l4_receive_timeout(L4_NILTHREAD + 1, (4 << 10) | 625, NULL);   /* sleep 10 ms, 20 s at most */
  (void)saved;
  check(child_calls == CHILD_CALLS, "unprivileged-child-made-%d-random-system-calls", CHILD_CALLS);
  l4_msgtag_t r = l4_call(tid(ECHO), l4_mktag(0x41, 0, 0));
  check(!l4_ipc_failed(r) && l4_label(r) == 0x42, "echo-server-survived");
  check(sigma0_page(~0u, 0x7FF00000), "sigma0-survived");
  printf("fuzz: %s\n", check_failures ? "FAILED" : "all passed");
  poweroff(check_failures ? 1 : 0);
}
