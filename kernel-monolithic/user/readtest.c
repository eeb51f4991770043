/* readtest.c: reads console lines until end of file and echoes each back; tests the interrupt-driven COM1 input. */
#include "libc.h"

int main(void) {
  char line[128];
  int n;
  printf("readtest: type lines, control-D ends\n");
  while ((n = read(0, line, sizeof(line) - 1)) > 0) {
    line[n] = 0;
    printf("readtest: got %d bytes: %s", n, line);
  }
  printf("readtest: read returned %d, powering off\n", n);
  reboot(RB_POWER_OFF);
  return 1;
}
