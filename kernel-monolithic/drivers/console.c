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

/* termios bits the line discipline follows (drivers/tty.c keeps the settings) */
#define ISIG   0x0001
#define ICANON 0x0002
#define ECHO   0x0008
#define ICRNL  0x0100

static void echo(int c) {
  if (tty_lflag() & ECHO)
    consputc(c);
}

/* Raw (non-canonical) input: every byte is ready at once, no editing (VMIN 1, VTIME 0). */
static void raw_input(int c) {
  if (c == '\r' && (tty_iflag() & ICRNL))
    c = '\n';
  if (input.e - input.r >= INPUT_BUF)
    return;
  input.buf[input.e++ % INPUT_BUF] = c;
  input.w = input.e;
  echo(c);
  wakeup(&input.r);
}

/* Called from the UART interrupt with a function that returns the next received byte or -1. */
void consoleintr(int (*getc)(void)) {
  int c;
  while ((c = getc()) >= 0) {
    int sig = (tty_lflag() & ISIG) ? tty_isig_signal(c) : 0;
    if (sig) {
      /* to the foreground process group (drivers/tty.c), echoed as ^C, ^\ or ^Z */
      echo('^');
      echo(c + '@');
      echo('\n');
      input.e = input.w;                 /* and drop the line being typed */
      tty_signal(sig);
      continue;
    }
    if (c == C('P')) {
      procdump();
      continue;
    }
    if (!(tty_lflag() & ICANON)) {
      raw_input(c);
      continue;
    }
    switch (c) {
    case C('U'):                         /* kill the line */
      while (input.e != input.w && input.buf[(input.e - 1) % INPUT_BUF] != '\n') {
        input.e--;
        echo('\b');
      }
      break;
    case C('H'):
    case '\x7f':
      if (input.e != input.w) {
        input.e--;
        echo('\b');
      }
      break;
    default:
      if (c == 0 || input.e - input.r >= INPUT_BUF)
        break;
      c = (c == '\r') ? '\n' : c;
      input.buf[input.e++ % INPUT_BUF] = c;
      if (c != C('D'))
        echo(c);
      if (c == '\n' || c == C('D') || input.e == input.r + INPUT_BUF) {
        input.w = input.e;
        wakeup(&input.r);
      }
    }
  }
}

/* Reads up to n bytes. Canonical: at most one line, sleeping until a line is complete, and
 * Control-D at the start of a line reads as end of file (0). Raw: what is there, at least one byte. */
int consoleread(uaddr_t dst, int n) {
  int target = n;
  int r = tty_check_read();              /* job control: background readers stop (SIGTTIN) */
  if (r < 0)
    return r;
  bool canon = tty_lflag() & ICANON;
  while (n > 0) {
    while (input.r == input.w) {
      if (!canon && n < target)
        return target - n;               /* raw: return what arrived */
      if (signal_pending(curproc))
        return -EINTR;
      sleep(&input.r);
    }
    char c = input.buf[input.r++ % INPUT_BUF];
    if (canon && c == C('D')) {
      if (n < target)
        input.r--;                       /* keep it: the next read returns 0 */
      break;
    }
    if (copyout(curproc->pgdir, dst++, &c, 1) < 0)
      return -EFAULT;
    n--;
    if (canon && c == '\n')
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
