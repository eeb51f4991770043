/* echo.c: prints its arguments separated by spaces, then a newline. Any length: each argument
 * goes out with its own write, so nothing is copied into a fixed buffer. A failed write (a full
 * disk behind "echo ... > file") is reported and makes the status 1. */
#include "libc.h"

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if ((i > 1 && write_all(1, " ", 1) < 0) || write_all(1, argv[i], strlen(argv[i])) < 0)
      goto failed;
  if (write_all(1, "\n", 1) < 0)
    goto failed;
  return 0;
failed:
  dprintf(2, "echo: write error: %s\n", strerror(errno));
  return 1;
}
