/* canary.c: a memory-corruption detector for the memcorrupt demo. Several worker processes
 * each keep writing a file of pseudo-random words with a checksum, reading it back and checking
 * it against the generator (not against memory, which may be the thing that is corrupted), and
 * checking their in-memory copy too. Every 'step' rounds a worker prints "canary: ok N" (N = that
 * worker's rounds); the moment a check fails it
 * prints "canary: CORRUPT <file>" and exits 1. The parent then stops the others; with -p it
 * powers the machine off (a scripted run ends there).
 * Usage: canary [-p] [-w workers (3)] [-r rounds (0 = forever)] */
#include "libc.h"

#define WORDS 1024                 /* 4 KiB per file */

static uint32_t buf[WORDS + 1], back[WORDS + 1];

static uint32_t gen(uint32_t *s) {   /* xorshift32 */
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Fills buf for (worker, round) and appends the checksum. */
static void fill(int worker, int round) {
  uint32_t s = 0x9e3779b9u * (uint32_t)(worker + 1) + (uint32_t)round * 2654435761u + 1, sum = 0;
  for (int i = 0; i < WORDS; i++)
    sum += buf[i] = gen(&s);
  buf[WORDS] = sum;
}

/* Checks words against the generator for (worker, round): 0 if all match. */
static int check(const uint32_t *w, int worker, int round) {
  uint32_t s = 0x9e3779b9u * (uint32_t)(worker + 1) + (uint32_t)round * 2654435761u + 1, sum = 0;
  for (int i = 0; i < WORDS; i++) {
    uint32_t want = gen(&s);
    if (w[i] != want)
      return -1;
    sum += want;
  }
  return w[WORDS] == sum ? 0 : -1;
}

static int worker(int k, int rounds) {
  char file[32];
  snprintf(file, sizeof(file), "/canary.%d", k);
  for (int round = 1; rounds == 0 || round <= rounds; round++) {
    fill(k, round);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, buf, sizeof(buf)) != (int)sizeof(buf) || close(fd) < 0) {
      printf("canary: CORRUPT %s (write failed)\n", file);
      return 1;
    }
    fd = open(file, O_RDONLY);
    int got = fd < 0 ? -1 : read(fd, back, sizeof(back));
    if (fd >= 0)
      close(fd);
    if (got != (int)sizeof(back) || check(back, k, round) < 0 || check(buf, k, round) < 0) {
      printf("canary: CORRUPT %s\n", file);
      return 1;
    }
    if (round % 4 == 0)
      printf("canary: ok %d\n", round);
  }
  return 0;
}

int main(int argc, char **argv) {
  int poweroff = 0, workers = 3, rounds = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-p") == 0)
      poweroff = 1;
    else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
      workers = atoi(argv[++i]);
    else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
      rounds = atoi(argv[++i]);
  }
  int pids[8], n = 0;
  for (int k = 0; k < workers && k < 8; k++) {
    int pid = fork();
    if (pid == 0)
      exit(worker(k, rounds));
    if (pid > 0)
      pids[n++] = pid;
  }
  int status, bad = 0;
  for (int left = n; left > 0; left--) {
    if (wait(&status) < 0)
      break;
    if (status != 0 && !bad) {     /* the first failure stops the rest */
      bad = 1;
      for (int i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    }
  }
  printf(bad ? "canary: stopped on corruption\n" : "canary: all rounds passed\n");
  if (poweroff) {
    sync();
    reboot(RB_POWER_OFF);
  }
  return bad;
}
