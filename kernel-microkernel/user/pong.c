/* pong.c: the demo's server, an ordinary boot task: answer every message with its label + 1 and
 * each word + 1. Prints the first few messages it gets. */
#include "ulib.h"

int main(void) {
  printf("pong: ready, thread %x\n", l4_myself());
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (int n = 0;; n++) {
    l4_word_t u = l4_untyped(tag);
    if (n < 3)
      printf("pong: message %d from %x: label %x, %u words, MR1 %x\n", n, client, l4_label(tag), u, L4_MR(1));
    for (l4_word_t i = 1; i <= u; i++)
      L4_MR(i) += 1;
    tag = l4_reply_wait(client, l4_mktag(l4_label(tag) + 1, u, 0), &client);
  }
}
