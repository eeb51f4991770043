/* printk.c: formatted output for the kernel, through libkern's formatter (libkern/format.h). */
#include "defs.h"
#include "module.h"
#include "libkern/format.h"

static void toconsole(void *ctx, char c) {
  (void)ctx;
  consputc(c);
}

void vprintk(const char *fmt, va_list ap) {
  kformat(toconsole, 0, fmt, ap);
}

void printk(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintk(fmt, ap);
  va_end(ap);
}

int vsnprintk(char *buf, int size, const char *fmt, va_list ap) {
  return kvsnprintf(buf, size, fmt, ap);
}

int snprintk(char *buf, int size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintk(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(snprintk);
