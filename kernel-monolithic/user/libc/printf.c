/* printf.c: printf-lite for user programs: formats into a buffer, then one write(2). */
#include "libc.h"

struct out {
  char *buf;
  size_t size, len;
};

static void put(struct out *o, char c) {
  if (o->len + 1 < o->size)
    o->buf[o->len] = c;
  o->len++;
}

static void putnum(struct out *o, unsigned v, int base, int neg, int width, char pad, int left) {
  char tmp[12];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (neg && pad == '0')
    put(o, '-');
  else if (neg)
    tmp[n++] = '-';
  int len = n + (neg && pad == '0');
  for (; !left && width > len; width--)
    put(o, pad);
  while (n > 0)
    put(o, tmp[--n]);
  for (; left && width > len; width--)
    put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = {buf, size, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(&o, *fmt);
      continue;
    }
    int left = 0, width = 0;
    char pad = ' ';
    for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
      if (*fmt == '-')
        left = 1;
      else
        pad = '0';
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z')
      fmt++;
    switch (*fmt) {
    case 'd':
    case 'i': {
      int v = va_arg(ap, int);
      putnum(&o, v < 0 ? -(unsigned)v : (unsigned)v, 10, v < 0, width, pad, left);
      break;
    }
    case 'u':
      putnum(&o, va_arg(ap, unsigned), 10, 0, width, pad, left);
      break;
    case 'x':
      putnum(&o, va_arg(ap, unsigned), 16, 0, width, pad, left);
      break;
    case 'p':
      put(&o, '0');
      put(&o, 'x');
      putnum(&o, (unsigned)va_arg(ap, void *), 16, 0, 8, '0', 0);
      break;
    case 's': {
      const char *s = va_arg(ap, const char *);
      s = s ? s : "(null)";
      int n = strlen(s);
      for (; !left && width > n; width--)
        put(&o, ' ');
      while (*s)
        put(&o, *s++);
      for (; left && width > n; width--)
        put(&o, ' ');
      break;
    }
    case 'c':
      put(&o, (char)va_arg(ap, int));
      break;
    case '%':
      put(&o, '%');
      break;
    case 0:
      fmt--;
      break;
    default:
      put(&o, '%');
      put(&o, *fmt);
    }
  }
  if (size > 0)
    buf[o.len < size ? o.len : size - 1] = 0;
  return o.len;
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
