/* string.c: the user C library's string functions beyond libkern's (strlen, strcmp, strncmp and the
 * mem* functions come from libkern/string.c, linked into every program). */
#include "libc.h"

char *strcpy(char *dst, const char *src) {
  char *d = dst;
  while ((*d++ = *src++))
    ;
  return dst;
}

char *strchr(const char *s, int c) {
  for (; *s; s++)
    if (*s == (char)c)
      return (char *)s;
  return c == 0 ? (char *)s : 0;
}

char *strstr(const char *s, const char *sub) {
  size_t n = strlen(sub);
  for (; *s; s++)
    if (strncmp(s, sub, n) == 0)
      return (char *)s;
  return n == 0 ? (char *)s : 0;
}

int atoi(const char *s) {
  int neg = *s == '-', v = 0;
  if (*s == '-' || *s == '+')
    s++;
  while (*s >= '0' && *s <= '9')
    v = v * 10 + (*s++ - '0');
  return neg ? -v : v;
}

/* glibc's texts for the errors the kernel returns. */
const char *strerror(int err) {
  switch (err) {
  case EPERM: return "Operation not permitted";
  case ENOENT: return "No such file or directory";
  case ESRCH: return "No such process";
  case EINTR: return "Interrupted system call";
  case EIO: return "Input/output error";
  case ENXIO: return "No such device or address";
  case E2BIG: return "Argument list too long";
  case ENOEXEC: return "Exec format error";
  case EBADF: return "Bad file descriptor";
  case ECHILD: return "No child processes";
  case EAGAIN: return "Resource temporarily unavailable";
  case ENOMEM: return "Cannot allocate memory";
  case EACCES: return "Permission denied";
  case EFAULT: return "Bad address";
  case EBUSY: return "Device or resource busy";
  case EEXIST: return "File exists";
  case ENOTDIR: return "Not a directory";
  case EISDIR: return "Is a directory";
  case EINVAL: return "Invalid argument";
  case ENFILE: return "Too many open files in system";
  case EMFILE: return "Too many open files";
  case ENOTTY: return "Inappropriate ioctl for device";
  case EFBIG: return "File too large";
  case ENOSPC: return "No space left on device";
  case ESPIPE: return "Illegal seek";
  case EROFS: return "Read-only file system";
  case EPIPE: return "Broken pipe";
  case ERANGE: return "Numerical result out of range";
  case ENAMETOOLONG: return "File name too long";
  case ENOSYS: return "Function not implemented";
  case ENOTEMPTY: return "Directory not empty";
  default: return "Unknown error";
  }
}
