/* sigma0.c: the first task. It owns all conventional memory (the kernel maps it 1:1 into this
 * space on first touch) and hands it out, one page per request, never twice:
 *   - sigma0 protocol (label 0xFFA0): MR1 = the wanted fpage (base all ones = any page), answered
 *     with a map item for that page, or with no item when it is taken or not conventional memory;
 *   - page faults of the tasks it pages (the boot tasks): a zeroed page at the faulting address. */
#include "ulib.h"

static uint8_t used[(0x38000000u >> 12) / 8];   /* one bit per page up to the direct-map limit */
static l4_word_t lo, hi, next;

static bool take(l4_word_t page) {
  if (page < lo || page >= hi || (used[page >> 15] & (1u << ((page >> 12) & 7))))
    return false;
  used[page >> 15] |= 1u << ((page >> 12) & 7);
  return true;
}

static l4_word_t any_page(void) {
  for (; next < hi; next += 4096)
    if (take(next))
      return next;
  return 0;
}

/* Answer with a map item for `page` (sigma0's 1:1 address) whose hot spot is `hot`. */
static l4_msgtag_t map_reply(l4_word_t page, l4_word_t hot) {
  if (!page)
    return l4_mktag(0, 0, 0);
  memset((void *)page, 0, 4096);
  l4_put_map_item(1, hot, l4_fpage(page, 12, L4_RWX), 0);
  return l4_mktag(0, 0, 2);
}

int main(void) {
  struct l4_kip *kip = l4_kip();
  for (uint32_t i = 0; i < kip->nmem; i++)
    if (kip->mem[i].type == L4_MEM_CONVENTIONAL) {
      lo = kip->mem[i].low;
      hi = kip->mem[i].high;
    }
  next = lo;
  printf("sigma0: %u KiB of conventional memory at %08x-%08x\n", (hi - lo) >> 10, lo, hi);
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(0, 0, 0);
    l4_word_t label = l4_label(tag);
    if (label == L4_LABEL_SIGMA0) {
      l4_word_t want = L4_MR(1) & ~0x3FFu;
      l4_word_t page = (want == ~0x3FFu) ? any_page() : (take(want) ? want : 0);
      reply = map_reply(page, page);
    } else if ((label & 0xFFF0) == L4_LABEL_PAGEFAULT) {
      reply = map_reply(any_page(), L4_MR(1) & ~0xFFFu);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}
