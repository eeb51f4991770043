/* mv.c: renames a file or directory: mv old new. */
#include "libc.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    dprintf(2, "usage: mv old new\n");
    return 2;
  }
  if (rename(argv[1], argv[2]) < 0) {
    dprintf(2, "mv: %s -> %s: error %d\n", argv[1], argv[2], errno);
    return 1;
  }
  return 0;
}
