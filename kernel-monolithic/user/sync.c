/* sync.c: writes every cached change to the disks (sync(2)). */
#include "libc.h"

int main(void) {
  sync();
  return 0;
}
