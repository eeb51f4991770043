/* mkdir.c: creates each directory named. */
#include "libc.h"

int main(int argc, char **argv) {
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (mkdir(argv[i], 0755) < 0) {
      dprintf(2, "mkdir: %s: error %d\n", argv[i], errno);
      status = 1;
    }
  return status;
}
