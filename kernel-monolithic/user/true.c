/* true.c: does nothing, successfully (exit status 0). */
#include "libc.h"

int main(void) {
  return 0;
}
