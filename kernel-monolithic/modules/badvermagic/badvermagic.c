/* badvermagic.c: built for "another kernel" (the Makefile passes -DVERMAGIC="9.9-other i386"):
 * the loader must refuse it before anything else happens. */
#include "module.h"
#include "defs.h"

static int badvermagic_init(void) {
  printk("badvermagic: loaded\n");
  return 0;
}

static void badvermagic_exit(void) {
}

module_init(badvermagic_init);
module_exit(badvermagic_exit);
MODULE_LICENSE("GPL");
