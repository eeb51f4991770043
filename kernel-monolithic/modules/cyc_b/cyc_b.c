/* cyc_b.c: declares a dependency on cyc_a, which declares one on cyc_b: modprobe must refuse the
 * cycle before loading anything (and the loader refuses each alone: a missing dependency). */
#include "module.h"
#include "defs.h"

static int cyc_b_init(void) {
  printk("cyc_b: loaded\n");
  return 0;
}

static void cyc_b_exit(void) {
}

module_init(cyc_b_init);
module_exit(cyc_b_exit);
MODULE_LICENSE("GPL");
MODULE_DEPENDS("cyc_a");
