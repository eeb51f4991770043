/* hello.c: the smallest module: prints on load and unload, uses a few kernel exports and takes
 * two parameters (insmod hello.ko who=world times=2). */
#include "module.h"
#include "defs.h"

static char *who = "kernel";
static int times = 1;
module_param(who, charp, 0444);
module_param(times, int, 0444);

static int hello_init(void) {
  char buf[32];
  snprintk(buf, sizeof(buf), "%d", 6 * 7);
  printk("hello: loaded (tick %u), the answer is %s\n", ticks, buf);
  for (int i = 0; i < times && i < 5; i++)
    printk("hello: hello, %s\n", who);
  return 0;
}

static void hello_exit(void) {
  printk("hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("prints hello");
