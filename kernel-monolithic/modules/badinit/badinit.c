/* badinit.c: a module whose init fails: the loader must undo everything and return the error. */
#include "module.h"
#include "defs.h"

static int badinit_init(void) {
  printk("badinit: failing on purpose\n");
  return -EIO;
}

module_init(badinit_init);
MODULE_LICENSE("GPL");
