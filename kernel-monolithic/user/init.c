/* init.c: the first user program: greets, checks a few system calls, forks a child, waits for it, powers off. */
#include "libc.h"

/* A few checks of the foundation that a reader can see on the console. */
static void selfcheck(void) {
  /* a kernel address must come back as EFAULT, not crash the kernel */
  int r = write(1, (void *)0xC0100000, 8);
  printf("init: write from a kernel address: %d (errno %d)\n", r, errno);
  char *p = malloc(10000);
  memset(p, 'x', 10000);
  printf("init: malloc(10000) = %p, brk works\n", p);
  free(p);
}

int main(int argc, char **argv) {
  printf("init: hello from user space\n");
  printf("init: pid %d, argv[0] %s, argc %d\n", getpid(), argv[0], argc);
  selfcheck();

  pid_t pid = fork();
  if (pid < 0) {
    printf("init: fork failed, errno %d\n", errno);
    reboot(RB_POWER_OFF);
  }
  if (pid == 0) {
    printf("child: hello from pid %d, parent %d\n", getpid(), getppid());
    exit(42);
  }
  int status = 0;
  pid_t w = waitpid(pid, &status, 0);
  printf("init: child %d exited with status %d\n", w, WEXITSTATUS(status));
  printf("init: powering off\n");
  reboot(RB_POWER_OFF);
  printf("init: reboot failed, errno %d\n", errno);
  return 1;
}
