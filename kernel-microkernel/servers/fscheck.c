/* fscheck.c: a client of the multi-server file system, for the tests: finds the file server
 * through the name server, reads /etc/motd, lists /, writes a file and reads it back. With the
 * /mk.txt already there (the second boot of the same disk) it only reads that file back. */
#include "srv.h"
#include "idl/fs_client.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
static l4_threadid_t fs;

static int slurp(const char *path, char *out, int max) {
  l4_word_t h, len;
  if (fs_open(fs, path, strlen(path), 0, 0, &h) < 0)
    return -1;
  int n = 0;
  while (n < max - 1 && fs_read(fs, h, n, MIN(192, max - 1 - n), out + n, &len) >= 0 && len > 0)
    n += len;
  out[n] = 0;
  fs_close(fs, h);
  return n;
}

static _Noreturn void finish(void) {
  if (check_failures)
    printf("fscheck: %d failed\n", check_failures);
  else
    printf("fscheck: all passed\n");
  root_poweroff(check_failures ? 1 : 0);
}

static const char text[] = "written by the microkernel's file server\n";

int main(void) {
  check_prefix = "fscheck";
  fs = lookup_wait("fs");
  check(fs != 0, "name-server-finds-fs");
  char buf[1024];
  l4_word_t mode, size, ino, links, h, n;
  if (fs_stat(fs, "/mk.txt", 7, &mode, &size, &ino, &links) == 0) {
    check(slurp("/mk.txt", buf, sizeof(buf)) == (int)strlen(text) && strcmp(buf, text) == 0,
          "file-from-first-boot-read-back");
    finish();
  }
  int r = slurp("/etc/motd", buf, sizeof(buf));
  check(r > 0, "read-etc-motd (%d bytes)", r);
  printf("%s", buf);
  check(fs_stat(fs, "/etc/motd", 9, &mode, &size, &ino, &links) == 0 && ((mode & 0xF000) == 0x8000) && size == (l4_word_t)r,
        "stat-etc-motd-size-matches");
  check(fs_open(fs, "/", 1, 0, 0, &h) == 0, "open-root-dir");
  char name[64];
  l4_word_t len, type;
  int found_bin = 0, entries = 0;
  for (l4_word_t i = 0; fs_readdir(fs, h, i, name, &len, &ino, &type) == 0; i++, entries++)
    found_bin |= len == 3 && memcmp(name, "bin", 3) == 0 && type == 2;
  fs_close(fs, h);
  check(found_bin && entries > 3, "readdir-root-has-bin-dir (%d entries)", entries);
  check(fs_open(fs, "/nosuch", 7, 0, 0, &h) == -2, "missing-file-enoent");
  check(fs_open(fs, "/mk.txt", 7, 0x41 | 0x200, 0644, &h) == 0, "create-file");
  check(fs_write(fs, h, 0, text, strlen(text), &n) == 0 && n == strlen(text), "write-file");
  fs_close(fs, h);
  check(slurp("/mk.txt", buf, sizeof(buf)) == (int)strlen(text) && strcmp(buf, text) == 0, "read-back-same-boot");
  /* a file larger than the 32-block cache: 40 KiB in 192-byte pieces */
  check(fs_open(fs, "/big.bin", 8, 0x41 | 0x200, 0644, &h) == 0, "create-big-file");
  char piece[192];
  int ok = 1;
  for (uint32_t off = 0; off < 40960; off += 160) {
    for (int i = 0; i < 160; i++)
      piece[i] = (char)(off / 160 + i);
    ok &= fs_write(fs, h, off, piece, 160, &n) == 0 && n == 160;
  }
  for (uint32_t off = 0; off < 40960 && ok; off += 160) {
    ok &= fs_read(fs, h, off, 160, piece, &n) == 0 && n == 160;
    for (int i = 0; i < 160 && ok; i++)
      ok &= piece[i] == (char)(off / 160 + i);
  }
  fs_close(fs, h);
  check(ok && fs_stat(fs, "/big.bin", 8, &mode, &size, &ino, &links) == 0 && size == 40960, "big-file-40k-round-trip");
  check(fs_mkdir(fs, "/mkdir", 6, 0755) == 0 && fs_stat(fs, "/mkdir", 6, &mode, &size, &ino, &links) == 0 && ((mode & 0xF000) == 0x4000),
        "mkdir");
  check(fs_unlink(fs, "/big.bin", 8) == 0 && fs_stat(fs, "/big.bin", 8, &mode, &size, &ino, &links) == -2, "unlink");
  finish();
}
