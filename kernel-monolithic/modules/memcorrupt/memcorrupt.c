/* memcorrupt.c: the lecture's fault-injection demo. Every 'period' seconds a kernel timer
 * overwrites 'n' random 32-bit words anywhere in physical RAM, through the direct map (so
 * nothing is protected: kernel text, page tables, the module itself, user pages, the buffer
 * cache), and logs the burst. What breaks first -- a user program's checksums, a kernel panic,
 * or a triple fault -- depends only on the seed and the machine, never on the host.
 * Parameters: n (words per burst, default 8), period (seconds, default 1), seed (default 1). */
#include "module.h"
#include "defs.h"
#include "param.h"
#include "mmu.h"

static int n = 8;
static int period = 1;
static int seed = 1;
module_param(n, int, 0444);
module_param(period, int, 0444);
module_param(seed, int, 0444);

static struct timer_list timer;
static uint32_t state;               /* xorshift32: deterministic for a given seed */
static uint32_t ramtop;
static int bursts;

static uint32_t next_random(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static void burst(struct timer_list *t) {
  uint32_t first = 0;
  bursts++;
  for (int i = 0; i < n; i++) {
    uint32_t pa = (next_random() % ramtop) & ~3u;
    if (i == 0)
      first = pa;
    *(volatile uint32_t *)P2V(pa) = next_random();
  }
  printk("memcorrupt: burst %d, %d words, first at phys 0x%08x\n", bursts, n, first);
  t->expires = ticks + period * HZ;
  add_timer(t);
}

static int memcorrupt_init(void) {
  if (n <= 0 || period <= 0 || period > 86400)   /* period * HZ must not overflow */
    return -EINVAL;
  ramtop = boot_ramtop();
  state = seed ? (uint32_t)seed : 1;
  printk("memcorrupt: %d words every %d s over %u KiB of RAM, seed %d\n", n, period, ramtop >> 10, seed);
  timer.fn = burst;
  timer.expires = ticks + period * HZ;
  add_timer(&timer);
  return 0;
}

static void memcorrupt_exit(void) {
  del_timer(&timer);
  printk("memcorrupt: stopped after %d bursts\n", bursts);
}

module_init(memcorrupt_init);
module_exit(memcorrupt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("overwrites random physical memory words periodically");
