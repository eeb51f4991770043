/* echo.c: prints its arguments separated by spaces, then a newline. */
#include "libc.h"

int main(int argc, char **argv) {
  char buf[512];
  int n = 0;
  for (int i = 1; i < argc; i++)
    n += snprintf(buf + n, sizeof(buf) - n, i > 1 ? " %s" : "%s", argv[i]);
  buf[n < (int)sizeof(buf) - 1 ? n++ : n - 1] = '\n';
  return write(1, buf, n) == n ? 0 : 1;
}
