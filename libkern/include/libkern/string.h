/* libkern/string.h: the C string and memory functions every kernel uses (gcc may also emit calls
 * to memcpy/memset, so a kernel must link libkern/string.c). */
#pragma once
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *safestrcpy(char *dst, const char *src, size_t n);
const char *strrchr(const char *s, int c);
