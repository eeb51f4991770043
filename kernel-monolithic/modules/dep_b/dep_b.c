/* dep_b.c: uses dep_a's export; loading it pins dep_a (refcount) until dep_b is unloaded. */
#include "module.h"
#include "defs.h"

int dep_a_next(void);

static int dep_b_init(void) {
  int a = dep_a_next();
  int b = dep_a_next();
  printk("dep_b: dep_a_next() gave %d then %d\n", a, b);
  return 0;
}

static void dep_b_exit(void) {
  printk("dep_b: unloaded\n");
}

module_init(dep_b_init);
module_exit(dep_b_exit);
MODULE_LICENSE("GPL");
MODULE_DEPENDS("dep_a");
