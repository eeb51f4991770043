/* ls.c: lists directories (mode, links, size, name) or describes files; "." by default. */
#include "libc.h"

static void mode_string(uint32_t mode, char *s) {
  s[0] = S_ISDIR(mode) ? 'd' : (mode & 0170000) == 0120000 ? 'l' : (mode & 0170000) == 0020000 ? 'c' : '-';
  for (int i = 0; i < 9; i++)
    s[1 + i] = (mode & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
  s[10] = 0;
}

static void show(const char *path, const char *name) {
  struct stat64 st;
  char mode[11];
  if (stat(path, &st) < 0) {
    dprintf(2, "ls: %s: error %d\n", path, errno);
    return;
  }
  mode_string(st.st_mode, mode);
  printf("%s %2u %8u %s\n", mode, st.st_nlink, (unsigned)st.st_size, name);
}

static int list(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    show(dir, dir);
    return errno == ENOTDIR ? 0 : 1;
  }
  char buf[1024], path[256];
  int n;
  while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
    for (int off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
      show(path, d->d_name);
      off += d->d_reclen;
    }
  }
  close(fd);
  return n < 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return list(".");
  int status = 0;
  for (int i = 1; i < argc; i++)
    status |= list(argv[i]);
  return status;
}
