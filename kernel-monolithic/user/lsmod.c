/* lsmod.c: lists the loaded modules from /proc/modules, as Linux's lsmod does. */
#include "libc.h"

int main(void) {
  int len;
  char *text = readfile("/proc/modules", &len);
  if (!text) {
    dprintf(2, "lsmod: /proc/modules: error %d\n", errno);
    return 1;
  }
  text[len] = 0;
  printf("Module                  Size  Used by\n");
  for (char *line = text, *next; *line; line = next) {
    next = strchr(line, '\n');
    *next++ = 0;
    char *f[6] = {0};
    int n = 0;
    for (char *p = line; n < 6 && *p;) {
      f[n++] = p;
      while (*p && *p != ' ')
        p++;
      if (*p)
        *p++ = 0;
    }
    if (n < 4)
      continue;
    int users = strlen(f[3]);
    if (users > 0 && f[3][users - 1] == ',')
      f[3][users - 1] = 0;         /* "a,b," -> "a,b" */
    printf("%-20s %8s  %s %s\n", f[0], f[1], f[2], strcmp(f[3], "-") ? f[3] : "");
  }
  return 0;
}
