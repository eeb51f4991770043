/* cyc_a.c: declares a dependency on cyc_b, which declares one on cyc_a: modprobe must refuse the
 * cycle before loading anything (and the loader refuses each alone: a missing dependency). */
#include "module.h"
#include "defs.h"

static int cyc_a_init(void) {
  printk("cyc_a: loaded\n");
  return 0;
}

static void cyc_a_exit(void) {
}

module_init(cyc_a_init);
module_exit(cyc_a_exit);
MODULE_LICENSE("GPL");
MODULE_DEPENDS("cyc_b");
