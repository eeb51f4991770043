/* ramdisk.c: a RAM-disk block driver, /dev/ram0: 'blocks' 1 KiB blocks (parameter, default 64)
 * of zeroed kernel pages behind the buffer cache (register_blkdev). Its contents last until
 * the module is unloaded. */
#include "module.h"
#include "defs.h"
#include "buf.h"
#include "mmu.h"

static int blocks = 64;
module_param(blocks, int, 0444);

static char *store;
static int npages;

static int ram_transfer(uint32_t blockno, void *data, bool write) {
  if (blockno >= (uint32_t)blocks)
    return -EIO;
  char *p = store + blockno * BSIZE;
  if (write)
    memcpy(p, data, BSIZE);
  else
    memcpy(data, p, BSIZE);
  return 0;
}

static const struct blkdev_ops ops = {.transfer = ram_transfer};

static int ramdisk_init(void) {
  if (blocks <= 0 || blocks > 4096)
    return -EINVAL;
  npages = (blocks * BSIZE + PGSIZE - 1) / PGSIZE;
  if (!(store = kallocn(npages)))            /* zeroed */
    return -ENOMEM;
  int disk = register_blkdev("ram0", &ops, blocks);
  if (disk < 0) {
    kfreepages(store, npages);
    return disk;
  }
  printk("ramdisk: /dev/ram0, %d KiB (disk %d)\n", blocks * BSIZE / 1024, disk);
  return 0;
}

static void ramdisk_exit(void) {
  unregister_blkdev("ram0");
  kfreepages(store, npages);
  printk("ramdisk: /dev/ram0 removed\n");
}

module_init(ramdisk_init);
module_exit(ramdisk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a RAM-disk block device");
