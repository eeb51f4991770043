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

/* From the timer interrupt: the due timers are first moved to a list of their own, then run;
 * a timer that adds itself again (even already due) waits for the next tick, so a bad expiry
 * cannot keep the interrupt handler looping. */
void run_timers(void) {
  struct timer_list *due = 0;
  for (struct timer_list **pp = &timers; *pp;) {
    struct timer_list *t = *pp;
    if ((int32_t)(ticks - t->expires) >= 0) {
      *pp = t->next;
      t->next = due;
      due = t;
    } else {
      pp = &t->next;
    }
  }
  while (due) {
    struct timer_list *t = due;
    due = t->next;
    t->next = 0;
    t->fn(t);
  }
}

EXPORT_SYMBOL(add_timer);
EXPORT_SYMBOL(del_timer);
EXPORT_SYMBOL(boot_ramtop);
