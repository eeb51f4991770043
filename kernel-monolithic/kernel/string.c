/* string.c: the string functions the kernel exports to modules; they live in libkern/string.c,
 * shared with the other kernels. */
#include "defs.h"
#include "module.h"

EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
