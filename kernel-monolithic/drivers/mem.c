/* mem.c: the memory character devices every Unix has, as built-in chrdevs: /dev/null (reads
 * end of file, writes vanish), /dev/zero (reads zeros) and /dev/urandom (kernel/random.c's
 * deterministic generator). /dev/tty is the console (fs/sysfile.c). */
#include "defs.h"

static int null_read(char *buf, int n, uint32_t off) { (void)buf, (void)n, (void)off; return 0; }
static int null_write(const char *buf, int n, uint32_t off) { (void)buf, (void)off; return n; }
static int zero_read(char *buf, int n, uint32_t off) { (void)off; memset(buf, 0, n); return n; }
static int urandom_read(char *buf, int n, uint32_t off) { (void)off; random_bytes(buf, n); return n; }

static const struct chrdev_ops null_ops = {null_read, null_write};
static const struct chrdev_ops zero_ops = {zero_read, null_write};
static const struct chrdev_ops urandom_ops = {urandom_read, null_write};

void memdev_init(void) {
  register_chrdev("null", &null_ops);
  register_chrdev("zero", &zero_ops);
  register_chrdev("urandom", &urandom_ops);
  register_chrdev("random", &urandom_ops);
}
