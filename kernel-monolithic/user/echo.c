/* echo.c: prints its arguments separated by spaces, then a newline. A line that fits in the
 * buffer goes out with one write, as a stdio echo's does: a write to the console is never split,
 * so another program's output (a background job's) cannot land in the middle of the line. A
 * longer line goes out an argument at a time, so there is no length limit. A failed write (a full
 * disk behind "echo ... > file") is reported and makes the status 1. */
#include "libc.h"

static char line[4096];

/* The whole line in `line`: its length, or -1 when it does not fit. */
static int join(int argc, char **argv) {
  size_t len = 0;
  for (int i = 1; i < argc; i++) {
    size_t n = strlen(argv[i]);
    if (len + 1 + n + 1 > sizeof(line))
      return -1;
    if (i > 1)
      line[len++] = ' ';
    memcpy(line + len, argv[i], n);
    len += n;
  }
  line[len++] = '\n';
  return len;
}

int main(int argc, char **argv) {
  int len = join(argc, argv);
  if (len >= 0) {
    if (write_all(1, line, len) < 0)
      goto failed;
    return 0;
  }
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
