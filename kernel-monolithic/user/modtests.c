/* modtests.c: checks the module loader through init_module/delete_module with the modules on the
 * test disk (/lib/modules/{hello,dep_a,dep_b,badinit}.ko); runs as init=/bin/modtests. */
#include "libc.h"

static int failures;

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "modtests: ok   " : "modtests: FAIL ");            \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

static int strstr_(const char *hay, const char *needle) {
  for (int n = strlen(needle); *hay; hay++)
    if (strncmp(hay, needle, n) == 0)
      return 1;
  return 0;
}

static int insmod_args(const char *name, const char *args) {
  char path[64];
  int len;
  snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
  void *image = readfile(path, &len);
  if (!image)
    return -100 - errno;
  int r = init_module(image, len, args);
  free(image);
  return r < 0 ? -errno : r;
}

static int insmod(const char *name) {
  return insmod_args(name, "");
}

static int rmmod(const char *name) {
  return delete_module(name, 0) < 0 ? -errno : 0;
}

int main(void) {
  printf("modtests: starting\n");
  CHECK(insmod("hello") == 0, "insmod hello");
  CHECK(insmod("hello") == -EEXIST, "insmod hello again -> EEXIST");
  CHECK(rmmod("hello") == 0, "rmmod hello");
  CHECK(rmmod("hello") == -ENOENT, "rmmod hello again -> ENOENT");
  CHECK(insmod("dep_b") == -ENOENT, "dep_b before dep_a: missing dependency -> ENOENT");
  CHECK(insmod("dep_a") == 0 && insmod("dep_b") == 0, "insmod dep_a, dep_b");
  CHECK(rmmod("dep_a") == -EBUSY, "rmmod dep_a while dep_b uses it -> EBUSY");
  int plen;
  char *mods = readfile("/proc/modules", &plen);
  if (mods)
    mods[plen] = 0;
  CHECK(mods && strstr_(mods, "dep_a 12288 1 dep_b, Live") && strstr_(mods, "dep_b 8192 0 - Live"),
        "/proc/modules shows dep_a used by dep_b");
  free(mods);
  CHECK(rmmod("dep_b") == 0 && rmmod("dep_a") == 0, "rmmod dep_b, then dep_a");
  CHECK(insmod("badinit") == -EIO, "a module whose init fails is not kept (init's -EIO)");
  CHECK(rmmod("badinit") == -ENOENT, "badinit is gone");

  int len;
  char *image = readfile("/lib/modules/hello.ko", &len);
  CHECK(init_module((void *)0xC0000000, 100, "") == -1 && errno == EFAULT, "kernel pointer -> EFAULT");
  CHECK(init_module(image, 40, "") == -1 && errno == ENOEXEC, "truncated image -> ENOEXEC");
  for (int i = 0; i + 9 < len; i++)
    if (memcmp(image + i, "vermagic=", 9) == 0)
      image[i + 9] = 'X';
  CHECK(init_module(image, len, "") == -1 && errno == ENOEXEC, "wrong vermagic -> ENOEXEC");
  char *bin = readfile("/bin/echo", &len);
  CHECK(init_module(bin, len, "") == -1 && errno == ENOEXEC, "an executable is not a module -> ENOEXEC");
  CHECK(insmod("hello") == 0 && rmmod("hello") == 0, "hello still loads and unloads");
  CHECK(insmod_args("hello", "who=world times=2") == 0 && rmmod("hello") == 0, "parameters who=world times=2");
  CHECK(insmod_args("hello", "nosuch=1") == -EINVAL, "unknown parameter -> EINVAL");
  CHECK(insmod_args("hello", "times=lots") == -EINVAL, "bad int value -> EINVAL");

  return tests_done("modtests", failures);
}
