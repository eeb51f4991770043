/* faulttest.c: page faults and exceptions become IPC, as a root task.
 *   - a user-level pager (thread 19) gives a child space demand-zero pages at 0x40000000 and lends
 *     this task's own pages (code, data) everywhere else;
 *   - an exception handler (22) receives #UD, int $0x80, #GP, #DE and a #PF without pager, resumes
 *     some (with changed registers) and has the others killed;
 *   - a thread without any handler dies on ud2 and the kernel reports it by name. */
#include "ulib.h"

static uint8_t stacks[8][4096] __attribute__((aligned(4096)));
enum { PAGER = 19, CHILD = 20, EXC_CHILD = 21, HANDLER = 22, ORPHAN = 23, NOPAGER = 24 };
#define HEAP 0x40000000u
#define SCRATCH 0x50000000u               /* where the pager receives pages from sigma0 */

/* everything below is shared memory: the children run on this task's pages */
static volatile l4_word_t faults, fault_label[4], fault_addr[4], fault_ip[4];
static volatile l4_word_t child_read0, child_readback, child_done;
static volatile l4_word_t exc_count, exc_num[8], exc_eax[8];
static volatile l4_word_t after_ud2, after_int80, after_gp;

static void pager(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  l4_word_t scratch = SCRATCH;
  for (;;) {
    l4_msgtag_t reply = l4_mktag(0, 0, 0);
    l4_word_t addr = L4_MR(1), page = addr & ~0xFFFu;
    if ((l4_label(tag) & 0xFFF0) == L4_LABEL_PAGEFAULT && page >= HEAP && page < HEAP + 0x100000) {
      if (faults < 4) {
        fault_label[faults] = l4_label(tag);
        fault_addr[faults] = addr;
        fault_ip[faults] = L4_MR(2);
      }
      faults++;
      if (sigma0_page(~0u, scratch)) {
        l4_put_map_item(1, addr, l4_fpage(scratch, 12, L4_RWX), 0);
        reply = l4_mktag(0, 0, 2);
        scratch += 0x1000;
      }
    } else if ((l4_label(tag) & 0xFFF0) == L4_LABEL_PAGEFAULT) {
      (void)*(volatile uint8_t *)page;
      l4_put_map_item(1, page, l4_fpage(page, 12, L4_RWX), 0);
      reply = l4_mktag(0, 0, 2);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}

static void child(void) {
  volatile l4_word_t *heap = (volatile l4_word_t *)HEAP;
  child_read0 = heap[4];                  /* read fault, page 0 */
  heap[1024 + 5] = 77;                    /* write fault, page 1 */
  heap[2048] = 0x12345678;                /* write fault, page 2 */
  child_readback = heap[1024 + 5] == 77 && heap[2048] == 0x12345678 && heap[0] == 0;
  child_done = 1;
  exit(0);
}

/* Resume #UD past the 2-byte ud2, answer int $0x80 with EAX = 1234, step over a 1-byte cli;
 * have #DE and a page fault without pager killed. */
static void handler(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(L4_EXC_REPLY_KILL, 0, 0);
    if (l4_label(tag) == L4_LABEL_EXCEPTION && l4_untyped(tag) == L4_EXC_WORDS) {
      l4_word_t n = L4_MR(L4_EXC_NUMBER);
      if (exc_count < 8) {
        exc_num[exc_count] = n;
        exc_eax[exc_count] = L4_MR(L4_EXC_EAX);
      }
      exc_count++;
      reply = l4_mktag(L4_EXC_REPLY_RESUME, L4_EXC_WORDS, 0);
      if (n == 6)
        L4_MR(L4_EXC_EIP) += 2;
      else if (n == 0x80)
        L4_MR(L4_EXC_EAX) = 1234;
      else if (n == 13)
        L4_MR(L4_EXC_EIP) += 1;
      else
        reply = l4_mktag(L4_EXC_REPLY_KILL, 0, 0);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}

static void exc_child(void) {
  set_name("exc-child");
  __asm__ volatile("ud2");
  after_ud2 = 1;
  l4_word_t r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(20) : "memory");
  after_int80 = r;
  __asm__ volatile("cli");
  after_gp = 1;
  l4_word_t q, zero = 0;
  __asm__ volatile("divl %2" : "=a"(q) : "a"(7), "r"(zero), "d"(0));   /* #DE: the handler has us killed */
  after_gp = 2 + q;
  after_gp = 99;
  exit(0);
}

static void orphan(void) {
  set_name("orphan");
  __asm__ volatile("ud2");
  exit(0);
}

static void nopager(void) {
  set_name("nopager");
  (void)*(volatile l4_word_t *)0x60000000;
  exit(0);
}

static bool gone(l4_threadid_t t) {
  l4_msgtag_t r = l4_send_timeout(t, l4_mktag(1, 0, 0), L4_TIMEOUT_ZERO);
  return l4_ipc_failed(r) && ((l4_ipc_error() >> 1) & 7) == L4_ERR_NOPARTNER;
}

/* let every other ready thread run to its next block, several times over */
static void settle(void) {
  for (int i = 0; i < 100; i++)
    l4_yield();
}

int main(void) {
  check_prefix = "faulttest";
  l4_threadid_t me = l4_myself();
  spawn(PAGER, me, pager, stacks[0] + 4096, L4_NILTHREAD, L4_NILTHREAD);
  spawn(HANDLER, me, handler, stacks[1] + 4096, L4_NILTHREAD, L4_NILTHREAD);

  /* demand-zero paging by a user-level pager */
  l4_threadid_t c = spawn(CHILD, tid(CHILD), child, stacks[2] + 4096, tid(PAGER), L4_NILTHREAD);
  settle();
  check(child_done == 1, "child-ran-on-pager-supplied-pages");
  check(faults == 3, "three-heap-faults-reached-the-pager (%u)", faults);
  check(fault_label[0] == (L4_LABEL_PAGEFAULT | L4_R) && fault_addr[0] == HEAP + 16, "read-fault-label-and-address");
  check(fault_label[1] == (L4_LABEL_PAGEFAULT | L4_W) && fault_addr[1] == HEAP + 0x1000 + 20, "write-fault-label-and-address");
  check(fault_ip[0] >= 0x80000000u && fault_ip[0] < 0x80100000u, "fault-message-carries-the-ip (%x)", fault_ip[0]);
  check(child_read0 == 0 && child_readback == 1, "demand-zero-pages-read-zero-and-keep-writes");
  check(kd_probe(c, HEAP) == 0 && gone(c), "child-exited-and-its-space-is-gone");

  /* exceptions as IPC */
  l4_threadid_t e = spawn(EXC_CHILD, tid(EXC_CHILD), exc_child, stacks[3] + 4096, tid(PAGER), tid(HANDLER));
  settle();
  check(exc_count >= 1 && exc_num[0] == 6 && after_ud2 == 1, "ud2-reaches-handler-and-resumes");
  check(exc_count >= 2 && exc_num[1] == 0x80 && exc_eax[1] == 20 && after_int80 == 1234,
        "int80-reaches-handler-which-sets-eax");
  check(exc_count >= 3 && exc_num[2] == 13 && after_gp == 1, "gp-reaches-handler-and-resumes");
  check(exc_count >= 4 && exc_num[3] == 0 && after_gp == 1, "de-reaches-handler");
  check(gone(e), "handler-kills-the-thread");

  /* a page fault without a pager goes to the exception handler */
  exc_count = 0;
  l4_threadid_t np = spawn(NOPAGER, me, nopager, stacks[4] + 4096, L4_NILTHREAD, tid(HANDLER));
  settle();
  check(exc_count == 1 && exc_num[0] == 14 && gone(np), "pagefault-without-pager-becomes-exception-ipc");

  /* no handler at all: the kernel kills the thread and says so */
  l4_threadid_t o = spawn(ORPHAN, tid(ORPHAN), orphan, stacks[5] + 4096, tid(PAGER), L4_NILTHREAD);
  settle();
  check(gone(o), "unhandled-exception-kills-the-thread");

  printf("faulttest: %s\n", check_failures ? "FAILED" : "all passed");
  poweroff(check_failures ? 1 : 0);
}
