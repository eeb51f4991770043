/* buggy.c: the crash demo's buggy driver, the counterpart of kernel-monolithic's memcorrupt
 * module with the same parameters (n words per burst, default 8; period in seconds, default 1;
 * seed, default 1) and the same burst line. Every period it writes n random 32-bit words at random
 * addresses of the only memory it can reach: its own address space. Most addresses are not
 * mapped, so the first write is a page fault its pager (the restart server) refuses: the driver
 * dies and is restarted, and nothing else is touched. Started by the restart server (insmod
 * /sbin/buggy n=4096 period=1 seed=7 on the shell); its parameters are at PARAMS_VA.
 * While it sleeps between bursts it answers the restart server's heartbeat (idl/driver.idl).
 * With hang=S it is a driver that hangs instead: it answers pings for S seconds, writes nothing,
 * then spins for ever without receiving -- alive, but deaf, which only the heartbeat notices. */
#include "srv.h"
#include "idl/driver_server.h"

#define PARAMS_VA 0x3F000000u

static int n = 8, period = 1, seed = 1, hang = -1;
static uint32_t state;

static uint32_t next_random(void) {   /* xorshift32, as memcorrupt */
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static int number(const char *s) {
  int v = 0, sign = 1;
  if (*s == '-')
    sign = -1, s++;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (*s++ - '0');
  return sign * v;
}

/* "n=4096 period=1 seed=7" */
static void parse(const char *p) {
  while (*p) {
    while (*p == ' ')
      p++;
    if (strncmp(p, "n=", 2) == 0)
      n = number(p + 2);
    else if (strncmp(p, "period=", 7) == 0)
      period = number(p + 7);
    else if (strncmp(p, "seed=", 5) == 0)
      seed = number(p + 5);
    else if (strncmp(p, "hang=", 5) == 0)
      hang = number(p + 5);
    while (*p && *p != ' ')
      p++;
  }
}

int driver_ping_impl(l4_threadid_t caller, l4_word_t seq, l4_word_t *echo) {
  *echo = seq;
  return 0;
}

/* Sleeps s seconds in an open receive, answering pings (anything else gets an error reply). */
static void sleep_seconds(int s) {
  uint64_t until = l4_clock() + (uint64_t)s * 1000000;
  for (uint64_t t = l4_clock(); t < until; t = l4_clock()) {
    l4_threadid_t from;
    uint64_t left = until - t < 1000000000 ? until - t : 1000000000;
    l4_msgtag_t tag = l4_receive_timeout(L4_ANYTHREAD, timeout_us(left), &from);
    if (!l4_ipc_failed(tag))
      l4_send_timeout(from, driver_dispatch(from, tag), L4_TIMEOUT_ZERO);
  }
}

int main(void) {
  set_name("buggy");
  parse((const char *)PARAMS_VA);
  if (hang >= 0 && hang <= 86400) {
    printf("buggy: hangs after %d s: spins without receiving\n", hang);
    sleep_seconds(hang);
    for (;;)                          /* never receives again: deaf to the heartbeat */
      __asm__ volatile("" ::: "memory");
  }
  if (n <= 0 || period <= 0 || period > 86400) {
    printf("memcorrupt: bad parameters\n");
    exit(1);
  }
  state = seed ? (uint32_t)seed : 1;
  printf("memcorrupt: %d words every %d s over its own address space, seed %d\n", n, period, seed);
  for (int bursts = 1;; bursts++) {
    sleep_seconds(period);
    uint32_t saved = state;
    uint32_t first = next_random() & ~3u;
    state = saved;
    printf("memcorrupt: burst %d, %d words, first at virt 0x%08x\n", bursts, n, first);
    for (int i = 0; i < n; i++) {
      uint32_t va = next_random() & ~3u;
      *(volatile uint32_t *)va = next_random();
    }
  }
}
