/* poweroff.c: flushes the disks (sync) and asks the kernel to power the machine off. */
#include "libc.h"

int main(void) {
  sync();
  reboot(RB_POWER_OFF);
  dprintf(2, "poweroff: %s\n", strerror(errno));
  return 1;
}
