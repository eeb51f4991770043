/* random.c: the kernel's pseudo-random bytes (AT_RANDOM, getrandom(2), /dev/urandom).
 * Runs are deterministic, so the generator is too: xorshift64* seeded from the boot's RTC time
 * and the kernel command line's "seed=N" (default 1). Not cryptographic, and not meant to be:
 * glibc uses AT_RANDOM for its stack guard and pointer mangling, busybox for temporary names. */
#include "defs.h"
#include "proc.h"

static uint64_t state;

static uint64_t next(void) {
  if (state == 0) {
    char s[24];
    uint64_t seed = 0;
    if (cmdline_get("seed", s, sizeof(s)))
      for (const char *c = s; *c >= '0' && *c <= '9'; c++)
        seed = seed * 10 + (*c - '0');
    else
      seed = 1;
    state = (seed * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)boot_time() << 20) ^ 0x6A09E667F3BCC909ULL;
    if (state == 0)
      state = 1;
  }
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1DULL;
}

void random_bytes(void *dst, uint32_t n) {
  uint8_t *d = dst;
  while (n > 0) {
    uint64_t r = next();
    for (int i = 0; i < 8 && n > 0; i++, n--, r >>= 8)
      *d++ = (uint8_t)r;
  }
}

/* getrandom(2): never blocks (the generator is always "initialised"); at most 256 bytes per call */
int sys_getrandom(uaddr_t ubuf, uint32_t count, uint32_t flags) {
  uint8_t buf[256];
  (void)flags;
  uint32_t n = MIN(count, sizeof(buf));
  random_bytes(buf, n);
  if (copyout(curproc->pgdir, ubuf, buf, n) < 0)
    return -EFAULT;
  return n;
}
