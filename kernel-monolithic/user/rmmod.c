/* rmmod.c: unloads a kernel module by name: rmmod hello. */
#include "libc.h"

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (delete_module(argv[i], 0) < 0) {
      dprintf(2, "rmmod: cannot remove %s: error %d\n", argv[i], errno);
      status = 1;
    }
  return status;
}
