/* insmod.c: loads a kernel module from a file: insmod /lib/modules/hello.ko [params]. */
#include "libc.h"

int main(int argc, char **argv) {
  int len;
  if (argc < 2) {
    dprintf(2, "usage: insmod file.ko [params]\n");
    return 2;
  }
  void *image = readfile(argv[1], &len);
  if (!image) {
    dprintf(2, "insmod: %s: error %d\n", argv[1], errno);
    return 1;
  }
  if (init_module(image, len, argc > 2 ? argv[2] : "") < 0) {
    dprintf(2, "insmod: cannot insert %s: error %d\n", argv[1], errno);
    return 1;
  }
  return 0;
}
