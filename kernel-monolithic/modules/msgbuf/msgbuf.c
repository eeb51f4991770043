/* msgbuf.c: a character device, /dev/msgbuf: a buffer of 'size' bytes (parameter, default 1024)
 * that keeps what was last written to it; reads return it from the file offset on. A write at
 * offset 0 replaces the contents (echo text > /dev/msgbuf), later ones append. */
#include "module.h"
#include "defs.h"

static int size = 1024;
module_param(size, int, 0444);

static char *data;
static int len;

static int msgbuf_read(char *buf, int n, uint32_t off) {
  if (off >= (uint32_t)len)
    return 0;
  if (n > len - (int)off)
    n = len - off;
  memcpy(buf, data + off, n);
  return n;
}

static int msgbuf_write(const char *buf, int n, uint32_t off) {
  if (off == 0)
    len = 0;
  if (off != (uint32_t)len)
    return -EINVAL;
  if (n > size - len)
    n = size - len;
  if (n == 0)
    return -ENOSPC;
  memcpy(data + len, buf, n);
  len += n;
  return n;
}

static const struct chrdev_ops ops = {.read = msgbuf_read, .write = msgbuf_write};

static int msgbuf_init(void) {
  if (size <= 0 || !(data = kmalloc(size)))
    return -ENOMEM;
  int r = register_chrdev("msgbuf", &ops);
  if (r < 0) {
    kfree(data);
    return r;
  }
  printk("msgbuf: /dev/msgbuf ready, %d bytes\n", size);
  return 0;
}

static void msgbuf_exit(void) {
  unregister_chrdev("msgbuf");
  kfree(data);
  printk("msgbuf: removed\n");
}

module_init(msgbuf_init);
module_exit(msgbuf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a message buffer character device");
