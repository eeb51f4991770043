/* ls.c: lists directories (mode, links, size, name) or describes files; "." by default. */
#include "libc.h"

static void mode_string(uint32_t mode, char *s) {
  s[0] = S_ISDIR(mode) ? 'd' : (mode & 0170000) == 0120000 ? 'l' : (mode & 0170000) == 0020000 ? 'c' : '-';
  for (int i = 0; i < 9; i++)
    s[1 + i] = (mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
  s[10] = 0;
}

/* Returns 1 (the exit status) when path cannot be examined. */
static int show(const char *path, const char *name) {
  struct stat64 st;
  char mode[11];
  if (stat(path, &st) < 0) {
    dprintf(2, "ls: cannot access '%s': %s\n", path, strerror(errno));
    return 1;
  }
  mode_string(st.st_mode, mode);
  printf("%s %2u %8u %s\n", mode, st.st_nlink, (unsigned)st.st_size, name);
  return 0;
}

static int list(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return show(dir, dir);
  char buf[1024], path[256];
  int n, status = 0;
  while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
    for (int off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
      status |= show(path, d->d_name);
      off += d->d_reclen;
    }
  }
  if (n < 0) {
    dprintf(2, "ls: reading directory '%s': %s\n", dir, strerror(errno));
    status = 1;
  }
  close(fd);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return list(".");
  int status = 0;
  for (int i = 1; i < argc; i++)
    status |= list(argv[i]);
  return status;
}
