/* sysstat.c: a /proc statistics entry, /proc/sysstat: system calls, timer and disk interrupts,
 * in total and during the last full second (sampled by a kernel timer once a second). */
#include "module.h"
#include "defs.h"
#include "param.h"

static struct timer_list timer;
static uint32_t last_sys, last_timer, last_ata;      /* totals at the last sample */
static uint32_t rate_sys, rate_timer, rate_ata;      /* during the second before it */
static uint32_t samples;

static void sample(struct timer_list *t) {
  rate_sys = syscall_count - last_sys;
  rate_timer = irq_count[0] - last_timer;
  rate_ata = irq_count[14] - last_ata;
  last_sys = syscall_count;
  last_timer = irq_count[0];
  last_ata = irq_count[14];
  samples++;
  t->expires = ticks + HZ;
  add_timer(t);
}

static int sysstat_show(char *buf, int size) {
  return snprintk(buf, size,
                  "syscalls %u\ntimer_irqs %u\nata_irqs %u\n"
                  "syscalls_per_sec %u\ntimer_irqs_per_sec %u\nata_irqs_per_sec %u\nsamples %u\n",
                  syscall_count, irq_count[0], irq_count[14], rate_sys, rate_timer, rate_ata, samples);
}

static int sysstat_init(void) {
  int r = proc_create("sysstat", sysstat_show);
  if (r < 0)
    return r;
  last_sys = syscall_count;
  last_timer = irq_count[0];
  last_ata = irq_count[14];
  timer.fn = sample;
  timer.expires = ticks + HZ;
  add_timer(&timer);
  printk("sysstat: /proc/sysstat ready\n");
  return 0;
}

static void sysstat_exit(void) {
  del_timer(&timer);
  proc_remove("sysstat");
}

module_init(sysstat_init);
module_exit(sysstat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("system call and interrupt statistics in /proc/sysstat");
