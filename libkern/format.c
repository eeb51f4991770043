/* format.c: printf-style formatting shared by the kernels (see libkern/format.h). */
#include <stdbool.h>
#include <stdint.h>
#include "libkern/format.h"
#include "libkern/string.h"

struct out {
  void (*put)(void *ctx, char c);
  void *ctx;
  int len;
};

static void put(struct out *o, char c) {
  o->put(o->ctx, c);
  o->len++;
}

/* A number in a field of width: '0' padding goes after the sign ("-0042"), '-' pads on the right. */
static void putnum(struct out *o, uint32_t v, int base, bool neg, int width, char pad, bool left) {
  char tmp[12];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (left)
    pad = ' ';
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

static void putstr(struct out *o, const char *str, int width, bool left) {
  str = str ? str : "(null)";
  int n = strlen(str);
  while (!left && width-- > n)
    put(o, ' ');
  while (*str)
    put(o, *str++);
  while (left && width-- > n)
    put(o, ' ');
}

int kformat(void (*sink)(void *ctx, char c), void *ctx, const char *fmt, va_list ap) {
  struct out o = {sink, ctx, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(&o, *fmt);
      continue;
    }
    char pad = ' ';
    int width = 0;
    bool left = false;             /* "%-12s": pad on the right */
    for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
      if (*fmt == '-')
        left = true;
      else
        pad = '0';
    }
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z')   /* long and size_t are int-sized on i386 */
      fmt++;
    switch (*fmt) {
    case 'd':
    case 'i': {
      int v = va_arg(ap, int);
      putnum(&o, v < 0 ? -(uint32_t)v : (uint32_t)v, 10, v < 0, width, pad, left);
      break;
    }
    case 'u':
      putnum(&o, va_arg(ap, uint32_t), 10, false, width, pad, left);
      break;
    case 'x':
      putnum(&o, va_arg(ap, uint32_t), 16, false, width, pad, left);
      break;
    case 'p':
      put(&o, '0');
      put(&o, 'x');
      putnum(&o, (uint32_t)va_arg(ap, void *), 16, false, 8, '0', false);
      break;
    case 's':
      putstr(&o, va_arg(ap, const char *), width, left);
      break;
    case 'c':
      put(&o, (char)va_arg(ap, int));
      break;
    case '%':
      put(&o, '%');
      break;
    case 0:
      return o.len;
    default:                             /* unknown: print it as written */
      put(&o, '%');
      put(&o, *fmt);
    }
  }
  return o.len;
}

struct buf {
  char *p;
  int size, len;
};

static void tobuf(void *ctx, char c) {
  struct buf *b = ctx;
  if (b->len < b->size - 1)
    b->p[b->len] = c;
  b->len++;
}

int kvsnprintf(char *p, int size, const char *fmt, va_list ap) {
  struct buf b = {p, size, 0};
  int n = kformat(tobuf, &b, fmt, ap);
  if (size > 0)
    p[n < size - 1 ? n : size - 1] = 0;
  return n;
}
