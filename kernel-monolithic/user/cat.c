/* cat.c: copies each file named (or standard input) to standard output. Read and write errors
 * (a full disk behind "cat a > b") are reported with their message and make the status 1. */
#include "libc.h"

static int cat(int fd, const char *name) {
  char buf[1024];
  int n;
  while ((n = read(fd, buf, sizeof(buf))) > 0)
    if (write_all(1, buf, n) < 0) {
      dprintf(2, "cat: write error: %s\n", strerror(errno));
      return 1;
    }
  if (n < 0) {
    dprintf(2, "cat: %s: %s\n", name, strerror(errno));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return cat(0, "stdin");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) {
      dprintf(2, "cat: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    status |= cat(fd, argv[i]);
    close(fd);
  }
  return status;
}
