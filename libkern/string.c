/* string.c: the C string and memory functions (gcc may also emit calls to memcpy/memset). */
#include <stdint.h>
#include "libkern/string.h"

/* memset and memmove use the string instructions: one REP instruction per call instead of a
 * loop of several instructions per byte, which matters on an emulator that fast-paths REP. */
void *memset(void *dst, int c, size_t n) {
  void *d = dst;
  if (((uint32_t)dst & 3) == 0 && (n & 3) == 0) {
    size_t words = n / 4;
    __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(words) : "a"((c & 0xFF) * 0x01010101u) : "memory", "cc");
  } else {
    __asm__ volatile("cld; rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory", "cc");
  }
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  void *d = dst;
  const void *s = src;
  if (s < d && (const char *)s + n > (char *)d) {
    /* overlapping with the destination above: copy backwards, from the last byte */
    d = (char *)d + n - 1;
    s = (const char *)s + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory", "cc");
  } else if ((((uint32_t)d | (uint32_t)s | n) & 3) == 0) {
    size_t words = n / 4;
    __asm__ volatile("cld; rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory", "cc");
  } else {
    __asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory", "cc");
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
