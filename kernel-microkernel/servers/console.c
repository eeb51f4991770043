/* console.c: the console driver in user space (idl/console.idl): the 16550 at COM1 with the
 * root task's ports and IRQ 4 (received-data interrupt) as IPC, and the line discipline the shell
 * needs: echo, backspace, Ctrl-U kills the line, Ctrl-C drops it (and is reported as "\x03"),
 * Ctrl-D on an empty line is the end of input (a read of 0 bytes). One read waits at a time: the
 * driver answers it later (IDL_NOREPLY), when a line is complete. The same loop answers the
 * restart server's heartbeat (idl/driver.idl). */
#include "srv.h"
#include "idl/console_server.h"
#include "idl/driver_server.h"
#include "libkern/portio.h"
#include "libkern/uart16550.h"

#define COM1 UART_COM1
#define MIN(a, b) ((a) < (b) ? (a) : (b))
static const l4_threadid_t irq = L4_IRQTHREAD(4);

static char line[256];                /* the line being edited */
static int len;
static char ready[512];               /* completed lines not yet read */
static int nready;
static bool eof;                      /* Ctrl-D on an empty line, not yet read */
static l4_threadid_t reader;          /* a read waiting for input, or nil */
static l4_word_t reader_max;

static void put(char c) {
  uart16550_putc(COM1, c);
}

static void puts_(const char *s, int n) {
  for (int i = 0; i < n; i++) {
    if (s[i] == '\n')
      put('\r');
    put(s[i]);
  }
}

int console_write_impl(l4_threadid_t caller, const char *text, l4_word_t n, int *written) {
  puts_(text, n);
  *written = n;
  return 0;
}

/* Hands ready input (or the end of input) to the waiting reader, if any. */
static void serve_reader(void) {
  if (!reader || (nready == 0 && !eof))
    return;
  l4_word_t n = MIN(reader_max, (l4_word_t)nready);
  n = MIN(n, CONSOLE_READ_DATA_MAX);
  bool was_eof = nready == 0;
  if (was_eof)
    eof = false;
  l4_msgtag_t tag = console_read_reply(0, ready, n);
  l4_msgtag_t r = l4_send_timeout(reader, tag, L4_TIMEOUT_ZERO);
  reader = L4_NILTHREAD;
  if (l4_ipc_failed(r)) {             /* the reader went away: the input stays for the next one */
    eof = eof || was_eof;
    return;
  }
  memmove(ready, ready + n, nready - n);
  nready -= n;
}

int console_read_impl(l4_threadid_t caller, l4_word_t max, char *data, l4_word_t *n) {
  reader = caller;
  reader_max = max ? max : 1;
  return IDL_NOREPLY;                 /* answered by serve_reader, now or later */
}

int console_map_buffer_impl(l4_threadid_t caller, idl_fpage_t where, l4_word_t *size) {
  return IDL_ENOSYS;
}

/* The heartbeat, answered between requests and interrupts. */
int driver_ping_impl(l4_threadid_t caller, l4_word_t seq, l4_word_t *echo) {
  *echo = seq;
  return 0;
}

static void complete(const char *s, int n) {
  if (nready + n <= (int)sizeof(ready)) {
    memcpy(ready + nready, s, n);
    nready += n;
  }
}

/* One received character through the line discipline. */
static void input(char c) {
  if (c == '\r')
    c = '\n';
  if (c == 0x7F || c == '\b') {       /* backspace: erase one character on the screen */
    if (len > 0) {
      len--;
      puts_("\b \b", 3);
    }
  } else if (c == 0x15) {             /* Ctrl-U */
    for (; len > 0; len--)
      puts_("\b \b", 3);
  } else if (c == 0x03) {             /* Ctrl-C: drop the line */
    puts_("^C\n", 3);
    len = 0;
    complete("\x03", 1);
  } else if (c == 0x04) {             /* Ctrl-D: end of input on an empty line, else sends the line */
    if (len == 0)
      eof = true;
    complete(line, len);
    len = 0;
  } else if (c == '\n') {
    put('\r');
    put('\n');
    line[len++] = '\n';
    complete(line, len);
    len = 0;
  } else if (len < (int)sizeof(line) - 1) {
    line[len++] = c;
    put(c);
  }
}

int main(void) {
  set_name("console");
  if (!root_resources()) {
    printf("console: no ports from the root task\n");
    exit(1);
  }
  outb(COM1 + UART_IER, 0x01);        /* interrupt on received data */
  outb(COM1 + UART_MCR, 0x0B);        /* DTR, RTS, OUT2 (the 16550's interrupt line to the PIC) */
  /* input typed ahead stays in the FIFO: the first interrupt (or the first read) takes it */
  register_name("console");
  printf("console: COM1 in user space, irq 4 as IPC\n");
  while (inb(COM1 + UART_LSR) & UART_LSR_DR)
    input((char)inb(COM1 + UART_RBR));
  l4_threadid_t from;
  l4_msgtag_t tag = l4_receive(L4_ANYTHREAD, &from);
  for (;;) {
    l4_msgtag_t reply;
    if (l4_ipc_failed(tag)) {
      tag = l4_receive(L4_ANYTHREAD, &from);
      continue;
    }
    if (from == irq) {
      while (inb(COM1 + UART_LSR) & UART_LSR_DR)
        input((char)inb(COM1 + UART_RBR));
      serve_reader();
      reply = l4_mktag(0, 0, 0);      /* the reply to the interrupt thread acknowledges it */
    } else {
      reply = driver_owns(tag) ? driver_dispatch(from, tag) : console_dispatch(from, tag);
      if (!idl_is_noreply(reply)) {
        tag = l4_reply_wait(from, reply, &from);
        continue;
      }
      serve_reader();
      tag = l4_receive(L4_ANYTHREAD, &from);
      continue;
    }
    tag = l4_reply_wait(from, reply, &from);
  }
}
