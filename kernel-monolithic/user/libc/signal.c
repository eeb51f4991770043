/* signal.c: signal wrappers over rt_sigaction and rt_sigprocmask; handlers return through __restore_rt or __restore. */
#include "libc.h"

void __restore_rt(void);
void __restore(void);

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact) {
  struct sigaction k;
  if (act) {
    k = *act;
    k.sa_flags |= SA_RESTORER;
    /* Linux builds an rt frame only for SA_SIGINFO handlers; the others get the old frame */
    k.sa_restorer = (k.sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
    act = &k;
  }
  return syscall(__NR_rt_sigaction, sig, (long)act, (long)oact, sizeof(sigset_t), 0);
}

sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = handler;
  sa.sa_flags = SA_RESTART;
  return sigaction(sig, &sa, &old) < 0 ? SIG_ERR : old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset) {
  return syscall(__NR_rt_sigprocmask, how, (long)set, (long)oset, sizeof(sigset_t), 0);
}

int raise(int sig) { return kill(getpid(), sig); }
int pause(void) { return syscall(__NR_pause, 0, 0, 0, 0, 0); }
unsigned alarm(unsigned seconds) { return syscall(__NR_alarm, seconds, 0, 0, 0, 0); }
