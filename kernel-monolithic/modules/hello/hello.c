/* hello.c: the smallest module: prints on load and unload, and uses a few kernel exports. */
#include "module.h"
#include "defs.h"

static int hello_init(void) {
  char buf[32];
  snprintk(buf, sizeof(buf), "%d", 6 * 7);
  printk("hello: loaded (tick %u), the answer is %s\n", ticks, buf);
  return 0;
}

static void hello_exit(void) {
  printk("hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("prints hello");
