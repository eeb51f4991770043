/* wc.c: counts lines, words and bytes of each file (or standard input), as coreutils' wc
 * prints them: right-aligned columns, a total line for more than one file. */
#include "libc.h"

static int count(int fd, unsigned c[3]) {
  char buf[1024];
  int n, inword = 0;
  c[0] = c[1] = c[2] = 0;
  while ((n = read(fd, buf, sizeof(buf))) > 0)
    for (int i = 0; i < n; i++) {
      char ch = buf[i];
      c[2]++;
      if (ch == '\n')
        c[0]++;
      /* coreutils in the C locale: white space ends a word, a printable character starts one,
       * anything else (NUL, control bytes, bytes >= 0x80) does neither */
      if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f') {
        inword = 0;
      } else if (ch > ' ' && ch < 0x7f && !inword) {
        c[1]++;
        inword = 1;
      }
    }
  return n;
}

/* coreutils pads every column to the width of the largest number (at least 1; 7 for stdin) */
static int width(unsigned v) {
  int w = 1;
  while (v >= 10) {
    v /= 10;
    w++;
  }
  return w;
}

int main(int argc, char **argv) {
  unsigned c[9][3], total[3] = {0, 0, 0};
  int nfiles = argc - 1 > 8 ? 8 : argc - 1, status = 0, ok[9] = {0};
  if (nfiles == 0) {
    if (count(0, c[0]) < 0)
      return 1;
    printf("%7u %7u %7u\n", c[0][0], c[0][1], c[0][2]);
    return 0;
  }
  for (int i = 0; i < nfiles; i++) {
    int fd = open(argv[i + 1], O_RDONLY);
    if (fd < 0 || count(fd, c[i]) < 0) {
      dprintf(2, "wc: %s: %s\n", argv[i + 1], strerror(errno));
      status = 1;
      if (fd >= 0)
        close(fd);
      continue;
    }
    close(fd);
    ok[i] = 1;
    for (int k = 0; k < 3; k++)
      total[k] += c[i][k];
  }
  char fmt[32];
  int w = width(total[2]);
  snprintf(fmt, sizeof(fmt), "%%%du %%%du %%%du %%s\n", w, w, w);   /* no "%*u" in our printf */
  for (int i = 0; i < nfiles; i++)
    if (ok[i])
      printf(fmt, c[i][0], c[i][1], c[i][2], argv[i + 1]);
  if (nfiles > 1)
    printf(fmt, total[0], total[1], total[2], "total");
  return status;
}
