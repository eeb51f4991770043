/* rm.c: removes each file named; "rm -d dir" removes empty directories. */
#include "libc.h"

int main(int argc, char **argv) {
  int status = 0, dirs = argc > 1 && strcmp(argv[1], "-d") == 0;
  for (int i = 1 + dirs; i < argc; i++)
    if ((dirs ? rmdir(argv[i]) : unlink(argv[i])) < 0) {
      dprintf(2, "rm: %s: error %d\n", argv[i], errno);
      status = 1;
    }
  return status;
}
