/* selfpatch.c: a buggy module that writes into its own code: the loader maps module text
 * read-only, so this page-faults and the kernel panics naming the module (a W^X demo). */
#include "module.h"
#include "defs.h"

static int victim(void) {
  return 1;
}

static int selfpatch_init(void) {
  printk("selfpatch: about to write into my own text at %p\n", (void *)victim);
  *(volatile uint8_t *)victim = 0xC3;      /* ret */
  printk("selfpatch: the write went through: text is writable\n");
  return victim() - 1;
}

module_init(selfpatch_init);
MODULE_LICENSE("GPL");
