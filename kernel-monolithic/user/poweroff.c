/* poweroff.c: poweroff [STATUS]: flushes the disks (sync) and asks the kernel to power the
 * machine off; the run ends with STATUS (0-255, default 0) as its exit status. */
#include "libc.h"

int main(int argc, char **argv) {
  int status = 0;
  if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9' || (status = atoi(argv[1])) > 255))) {
    dprintf(2, "usage: poweroff [STATUS 0-255]\n");
    return 2;
  }
  sync();
  poweroff_status(status);
  dprintf(2, "poweroff: %s\n", strerror(errno));
  return 1;
}
