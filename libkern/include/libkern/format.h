/* libkern/format.h: printf-style formatting for the kernels and the user C library: %d %i %u %x %p
 * %s %c %% with a width, '0' padding (after a sign) and '-' (left-justified); 'l' and 'z' are
 * accepted and ignored (long and size_t are int-sized on i386). */
#pragma once
#include <stdarg.h>

/* Formats fmt/ap, handing each character to put(ctx, c); returns the number of characters. */
int kformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated when size > 0); returns the untruncated length. */
int kvsnprintf(char *buf, int size, const char *fmt, va_list ap);
