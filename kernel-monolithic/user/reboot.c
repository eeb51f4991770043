/* reboot.c: flushes the disks (sync) and asks the kernel to restart. */
#include "libc.h"

int main(void) {
  sync();
  reboot(RB_AUTOBOOT);
  dprintf(2, "reboot: %s\n", strerror(errno));
  return 1;
}
