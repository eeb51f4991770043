/* false.c: does nothing, unsuccessfully (exit status 1). */
#include "libc.h"

int main(void) {
  return 1;
}
