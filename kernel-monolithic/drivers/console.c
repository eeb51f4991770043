/* console.c: the console device: output to COM1 and the VGA screen, line-edited input from COM1. */
#include "defs.h"
#include "proc.h"
#include "x86.h"
#include "uapi/signal.h"

#define INPUT_BUF 1024     /* type-ahead beyond this is dropped, as on a real tty */
#define DEBUGCON 0xE9      /* Bochs/QEMU/jx86 debug console port */

static bool debugcon;      /* "debugcon" on the command line: mirror output to port 0xE9 */
#define C(x) ((x) - '@')   /* control-x */

/* Input ring: [r, w) is ready for readers (complete lines), [w, e) is the line being edited. */
static struct {
  char buf[INPUT_BUF];
  uint32_t r, w, e;
} input;

void consoleinit(void) {
  vgainit();
  uartinit();
}

/* Called once the command line is known (bootinfo_init). */
void console_debugcon(bool on) {
  debugcon = on;
}

void consputc(int c) {
  if (c == '\b') {
    /* rub out on a serial terminal: back, blank, back */
    uartputc('\b');
    uartputc(' ');
    uartputc('\b');
  } else {
    if (c == '\n')
      uartputc('\r');
    uartputc(c);
  }
  vgaputc(c);
  if (debugcon)
    outb(DEBUGCON, c);
}

/* Called from the UART interrupt with a function that returns the next received byte or -1. */
void consoleintr(int (*getc)(void)) {
  int c;
  while ((c = getc()) >= 0) {
    switch (c) {
    case C('P'):
      procdump();
      break;
    case C('C'):
      /* no sessions or process groups yet: interrupt everything but init (sh ignores SIGINT) */
      consputc('^');
      consputc('C');
      consputc('\n');
      input.e = input.w;                 /* and drop the line being typed */
      signal_all(SIGINT);
      break;
    case C('U'):                         /* kill the line */
      while (input.e != input.w && input.buf[(input.e - 1) % INPUT_BUF] != '\n') {
        input.e--;
        consputc('\b');
      }
      break;
    case C('H'):
    case '\x7f':
      if (input.e != input.w) {
        input.e--;
        consputc('\b');
      }
      break;
    default:
      if (c == 0 || input.e - input.r >= INPUT_BUF)
        break;
      c = (c == '\r') ? '\n' : c;
      input.buf[input.e++ % INPUT_BUF] = c;
      if (c != C('D'))
        consputc(c);
      if (c == '\n' || c == C('D') || input.e == input.r + INPUT_BUF) {
        input.w = input.e;
        wakeup(&input.r);
      }
    }
  }
}

/* Reads up to n bytes, at most one line; sleeps until a line is complete. Control-D at the
 * start of a line reads as end of file (0). */
int consoleread(uaddr_t dst, int n) {
  int target = n;
  while (n > 0) {
    while (input.r == input.w) {
      if (signal_pending(curproc))
        return -EINTR;
      sleep(&input.r);
    }
    char c = input.buf[input.r++ % INPUT_BUF];
    if (c == C('D')) {
      if (n < target)
        input.r--;                       /* keep it: the next read returns 0 */
      break;
    }
    if (copyout(curproc->pgdir, dst++, &c, 1) < 0)
      return -EFAULT;
    n--;
    if (c == '\n')
      break;
  }
  return target - n;
}

/* Bytes of complete lines waiting to be read (FIONREAD). */
int console_pending(void) {
  return input.w - input.r;
}

int consolewrite(uaddr_t src, int n) {
  char buf[128];
  for (int done = 0; done < n;) {
    int chunk = MIN(n - done, (int)sizeof(buf));
    if (copyin(curproc->pgdir, buf, src + done, chunk) < 0)
      return done > 0 ? done : -EFAULT;
    for (int i = 0; i < chunk; i++)
      consputc(buf[i]);
    done += chunk;
  }
  return n;
}
