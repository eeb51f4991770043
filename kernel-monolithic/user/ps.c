/* ps.c: lists processes from /proc/<pid>/status. */
#include "libc.h"

static void field(const char *text, const char *key, char *out, int size) {
  const char *p = text;
  int n = strlen(key);
  out[0] = 0;
  while (p && *p) {
    if (strncmp(p, key, n) == 0 && p[n] == ':') {
      p += n + 1;
      while (*p == '\t' || *p == ' ')
        p++;
      int i = 0;
      while (*p && *p != '\n' && i < size - 1)
        out[i++] = *p++;
      out[i] = 0;
      return;
    }
    p = strchr(p, '\n');
    if (p)
      p++;
  }
}

int main(void) {
  int fd = open("/proc", O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    dprintf(2, "ps: /proc: error %d\n", errno);
    return 1;
  }
  printf("  PID  PPID STATE          NAME\n");
  char buf[512], path[64], name[32], state[32], ppid[16];
  int n;
  while ((n = getdents64(fd, buf, sizeof(buf))) > 0)
    for (int off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      off += d->d_reclen;
      if (d->d_name[0] < '0' || d->d_name[0] > '9')
        continue;
      snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
      int len;
      char *text = readfile(path, &len);
      if (!text)
        continue;
      text[len] = 0;
      field(text, "Name", name, sizeof(name));
      field(text, "State", state, sizeof(state));
      field(text, "PPid", ppid, sizeof(ppid));
      printf("%5s %5s %-14s %s\n", d->d_name, ppid, state, name);
      free(text);
    }
  close(fd);
  return 0;
}
