/* ipctest.c: IPC semantics, as a root task. Threads: a pager (19) that lends this task's pages to
 * child spaces, an echo server in its own space (20) and one in this space (21), and short-lived
 * helpers (22-28). One line per check: "ipctest: ok <name>". */
#include "ulib.h"

#define STACK 4096
static uint8_t stacks[12][STACK] __attribute__((aligned(4096)));
#define TOP(i) ((void *)(stacks[i] + STACK))

enum { PAGER = 19, REMOTE = 20, LOCAL = 21 };

/* Replies with label + 1 and MR[i] + i; label 0x300 tries a privileged call instead. */
static void echo_server(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_word_t label = l4_label(tag), u = l4_untyped(tag);
    if (label == 0x300) {
      L4_MR(1) = (l4_word_t)l4_thread_control(tid(40), tid(40), L4_NILTHREAD, L4_NILTHREAD);
      L4_MR(2) = l4_utcb()->error_code;
      u = 2;
    } else {
      for (l4_word_t i = 1; i <= u; i++)
        L4_MR(i) += i;
    }
    tag = l4_reply_wait(client, l4_mktag(label + 1, u, 0), &client);
  }
}

static void pager(void) { share_pager(); }

/* call `to` with u words seeded by `seed`; check the echo */
static bool echo_ok(l4_threadid_t to, l4_word_t label, l4_word_t u, l4_word_t seed) {
  for (l4_word_t i = 1; i <= u; i++)
    L4_MR(i) = seed * 31 + i * 7;
  l4_msgtag_t r = l4_call(to, l4_mktag(label, u, 0));
  if (l4_ipc_failed(r) || l4_label(r) != label + 1 || l4_untyped(r) != u || l4_typed(r) != 0)
    return false;
  for (l4_word_t i = 1; i <= u; i++)
    if (L4_MR(i) != seed * 31 + i * 7 + i)
      return false;
  return true;
}

/* A transcript of calls: every reply word, tag and sender, for the fast/slow comparison. */
static l4_word_t transcript(l4_threadid_t to, l4_word_t *out) {
  int n = 0;
  for (l4_word_t k = 0; k < 24; k++) {
    l4_word_t u = k % 4;                  /* 0-2: fast path candidates; 3: slow path always */
    for (l4_word_t i = 1; i <= u; i++)
      L4_MR(i) = k * 1000 + i;
    l4_threadid_t from = 0;
    l4_msgtag_t r = l4_ipc(to, to, 0, l4_mktag(0x40 + k, u, 0), &from);
    out[n++] = r.raw;
    out[n++] = from;
    for (l4_word_t i = 1; i <= u; i++)
      out[n++] = L4_MR(i);
  }
  return (l4_word_t)n;
}

static void sender_a(void) {
  L4_MR(1) = 0xA;
  l4_send(l4_kip()->root, l4_mktag(0x200, 1, 0));
  exit(0);
}

static void sender_b(void) {
  L4_MR(1) = 0xB;
  l4_send(l4_kip()->root, l4_mktag(0x201, 1, 0));
  exit(0);
}

static void late_sender(void) {
  for (int i = 0; i < 3; i++)
    l4_yield();
  L4_MR(1) = 0x1A7E;
  l4_send(l4_kip()->root, l4_mktag(0x202, 1, 0));
  exit(0);
}

static volatile l4_word_t spins, moved;

static void spinner(void) {
  for (;;)
    spins++;                              /* never blocks, never yields */
}

static volatile l4_word_t low_spins;

static void low_spinner(void) {
  for (;;)
    low_spins++;
}

static void moved_here(void) {
  moved = 1;
  for (;;)
    l4_receive(l4_myself(), NULL);
}

static void sleeper(void) {
  for (;;)
    l4_receive(l4_myself(), NULL);        /* nobody else can send as us: blocks for good */
}

int main(void) {
  check_prefix = "ipctest";
  l4_threadid_t me = l4_myself();
  struct l4_kip *kip = l4_kip();
  check(kip->magic == L4_KIP_MAGIC && kip->api_version == L4_API_VERSION && kip->vectors[0] == L4_VEC_IPC,
        "kip-mapped-with-magic-version-and-vectors");
  check(kip->sigma0 == tid(16) && kip->root == me && kip->nmem == 2 && kip->mem[1].type == L4_MEM_CONVENTIONAL,
        "kip-names-sigma0-root-and-memory");
  check((l4_word_t)l4_utcb_mr() == L4_UTCB_BASE + L4_THREADNO(me) * 4096 + 64 && l4_utcb()->my_global_id == me,
        "utcb-through-gs");
  spawn(PAGER, me, pager, TOP(0), L4_NILTHREAD, L4_NILTHREAD);
  l4_threadid_t remote = spawn(REMOTE, tid(REMOTE), echo_server, TOP(1), tid(PAGER), L4_NILTHREAD);
  l4_threadid_t local = spawn(LOCAL, me, echo_server, TOP(2), L4_NILTHREAD, L4_NILTHREAD);

  check(echo_ok(remote, 0x100, 2, 1), "call-replywait-registers-other-space");
  check(echo_ok(remote, 0x100, 0, 2), "call-replywait-empty-message");
  check(echo_ok(remote, 0x100, 63, 3), "call-replywait-63-words-other-space");
  check(echo_ok(local, 0x100, 2, 4), "call-replywait-registers-same-space");
  check(echo_ok(local, 0x100, 40, 5), "call-replywait-40-words-same-space");

  /* the same calls through the fast path and through the general path give the same results */
  static l4_word_t fast[24 * 5], slow[24 * 5];
  uint32_t hits0 = kd_fastpath(1);
  l4_word_t nf = transcript(remote, fast);
  uint32_t hits1 = kd_fastpath(0);
  l4_word_t ns = transcript(remote, slow);
  uint32_t hits2 = kd_fastpath(1);
  check(hits1 - hits0 >= 18 && hits2 == hits1, "fastpath-taken-only-when-enabled (%u fast-path IPCs)", hits1 - hits0);
  check(nf == ns && memcmp(fast, slow, nf * 4) == 0, "fastpath-and-slowpath-identical (%u words)", nf);

  /* blocking send: the sender waits in our queue until we receive */
  spawn(22, me, sender_a, TOP(3), L4_NILTHREAD, L4_NILTHREAD);
  for (int i = 0; i < 3; i++)
    l4_yield();
  l4_threadid_t from;
  l4_msgtag_t r = l4_receive(L4_ANYTHREAD, &from);
  check(!l4_ipc_failed(r) && l4_label(r) == 0x200 && L4_MR(1) == 0xA && from == tid(22), "blocked-send-delivered");

  /* blocking receive: we wait first, the sender comes later */
  spawn(23, me, late_sender, TOP(4), L4_NILTHREAD, L4_NILTHREAD);
  r = l4_receive(tid(23), &from);
  check(!l4_ipc_failed(r) && l4_label(r) == 0x202 && L4_MR(1) == 0x1A7E, "blocked-receive-delivered");

  /* closed receive takes the named sender even when another one queued first */
  spawn(24, me, sender_a, TOP(5), L4_NILTHREAD, L4_NILTHREAD);
  spawn(25, me, sender_b, TOP(6), L4_NILTHREAD, L4_NILTHREAD);
  for (int i = 0; i < 4; i++)
    l4_yield();
  r = l4_receive(tid(25), &from);
  check(!l4_ipc_failed(r) && from == tid(25) && L4_MR(1) == 0xB, "closed-receive-picks-named-sender");
  r = l4_receive(L4_ANYTHREAD, &from);
  check(!l4_ipc_failed(r) && from == tid(24) && L4_MR(1) == 0xA, "open-receive-takes-queued-sender");

  /* timeouts: zero fails at once; a relative one expires; never waits (every call above) */
  spawn(26, me, sleeper, TOP(7), L4_NILTHREAD, L4_NILTHREAD);
  l4_yield();
  r = l4_send_timeout(tid(26), l4_mktag(1, 0, 0), L4_TIMEOUT_ZERO);
  check(l4_ipc_failed(r) && l4_ipc_error() == (L4_ERR_TIMEOUT << 1), "send-timeout-zero-to-busy-thread (error %x)",
        l4_ipc_error());
  r = l4_receive_timeout(L4_ANYTHREAD, L4_TIMEOUT_ZERO, &from);
  check(l4_ipc_failed(r) && l4_ipc_error() == (L4_ERR_TIMEOUT << 1 | 1), "receive-timeout-zero-nothing-queued (error %x)",
        l4_ipc_error());
  uint64_t t0 = l4_clock();
  r = l4_receive_timeout(tid(26), (5 << 10) | 1000, &from);   /* 1000 * 2^5 us = 32 ms */
  uint64_t t1 = l4_clock();
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_TIMEOUT && t1 - t0 >= 30000,
        "relative-receive-timeout-expires (waited %u us)", (uint32_t)(t1 - t0));

  /* partners that do not exist */
  r = l4_call(tid(100), l4_mktag(1, 0, 0));
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER, "call-to-invalid-thread-fails");
  r = l4_call(0x12345678, l4_mktag(1, 0, 0));
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER, "call-to-garbage-id-fails");
  l4_thread_control(tid(27), me, L4_NILTHREAD, L4_NILTHREAD);
  l4_thread_control(tid(27), L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);
  r = l4_send(tid(27), l4_mktag(1, 0, 0));
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER, "send-to-deleted-thread-fails");
  r = l4_call(L4_GLOBALID(REMOTE, 2), l4_mktag(1, 0, 0));
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER, "call-with-stale-version-fails");

  /* a thread deleted while we wait for its reply: the wait ends with an error */
  spawn(28, me, sleeper, TOP(8), L4_NILTHREAD, L4_NILTHREAD);
  l4_yield();
  l4_thread_control(tid(28), L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);
  r = l4_receive(tid(28), &from);
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER, "receive-from-deleted-thread-fails");

  /* privileged calls are refused to an ordinary space */
  r = l4_call(remote, l4_mktag(0x300, 0, 0));
  check(!l4_ipc_failed(r) && L4_MR(1) == 0 && L4_MR(2) == L4_ERR_NO_PRIVILEGE, "threadcontrol-refused-unprivileged");

  /* a thread that never blocks is preempted by the timer (round robin at equal priority) */
  l4_threadid_t sp = spawn(29, me, spinner, TOP(9), L4_NILTHREAD, L4_NILTHREAD);
  uint64_t c0 = l4_clock();
  while (spins == 0 || l4_clock() - c0 < 50000)
    ;                                     /* we spin too: only time slices let either run */
  check(spins > 0, "time-slices-preempt-a-spinning-thread");

  /* ExchangeRegisters: stop it, read IP and SP, move it elsewhere, start it */
  l4_word_t old_sp = 0, old_ip = 0;
  check(l4_exchange_registers(sp, L4_EXREGS_HALT, 0, 0, 0, 0, &old_sp, &old_ip) == sp, "exregs-halt");
  l4_word_t frozen = spins;
  for (int i = 0; i < 5; i++)
    l4_yield();
  uint64_t c1 = l4_clock();
  while (l4_clock() - c1 < 30000)
    ;
  check(spins == frozen, "halted-thread-does-not-run");
  check(old_ip >= (l4_word_t)spinner && old_ip < (l4_word_t)spinner + 64 && old_sp > (l4_word_t)stacks[9] &&
            old_sp <= (l4_word_t)TOP(9),
        "exregs-reads-ip-and-sp (ip %x sp %x)", old_ip, old_sp);
  check(l4_exchange_registers(sp, L4_EXREGS_SET_IP | L4_EXREGS_SET_SP | L4_EXREGS_RESUME, (l4_word_t)TOP(10),
                              (l4_word_t)moved_here, 0, 0, NULL, NULL) == sp, "exregs-writes-ip-and-sp");
  for (int i = 0; i < 5 && !moved; i++)
    l4_yield();
  check(moved == 1 && spins == frozen, "thread-resumes-at-the-new-ip");

  /* priorities: a lower-priority thread runs only while we block */
  l4_thread_control(tid(31), me, L4_NILTHREAD, L4_NILTHREAD);
  l4_set_priority(tid(31), 50);
  l4_start(tid(31), low_spinner, TOP(11));
  uint64_t c2 = l4_clock();
  while (l4_clock() - c2 < 30000)
    ;
  l4_word_t while_busy = low_spins;
  l4_receive_timeout(tid(26), (5 << 10) | 1000, NULL);   /* block 32 ms */
  check(while_busy == 0 && low_spins > 0, "lower-priority-runs-only-while-higher-blocks");
  l4_thread_control(tid(31), L4_NILTHREAD, L4_NILTHREAD, L4_NILTHREAD);

  /* the server still works after all of that */
  check(echo_ok(remote, 0x100, 3, 9), "server-still-answers");
  printf("ipctest: %s\n", check_failures ? "FAILED" : "all passed");
  poweroff(check_failures ? 1 : 0);
}
