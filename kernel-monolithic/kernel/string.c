/* string.c: the C string and memory functions the kernel uses (gcc may also emit calls to memcpy/memset). */
#include "defs.h"

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n-- > 0)
    *d++ = c;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  const uint8_t *s = src;
  uint8_t *d = dst;
  if (s < d && s + n > d) {        /* overlapping, destination above: copy backwards */
    while (n-- > 0)
      d[n] = s[n];
  } else {
    while (n-- > 0)
      *d++ = *s++;
  }
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
  return memmove(dst, src, n);
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n > 0; n--, x++, y++)
    if (*x != *y)
      return *x - *y;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n > 0 && *a && *a == *b; n--, a++, b++)
    ;
  return n == 0 ? 0 : (uint8_t)*a - (uint8_t)*b;
}

int strcmp(const char *a, const char *b) {
  return strncmp(a, b, (size_t)-1);
}

/* Like strncpy but always NUL-terminates (when n > 0) and does not pad. */
char *safestrcpy(char *dst, const char *src, size_t n) {
  if (n == 0)
    return dst;
  size_t i = 0;
  for (; i + 1 < n && src[i]; i++)
    dst[i] = src[i];
  dst[i] = 0;
  return dst;
}

const char *strrchr(const char *s, int c) {
  const char *last = 0;
  for (; *s; s++)
    if (*s == c)
      last = s;
  return c == 0 ? s : last;
}
