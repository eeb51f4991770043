/* iotest.c: I/O ports and interrupts for user-level drivers, as a root task.
 *   - a child space touches the perf-counter ports (0x5A0-0x5AF) before and after the root
 *     grants them: first a #GP arrives at its exception handler as IPC, then the access works;
 *     a port outside the grant still faults;
 *   - a driver thread attaches to IRQ 4 (COM1), turns on the transmitter-empty interrupt, and
 *     receives each interrupt as a message from the interrupt thread, acknowledging it by a send. */
#include "ulib.h"
#include "libkern/portio.h"

static uint8_t stacks[6][4096] __attribute__((aligned(4096)));
enum { PAGER = 19, CHILD = 20, HANDLER = 22, DRIVER = 23 };

static volatile l4_word_t gp_count, gp_port_faults[4];
static volatile l4_word_t stage, value1, value2;
static volatile l4_word_t irqs, irq_label_ok, irq_from_ok, ack_ok;

static void pager(void) { share_pager(); }

/* #GP: record, then step over the 1-byte "inl (%dx), %eax" with EAX = ~0 */
static void handler(void) {
  l4_threadid_t client;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &client);
  for (;;) {
    l4_msgtag_t reply = l4_mktag(L4_EXC_REPLY_KILL, 0, 0);
    if (l4_label(tag) == L4_LABEL_EXCEPTION && L4_MR(L4_EXC_NUMBER) == 13) {
      if (gp_count < 4)
        gp_port_faults[gp_count] = L4_MR(L4_EXC_EDX);
      gp_count++;
      L4_MR(L4_EXC_EIP) += 1;
      L4_MR(L4_EXC_EAX) = ~0u;
      reply = l4_mktag(L4_EXC_REPLY_RESUME, L4_EXC_WORDS, 0);
    }
    tag = l4_reply_wait(client, reply, &client);
  }
}

static l4_word_t port_in(l4_word_t port) {
  l4_word_t v;
  __asm__ volatile("inl (%%dx), %%eax" : "=a"(v) : "d"(port));
  return v;
}

static void child(void) {
  value1 = port_in(0x5AC);                /* not granted yet: #GP */
  stage = 1;
  l4_receive(l4_kip()->root, NULL);       /* wait for the grant */
  value2 = port_in(0x5AC);                /* granted */
  (void)port_in(0x5B0);                   /* outside the grant: #GP */
  stage = 2;
  exit(0);
}

/* IRQ 4 handler: three interrupts, each acknowledged by sending to the interrupt thread
 * (which unmasks the line); reading IIR clears the UART's transmitter-empty condition. */
static void driver(void) {
  l4_threadid_t irq = L4_IRQTHREAD(4), from;
  outb(0x3F8 + 1, 0x02);                  /* IER: transmitter holding register empty */
  l4_msgtag_t tag = l4_receive(irq, &from);
  for (;;) {
    irqs++;
    irq_label_ok += l4_label(tag) == L4_LABEL_IRQ && l4_untyped(tag) == 0;
    irq_from_ok += from == irq;
    (void)inb(0x3F8 + 2);                 /* IIR */
    if (irqs == 3)
      break;
    outb(0x3F8, '.');                     /* the next THR-empty interrupt */
    tag = l4_ipc(irq, irq, 0, l4_mktag(0, 0, 0), &from);   /* acknowledge, wait for the next */
  }
  outb(0x3F8 + 1, 0x00);
  l4_msgtag_t r = l4_send(irq, l4_mktag(0, 0, 0));
  ack_ok = !l4_ipc_failed(r);
  exit(0);
}

/* let every other ready thread run to its next block, several times over */
static void settle(void) {
  for (int i = 0; i < 100; i++)
    l4_yield();
}

int main(void) {
  check_prefix = "iotest";
  l4_threadid_t me = l4_myself();
  spawn(PAGER, me, pager, stacks[0] + 4096, L4_NILTHREAD, L4_NILTHREAD);
  spawn(HANDLER, me, handler, stacks[1] + 4096, L4_NILTHREAD, L4_NILTHREAD);

  l4_threadid_t c = spawn(CHILD, tid(CHILD), child, stacks[2] + 4096, tid(PAGER), tid(HANDLER));
  settle();
  check(stage == 1 && gp_count == 1 && gp_port_faults[0] == 0x5AC && value1 == ~0u,
        "ungranted-port-raises-gp-exception-ipc");
  check(l4_io_control(c, 0x5A0, 16, 1), "root-grants-ports-0x5a0-0x5af");
  l4_send(c, l4_mktag(0, 0, 0));
  settle();
  check(stage == 2 && gp_count == 2, "granted-port-works-without-exception");
  check(gp_port_faults[1] == 0x5B0, "port-outside-the-grant-still-faults");
  printf("iotest: perf-counter id read by the child: %08x\n", value2);

  /* interrupts as messages */
  check(l4_io_control(me, 0x3F8, 8, 1), "root-grants-itself-com1");
  l4_thread_control(tid(DRIVER), me, L4_NILTHREAD, L4_NILTHREAD);
  check(l4_thread_control(L4_IRQTHREAD(4), L4_IRQTHREAD(4), tid(DRIVER), L4_NILTHREAD), "driver-attached-to-irq4");
  l4_start(tid(DRIVER), driver, stacks[3] + 4096);
  for (int i = 0; i < 200 && irqs < 3; i++)
    l4_yield();
  settle();
  printf("\n");
  check(irqs == 3 && irq_label_ok == 3 && irq_from_ok == 3, "irq-arrives-as-message-from-interrupt-thread (%u)", irqs);
  check(ack_ok == 1, "handler-acknowledges-by-sending");
  l4_msgtag_t r = l4_send_timeout(L4_IRQTHREAD(4), l4_mktag(0, 0, 0), L4_TIMEOUT_ZERO);
  check(l4_ipc_failed(r), "ack-from-a-non-handler-is-refused");

  printf("iotest: %s\n", check_failures ? "FAILED" : "all passed");
  poweroff(check_failures ? 1 : 0);
}
