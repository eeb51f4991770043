/* durable.c: the guest of the kill test (DurabilityKillTest): writes files under /d for ever and
 * acknowledges each change only after the system call that makes it durable returned:
 *   "fsync ok NAME SIZE CKSUM"   a new file, written in pieces, after fsync(2)
 *   "rename ok NAME SIZE CKSUM"  /d/stable replaced by a fsynced /d/tmp (the atomic-update idiom)
 *   "unlink ok NAME"             an older file removed
 * Before a rename or an unlink it prints "rename begin NAME SIZE CKSUM" / "unlink begin NAME": if
 * that is the last line before the kill, the change may or may not have happened. The console
 * output is unbuffered, so the last complete line is what the program was doing.
 * The test kills the emulator at a random moment and checks every acknowledged file after the
 * next boot (durcheck). Sizes and contents follow from the file number, so a run is repeatable. */
#include "libc.h"

static uint32_t rng = 12345;

static uint32_t next(void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 8;
}

static uint8_t buf[20000];

/* FNV-1a, the checksum the test recomputes */
static uint32_t cksum(const uint8_t *p, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

/* A failed call is a failed test: say so and end the run (the test then sees no more acks). */
static void die(const char *what, const char *name) {
  printf("durable: FAIL %s %s: errno %d\n", what, name, errno);
  reboot(RB_POWER_OFF);
  _exit(1);
}

/* Writes name with n bytes of pattern 'seed' in random pieces and fsyncs it; returns the checksum. */
static uint32_t put(const char *name, uint32_t n, uint32_t seed) {
  for (uint32_t k = 0; k < n; k++)
    buf[k] = (uint8_t)(seed * 31 + k * 7 + (k >> 8));
  int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    die("open", name);
  for (uint32_t done = 0; done < n;) {
    uint32_t piece = 1 + next() % 4096;
    if (piece > n - done)
      piece = n - done;
    if (write(fd, buf + done, piece) != (int)piece)
      die("write", name);
    done += piece;
  }
  if (fsync(fd) < 0)
    die("fsync", name);
  close(fd);
  return cksum(buf, n);
}

int main(void) {
  char name[32], old[32];
  if (mkdir("/d", 0755) < 0 && errno != EEXIST)
    die("mkdir", "/d");
  printf("durable: writing\n");
  for (uint32_t i = 1;; i++) {
    uint32_t n = 1 + next() % sizeof(buf);
    snprintf(name, sizeof(name), "/d/f%u", i);
    uint32_t c = put(name, n, i);
    printf("fsync ok %s %u %u\n", name, n, c);
    if (i % 4 == 0) {
      n = 1 + next() % sizeof(buf);
      c = put("/d/tmp", n, i + 1000000);
      printf("rename begin /d/stable %u %u\n", n, c);
      if (rename("/d/tmp", "/d/stable") < 0)
        die("rename", "/d/tmp");
      printf("rename ok /d/stable %u %u\n", n, c);
    }
    if (i > 12 && i % 3 != 0) {
      snprintf(old, sizeof(old), "/d/f%u", i - 12);
      printf("unlink begin %s\n", old);
      if (unlink(old) < 0)
        die("unlink", old);
      printf("unlink ok %s\n", old);
    }
  }
}
