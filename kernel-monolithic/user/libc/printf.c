/* printf.c: printf-lite for user programs: formats into a buffer, then one write(2). */
#include "libc.h"
#include "libkern/format.h"

/* The formatting itself is libkern's (the kernels' printk uses the same code). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  return kvsnprintf(buf, size > 0x7fffffff ? 0x7fffffff : (int)size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

static int vdprintf(int fd, const char *fmt, va_list ap) {
  char buf[512];
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  if (n >= (int)sizeof(buf))
    n = sizeof(buf) - 1;
  return write(fd, buf, n);
}

int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vdprintf(1, fmt, ap);
  va_end(ap);
  return n;
}

int puts(const char *s) {
  return printf("%s\n", s);
}
