/* insmod.c: loads a kernel module from a file: insmod /lib/modules/hello.ko [params]. The kernel
 * log (the console) says why a load failed; insmod adds kmod's wording for the error number. */
#include "libc.h"

/* kmod's mod_strerror: what a failed init_module means for a module */
static const char *mod_strerror(int err) {
  switch (err) {
  case ENOEXEC: return "Invalid module format";
  case ENOENT: return "Unknown symbol in module, or missing dependency";
  case EEXIST: return "Module already loaded";
  case EINVAL: return "Invalid parameters";
  default: return strerror(err);
  }
}

int main(int argc, char **argv) {
  int len;
  if (argc < 2) {
    dprintf(2, "usage: insmod file.ko [params]\n");
    return 2;
  }
  void *image = readfile(argv[1], &len);
  if (!image) {
    dprintf(2, "insmod: ERROR: could not load module %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  char params[256] = "";
  for (int i = 2, n = 0; i < argc && n < (int)sizeof(params) - 1; i++)   /* "a=1 b=2" */
    n += snprintf(params + n, sizeof(params) - n, i > 2 ? " %s" : "%s", argv[i]);
  if (init_module(image, len, params) < 0) {
    dprintf(2, "insmod: ERROR: could not insert module %s: %s\n", argv[1], mod_strerror(errno));
    return 1;
  }
  return 0;
}
