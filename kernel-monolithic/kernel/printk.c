/* printk.c: formatted output for the kernel: %d %u %x %p %s %c with width and '0' padding. */
#include "defs.h"
#include "module.h"

/* A sink is either a buffer (snprintk) or the console (printk): 'buf' is 0 for the console. */
struct sink {
  char *buf;
  int size, len;
};

static void put(struct sink *s, char c) {
  if (!s->buf)
    consputc(c);
  else if (s->len < s->size - 1)
    s->buf[s->len] = c;
  s->len++;
}

static void putnum(struct sink *s, uint32_t v, int base, bool neg, int width, char pad) {
  char tmp[12];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  if (neg)
    tmp[n++] = '-';
  while (width-- > n)
    put(s, pad);
  while (n > 0)
    put(s, tmp[--n]);
}

static void format(struct sink *s, const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(s, *fmt);
      continue;
    }
    char pad = ' ';
    int width = 0;
    bool left = false;             /* "%-12s": pad strings on the right */
    if (*++fmt == '-') {
      left = true;
      fmt++;
    }
    if (*fmt == '0')
      pad = '0';
    while (*fmt >= '0' && *fmt <= '9')
      width = width * 10 + (*fmt++ - '0');
    if (*fmt == 'l')                     /* long is int on i386 */
      fmt++;
    switch (*fmt) {
    case 'd': {
      int v = va_arg(ap, int);
      putnum(s, v < 0 ? -(uint32_t)v : (uint32_t)v, 10, v < 0, width, pad);
      break;
    }
    case 'u':
      putnum(s, va_arg(ap, uint32_t), 10, false, width, pad);
      break;
    case 'x':
      putnum(s, va_arg(ap, uint32_t), 16, false, width, pad);
      break;
    case 'p':
      put(s, '0');
      put(s, 'x');
      putnum(s, (uint32_t)va_arg(ap, void *), 16, false, 8, '0');
      break;
    case 's': {
      const char *str = va_arg(ap, const char *);
      str = str ? str : "(null)";
      int n = strlen(str);
      while (!left && width-- > n)
        put(s, ' ');
      while (*str)
        put(s, *str++);
      while (left && width-- > n)
        put(s, ' ');
      break;
    }
    case 'c':
      put(s, (char)va_arg(ap, int));
      break;
    case '%':
      put(s, '%');
      break;
    case 0:
      return;
    default:                             /* unknown: print it as written */
      put(s, '%');
      put(s, *fmt);
    }
  }
}

void vprintk(const char *fmt, va_list ap) {
  struct sink s = {0, 0, 0};
  format(&s, fmt, ap);
}

void printk(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintk(fmt, ap);
  va_end(ap);
}

int vsnprintk(char *buf, int size, const char *fmt, va_list ap) {
  struct sink s = {buf, size, 0};
  format(&s, fmt, ap);
  if (size > 0)
    buf[MIN(s.len, size - 1)] = 0;
  return s.len;
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
