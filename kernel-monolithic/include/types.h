/* types.h: the kernel's basic types; the freestanding C11 headers supply the fixed-width ones. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>

typedef uint32_t uaddr_t;   /* a user-space virtual address: never dereference it, use uaccess.c */
