/* rmmod.c: unloads a kernel module by name: rmmod hello. */
#include "libc.h"

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (delete_module(argv[i], 0) < 0) {
      dprintf(2, "rmmod: ERROR: could not remove module %s: %s\n", argv[i],
              errno == EBUSY ? "Module is in use" : errno == ENOENT ? "Module is not loaded" : strerror(errno));
      status = 1;
    }
  return status;
}
