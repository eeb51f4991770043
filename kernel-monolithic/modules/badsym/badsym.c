/* badsym.c: calls a function nobody exports: the load fails with "Unknown symbol". */
#include "module.h"
#include "defs.h"

int no_such_function(int x);

static int badsym_init(void) {
  return no_such_function(1);
}

static void badsym_exit(void) {
}

module_init(badsym_init);
module_exit(badsym_exit);
MODULE_LICENSE("GPL");
