/* timer.c: kernel timers (Linux's timer_list in miniature): a function to call from the timer
 * interrupt once 'ticks' reaches 'expires'. One list, unsorted: there are only a few timers. The
 * function runs in interrupt context (IF=0, no process to sleep in) and may re-add its timer. */
#include "defs.h"
#include "module.h"

static struct timer_list *timers;

void add_timer(struct timer_list *t) {
  del_timer(t);
  t->next = timers;
  timers = t;
}

/* Returns 1 if the timer was pending. */
int del_timer(struct timer_list *t) {
  for (struct timer_list **pp = &timers; *pp; pp = &(*pp)->next)
    if (*pp == t) {
      *pp = t->next;
      return 1;
    }
  return 0;
}

/* From the timer interrupt: each due timer is unlinked before it runs, so it may add itself again. */
void run_timers(void) {
  for (struct timer_list **pp = &timers; *pp;) {
    struct timer_list *t = *pp;
    if ((int32_t)(ticks - t->expires) >= 0) {
      *pp = t->next;
      t->fn(t);
      pp = &timers;               /* the list may have changed: start over */
    } else {
      pp = &t->next;
    }
  }
}

EXPORT_SYMBOL(add_timer);
EXPORT_SYMBOL(del_timer);
EXPORT_SYMBOL(boot_ramtop);
