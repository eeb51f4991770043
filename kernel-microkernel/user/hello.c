/* hello.c: the smallest root task: print, ask sigma0 for a page, power off. */
#include "ulib.h"

int main(void) {
  check_prefix = "hello";
  printf("hello: I am %x, sigma0 is %x\n", l4_myself(), l4_kip()->sigma0);
  check(sigma0_page(~0u, 0x10000000), "sigma0 page");
  *(volatile uint32_t *)0x10000000 = 42;
  check(*(volatile uint32_t *)0x10000000 == 42, "page writable");
  poweroff(0);
}
