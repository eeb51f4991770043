/* dep_a.c: exports a counter that dep_b uses, so dep_a cannot be unloaded while dep_b is loaded. */
#include "module.h"
#include "defs.h"

static int calls;

int dep_a_next(void) {
  return ++calls;
}
EXPORT_SYMBOL(dep_a_next);

static int dep_a_init(void) {
  printk("dep_a: ready\n");
  return 0;
}

static void dep_a_exit(void) {
  printk("dep_a: unloaded after %d calls\n", calls);
}

module_init(dep_a_init);
module_exit(dep_a_exit);
MODULE_LICENSE("GPL");
