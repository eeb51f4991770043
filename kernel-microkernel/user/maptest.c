/* maptest.c: map, grant and unmap through the mapping database, as a root task (A). B (thread
 * 20) and C (21) live in their own spaces and run mapper(): B accepts mappings anywhere in the 16
 * MiB at 0x20000000, C only into the single page at 0x30000000. Frames are checked with the
 * kernel's probe (KDebug), data by reading it in the receiving space. */
#include "ulib.h"

static uint8_t stacks[4][4096] __attribute__((aligned(4096)));
enum { PAGER = 19, B = 20, C = 21 };
#define WIN_B 0x20000000u
#define WIN_C 0x30000000u

/* label 0x500: reply with the word at MR1 (after any map items of the message have landed);
 * label 0x501: map my page MR1 to thread MR2 with rights MR3, ask it to read it, pass the answer on. */
static void mapper(void) {
  if (L4_THREADNO(l4_myself()) == B)
    l4_accept(l4_fpage(WIN_B, 24, L4_RWX));
  else
    l4_accept(l4_fpage(WIN_C, 12, L4_RWX));
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(0, 0, 0);
    if (l4_label(tag) == 0x500) {
      L4_MR(1) = *(volatile l4_word_t *)L4_MR(1);
      reply = l4_mktag(0, 1, 0);
    } else if (l4_label(tag) == 0x501) {
      l4_word_t addr = L4_MR(1), to = L4_MR(2), rights = L4_MR(3);
      L4_MR(1) = WIN_C;
      l4_put_map_item(2, addr, l4_fpage(addr, 12, rights), 0);
      l4_msgtag_t r = l4_call(to, l4_mktag(0x500, 1, 2));
      L4_MR(2) = l4_ipc_failed(r);
      reply = l4_mktag(0, 2, 0);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}

static void pager(void) { share_pager(); }

/* accepts map items anywhere in its (our) space: their hot spots pick the address */
static void sink(void) {
  l4_accept(l4_complete_space());
  l4_threadid_t client;
  l4_receive(L4_ANYTHREAD, &client);
  for (;;)
    l4_reply_wait(client, l4_mktag(0, 0, 0), &client);
}

static l4_word_t frame(l4_threadid_t t, l4_word_t va) { return kd_probe(t, va) & ~0xFFFu; }
static l4_word_t rights(l4_threadid_t t, l4_word_t va) { return kd_probe(t, va) & 7; }

/* send a map (or grant) of [base, 2^log2) with hot spot `hot` to t, who reads MR1 afterwards */
static l4_word_t send_map(l4_threadid_t t, l4_word_t read_at, l4_word_t hot, l4_word_t base, int log2,
                          l4_word_t r, int grant) {
  L4_MR(1) = read_at;
  l4_put_map_item(2, hot, l4_fpage(base, log2, r), grant);
  l4_msgtag_t res = l4_call(t, l4_mktag(0x500, 1, 2));
  return l4_ipc_failed(res) ? 0xDEAD : L4_MR(1);
}

int main(void) {
  check_prefix = "maptest";
  l4_threadid_t me = l4_myself();
  spawn(PAGER, me, pager, stacks[0] + 4096, L4_NILTHREAD, L4_NILTHREAD);
  l4_threadid_t b = spawn(B, tid(B), mapper, stacks[1] + 4096, tid(PAGER), L4_NILTHREAD);
  l4_threadid_t c = spawn(C, tid(C), mapper, stacks[2] + 4096, tid(PAGER), L4_NILTHREAD);

  /* A -> B -> C */
  const l4_word_t P = 0x10000000;
  check(sigma0_page(~0u, P), "sigma0-hands-out-a-page");
  *(volatile l4_word_t *)P = 0xCAFE;
  check(send_map(b, WIN_B, P, P, 12, L4_RWX, 0) == 0xCAFE, "map-A-to-B-B-reads-data");
  check(frame(b, WIN_B) == frame(me, P) && rights(b, WIN_B) == L4_RWX, "B-maps-the-same-frame");
  L4_MR(1) = WIN_B;
  L4_MR(2) = c;
  L4_MR(3) = L4_R;
  l4_msgtag_t r = l4_call(b, l4_mktag(0x501, 3, 0));
  check(!l4_ipc_failed(r) && L4_MR(1) == 0xCAFE && L4_MR(2) == 0, "map-B-to-C-read-only-C-reads-data");
  check(frame(c, WIN_C) == frame(me, P) && rights(c, WIN_C) == L4_R, "C-has-the-frame-read-only");
  kd_mdb_dump(me, P);

  /* rights never grow: a read-only page mapped on with rwx stays read-only */
  const l4_word_t Q = 0x10001000;
  sigma0_page(~0u, Q);
  *(volatile l4_word_t *)Q = 0x5151;
  check(send_map(b, WIN_B + 0x1000, Q, Q, 12, L4_R, 0) == 0x5151 && rights(b, WIN_B + 0x1000) == L4_R,
        "map-with-read-only-right");
  L4_MR(1) = WIN_B + 0x1000;
  L4_MR(2) = c;
  L4_MR(3) = L4_RWX;
  r = l4_call(b, l4_mktag(0x501, 3, 0));
  check(!l4_ipc_failed(r) && L4_MR(1) == 0x5151 && rights(c, WIN_C) == L4_R && frame(c, WIN_C) == frame(me, Q),
        "rights-never-grow-along-a-chain");

  /* unmap P in A (no flush): B loses it, and with B so does C's copy of B's; A keeps it */
  L4_MR(0) = l4_fpage(P, 12, L4_RWX).raw;
  l4_unmap(0);
  check(kd_probe(b, WIN_B) == 0, "unmap-revokes-from-B");
  check(frame(me, P) != 0 && *(volatile l4_word_t *)P == 0xCAFE, "unmap-without-flush-keeps-own-mapping");
  /* C's page at WIN_C is Q now (the second map replaced P there); map P again B->C and revoke */
  send_map(b, WIN_B, P, P, 12, L4_RWX, 0);
  L4_MR(1) = WIN_B;
  L4_MR(2) = c;
  L4_MR(3) = L4_RWX;
  l4_call(b, l4_mktag(0x501, 3, 0));
  check(frame(c, WIN_C) == frame(me, P), "chain-A-B-C-rebuilt");
  L4_MR(0) = l4_fpage(P, 12, L4_RWX).raw;
  l4_unmap(0);
  check(kd_probe(b, WIN_B) == 0 && kd_probe(c, WIN_C) == 0, "unmap-in-A-revokes-from-B-and-C");
  send_map(b, WIN_B, P, P, 12, L4_RWX, 0);
  L4_MR(0) = l4_fpage(P, 12, L4_W).raw;
  l4_unmap(0);
  check(rights(b, WIN_B) == (L4_R | L4_X) && rights(me, P) == L4_RWX, "unmap-of-write-right-leaves-read-only");
  L4_MR(0) = l4_fpage(P, 12, L4_RWX).raw;
  l4_unmap(L4_UNMAP_FLUSH);
  check(kd_probe(me, P) == 0 && kd_probe(b, WIN_B) == 0, "flush-removes-own-mapping-too");

  /* grant moves the mapping */
  const l4_word_t G = 0x10002000;
  sigma0_page(~0u, G);
  *(volatile l4_word_t *)G = 0xBEEF;
  l4_word_t gframe = frame(me, G);
  check(send_map(b, WIN_B + 0x2000, G, G, 12, L4_RWX, 1) == 0xBEEF, "grant-B-reads-data");
  check(kd_probe(me, G) == 0 && frame(b, WIN_B + 0x2000) == gframe, "grant-removes-sender-mapping");

  /* receive windows: a 16 KiB fpage lands whole in B's 16 MiB window, but only the page around
   * the hot spot fits into C's one-page window */
  const l4_word_t F = 0x10010000;
  for (int i = 0; i < 4; i++) {
    sigma0_page(~0u, F + i * 0x1000);
    *(volatile l4_word_t *)(F + i * 0x1000) = 0xF00 + i;
  }
  check(send_map(b, WIN_B + 0x10000 + 0x3000, F + 0x3000, F, 14, L4_RWX, 0) == 0xF03, "fpage-of-4-pages-to-B");
  bool whole = true;
  for (int i = 0; i < 4; i++)
    whole &= frame(b, WIN_B + 0x10000 + i * 0x1000) == frame(me, F + i * 0x1000);
  check(whole && kd_probe(b, WIN_B + 0x14000) == 0, "window-receives-the-whole-fpage-at-its-offset");
  check(send_map(c, WIN_C, F + 0x2000, F, 14, L4_RWX, 0) == 0xF02, "fpage-of-4-pages-to-C");
  check(frame(c, WIN_C) == frame(me, F + 0x2000) && kd_probe(c, WIN_C + 0x1000) == 0 && kd_probe(c, WIN_C - 0x1000) == 0,
        "one-page-window-confines-the-mapping");

  /* a map item to a thread that accepts none fails instead of mapping */
  L4_MR(1) = P;
  l4_put_map_item(2, F, l4_fpage(F, 12, L4_RWX), 0);
  r = l4_call(tid(PAGER), l4_mktag(0x77, 1, 2));
  check(l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_OVERFLOW, "map-item-without-receive-window-refused");

  /* sigma0 gives a page only once */
  l4_word_t phys = frame(me, F);
  check(!sigma0_page(phys, 0x10020000), "sigma0-refuses-a-page-it-gave-away");

  /* a chain inside one space, page to page: the database stops it at a bounded depth (the kernel
   * revokes recursively on a small stack), and one unmap at its root clears the whole chain */
  const l4_word_t H = 0x11000000;
  sigma0_page(~0u, H);
  spawn(22, me, sink, stacks[3] + 4096, L4_NILTHREAD, L4_NILTHREAD);
  int len = 0;
  for (int i = 1; i < 64; i++) {
    l4_put_map_item(1, H + i * 0x1000, l4_fpage(H + (i - 1) * 0x1000, 12, L4_RWX), 0);
    l4_call(tid(22), l4_mktag(0, 0, 2));
    if (kd_probe(me, H + i * 0x1000))
      len = i;
  }
  check(len > 4 && len < 63 && frame(me, H + len * 0x1000) == frame(me, H), "chain-depth-is-bounded (%d links)", len);
  L4_MR(0) = l4_fpage(H, 12, L4_RWX).raw;
  l4_unmap(0);
  check(kd_probe(me, H + 0x1000) == 0 && kd_probe(me, H + len * 0x1000) == 0 && kd_probe(me, H) != 0,
        "unmap-clears-a-long-chain");

  printf("maptest: %s\n", check_failures ? "FAILED" : "all passed");
  poweroff(check_failures ? 1 : 0);
}
