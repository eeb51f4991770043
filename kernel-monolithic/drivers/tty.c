/* tty.c: the terminal ioctls of the console (Linux's asm-generic/ioctls.h and termbits.h):
 * the termios settings and window size are kept and reported, and job control: the foreground
 * process group gets the signals of the ISIG characters (^C SIGINT, ^\ SIGQUIT, ^Z SIGTSTP), and
 * a background process that reads the terminal gets SIGTTIN. console.c's line discipline
 * follows ICANON (canonical or raw input), ECHO, ISIG and ICRNL. Any other file is not a terminal. */
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

#define VINTR 0
#define VQUIT 1
#define VSUSP 10

/* The signal an input byte stands for under ISIG (Linux's n_tty), or 0. A disabled character
 * (_POSIX_VDISABLE, 0) never matches. */
int tty_isig_signal(int c) {
  if (c == 0)
    return 0;
  if (c == termios.c_cc[VINTR])
    return SIGINT;
  if (c == termios.c_cc[VQUIT])
    return SIGQUIT;
  if (c == termios.c_cc[VSUSP])
    return SIGTSTP;
  return 0;
}

struct proc *proc_table(int i);

/* sig to every live (or stopped) process of group pgrp */
static void signal_pgrp(int pgrp, int sig) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if ((p->state == SLEEPING || p->state == RUNNABLE || p->state == RUNNING || p->state == STOPPED) &&
        proc_pgid(p) == pgrp)
      send_signal(p, sig);
  }
}

static void signal_fg(int sig) {
  signal_pgrp(fg_pgrp, sig);
}

/* The session of process group g (tcsetpgrp's check), or -ESRCH when no live process is in it. */
static int pgrp_session(int g) {
  for (int i = 0; i < NPROC; i++) {
    struct proc *p = proc_table(i);
    if (p->state != UNUSED && p->state != EMBRYO && p->state != ZOMBIE && proc_pgid(p) == g)
      return proc_sid(p);
  }
  return -ESRCH;
}

/* An ISIG character was typed: its signal to the terminal's foreground process group; before a
 * shell has set one (TIOCSPGRP), to every process but init, as the console always did. ^Z only stops something once a job-control shell has set a
 * foreground group: a shell without job control would wait forever for a stopped child. */
void tty_signal(int sig) {
  if (fg_pgrp)
    signal_fg(sig);
  else if (sig != SIGTSTP)
    signal_all(sig);
}

/* Job control for a read of the terminal: a process outside the foreground group gets SIGTTIN
 * (its whole group does) and the read returns -EINTR, so the process stops on its way out and
 * its read starts again when it is continued (kernel/signal.c); if SIGTTIN would not stop it
 * (ignored or blocked), -EIO, as Linux. Init is never stopped. 0: the read may go on. */
int tty_check_read(void) {
  struct proc *p = curproc;
  if (!fg_pgrp || proc_pgid(p) == fg_pgrp || p->pid == 1)
    return 0;
  if (!signal_would_stop(p, SIGTTIN) || pgrp_orphaned(proc_pgid(p)))
    return -EIO;
  signal_pgrp(proc_pgid(p), SIGTTIN);
  return -EINTR;
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
    if (g < 0)
      return -EINVAL;
    int r = pgrp_session(g);
    if (r < 0)
      return r;
    if (r != proc_sid(curproc))
      return -EPERM;                   /* a group of another session */
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
