/* durcheck.c: the kill test's checker: prints "file NAME SIZE CKSUM" for every file in /d (the
 * checksum durable.c prints), then "durcheck: done N files", and powers off. */
#include "libc.h"

static uint8_t buf[65536];

int main(void) {
  int dfd = open("/d", O_RDONLY | O_DIRECTORY), nfiles = 0;
  char dents[1024], path[300];
  int n;
  while (dfd >= 0 && (n = getdents64(dfd, dents, sizeof(dents))) > 0)
    for (int off = 0; off < n; off += ((struct linux_dirent64 *)(dents + off))->d_reclen) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(dents + off);
      if (d->d_name[0] == '.')
        continue;
      snprintf(path, sizeof(path), "/d/%s", d->d_name);
      int fd = open(path, O_RDONLY);
      uint32_t h = 2166136261u, size = 0;
      int r;
      while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0) {
        for (int i = 0; i < r; i++)
          h = (h ^ buf[i]) * 16777619u;
        size += r;
      }
      if (fd < 0)
        printf("durcheck: FAIL open %s: errno %d\n", path, errno);
      close(fd);
      printf("file %s %u %u\n", path, size, h);
      nfiles++;
    }
  printf("durcheck: done %d files\n", nfiles);
  reboot(RB_POWER_OFF);
  return 0;
}
