/* badreloc.c: holds a 16-bit absolute address (an R_386_16 relocation, which gas emits for
 * ".word sym"), a type a 32-bit kernel module loader does not support: the load must fail naming
 * the relocation type, before init runs. */
#include "module.h"
#include "defs.h"

int badreloc_counter = 1;

__asm__(".pushsection .data\n"
        "badreloc_short: .word badreloc_counter\n"
        ".popsection");

static int badreloc_init(void) {
  printk("badreloc: loaded, counter %d\n", badreloc_counter);
  return 0;
}

static void badreloc_exit(void) {
}

module_init(badreloc_init);
module_exit(badreloc_exit);
MODULE_LICENSE("GPL");
