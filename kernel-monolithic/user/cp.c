/* cp.c: copies a file: cp SRC DST (DST may be a directory: DST/basename(SRC)). */
#include "libc.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    dprintf(2, "usage: cp SRC DST\n");
    return 2;
  }
  char dst[256];
  struct stat64 st;
  const char *base = argv[1];
  for (const char *p = argv[1]; *p; p++)
    if (*p == '/')
      base = p + 1;
  if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode))
    snprintf(dst, sizeof(dst), "%s/%s", argv[2], base);
  else
    snprintf(dst, sizeof(dst), "%s", argv[2]);
  int in = open(argv[1], O_RDONLY);
  if (in < 0) {
    dprintf(2, "cp: cannot open '%s': %s\n", argv[1], strerror(errno));
    return 1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    dprintf(2, "cp: cannot create '%s': %s\n", dst, strerror(errno));
    return 1;
  }
  char buf[4096];
  int n;
  while ((n = read(in, buf, sizeof(buf))) > 0)
    if (write(out, buf, n) != n) {
      dprintf(2, "cp: error writing '%s': %s\n", dst, strerror(errno));
      return 1;
    }
  if (n < 0) {
    dprintf(2, "cp: error reading '%s': %s\n", argv[1], strerror(errno));
    return 1;
  }
  close(in);
  return close(out) < 0;
}
