/* tty.c: the terminal ioctls of the console (Linux's asm-generic/ioctls.h and termbits.h):
 * the termios settings and window size are kept and reported, and the foreground process
 * group gets the interrupt character's SIGINT. console.c's line discipline follows ICANON
 * (canonical or raw input), ECHO, ISIG and ICRNL. Any other file is not a terminal. */
#include "defs.h"
#include "proc.h"
#include "file.h"

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCSCTTY  0x540E
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429

/* struct termios as the kernel copies it (not glibc's larger one) */
struct ktermios {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[19];
};

/* Linux's defaults for a new tty (tty_std_termios): ICRNL IXON, OPOST ONLCR, B38400 CS8 CREAD
 * HUPCL, ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN; ^C ^\ DEL ^U ^D, VMIN 1 */
static struct ktermios termios = {
  0x0500, 0x0005, 0x04BF, 0x8A3B, 0,
  {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0},
};
static uint16_t winsize[4] = {24, 80, 0, 0};   /* rows, columns, pixel width, height */
static int fg_pgrp;                             /* 0: none set yet (the caller's group) */

int tty_fg_pgrp(void) {
  return fg_pgrp;
}

uint32_t tty_lflag(void) { return termios.c_lflag; }
uint32_t tty_iflag(void) { return termios.c_iflag; }
int tty_intr_char(void) { return termios.c_cc[0]; }   /* VINTR */

struct proc *proc_table(int i);

/* The interrupt character (ISIG): SIGINT to the terminal's foreground process group; before a
 * shell has set one (TIOCSPGRP), to every process but init, as the console always did. */
static void signal_fg(int sig) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if ((p->state == SLEEPING || p->state == RUNNABLE || p->state == RUNNING) && proc_pgid(p) == fg_pgrp)
      send_signal(p, sig);
  }
}

void tty_intr(void) {
  if (!fg_pgrp)
    signal_all(SIGINT);
  else
    signal_fg(SIGINT);
}

int sys_ioctl(int fd, uint32_t cmd, uaddr_t arg) {
  struct file *f = fd >= 0 && fd < NOFILE ? curproc->ofile[fd] : 0;
  if (!f)
    return -EBADF;
  if (f->type != FD_CONSOLE)
    return -ENOTTY;
  pde_t *pg = curproc->pgdir;
  switch (cmd) {
  case TCGETS:
    return copyout(pg, arg, &termios, sizeof(termios)) < 0 ? -EFAULT : 0;
  case TCSETS:
  case TCSETSW:
  case TCSETSF:
    return copyin(pg, &termios, arg, sizeof(termios)) < 0 ? -EFAULT : 0;
  case TIOCGWINSZ:
    return copyout(pg, arg, winsize, sizeof(winsize)) < 0 ? -EFAULT : 0;
  case TIOCSWINSZ: {
    uint16_t ws[4];
    if (copyin(pg, ws, arg, sizeof(ws)) < 0)
      return -EFAULT;
    bool changed = memcmp(ws, winsize, sizeof(ws)) != 0;
    memmove(winsize, ws, sizeof(ws));
    if (changed && fg_pgrp)
      signal_fg(SIGWINCH);             /* full-screen programs redraw */
    return 0;
  }
  case TIOCGPGRP: {
    int32_t g = fg_pgrp ? fg_pgrp : proc_pgid(curproc);
    return copyout(pg, arg, &g, sizeof(g)) < 0 ? -EFAULT : 0;
  }
  case TIOCSPGRP: {
    int32_t g;
    if (copyin(pg, &g, arg, sizeof(g)) < 0)
      return -EFAULT;
    if (g <= 0)
      return -EINVAL;
    fg_pgrp = g;
    return 0;
  }
  case TIOCGSID: {
    int32_t s = proc_sid(curproc);
    return copyout(pg, arg, &s, sizeof(s)) < 0 ? -EFAULT : 0;
  }
  case TIOCSCTTY:
  case TIOCNOTTY:
    return 0;
  case FIONREAD: {
    int32_t n = console_pending();
    return copyout(pg, arg, &n, sizeof(n)) < 0 ? -EFAULT : 0;
  }
  default:
    return -EINVAL;
  }
}
