/* fputests.c: the x87 per process (init=/bin/fputests):
 *  1. dividing by zero with the zero-divide exception unmasked kills the process with SIGFPE
 *     (#MF at the next waiting FPU instruction);
 *  2. with it masked the quotient is infinity;
 *  3. two processes computing at the same time, each sleeping between steps so the other runs,
 *     keep their own control word and register stack.
 * The C code is built with -mno-80387, so the FPU is used through inline assembly.
 * Prints "fputests: ok ..." per check, then "fputests: all passed", and powers off. */
#include "libc.h"

static int failures;

#define CHECK(cond, ...) do {                                      \
    int ok_ = (cond);                                               \
    printf(ok_ ? "fputests: ok   " : "fputests: FAIL ");          \
    failures += !ok_;                                               \
    printf(__VA_ARGS__);                                            \
    printf("\n");                                                   \
  } while (0)

static const uint64_t zero = 0;

/* 1.0 / 0.0 under control word cw, stored as a double (the store is the waiting instruction that
 * reports an unmasked exception). */
static uint64_t one_over_zero(uint16_t cw) {
  uint64_t r = 0;
  __asm__ volatile("fninit\n\t"
                   "fldcw %1\n\t"
                   "fld1\n\t"
                   "fdivl %2\n\t"
                   "fstpl %0\n\t"
                   "fwait"
                   : "=m"(r) : "m"(cw), "m"(zero));
  return r;
}

static void test_divide_by_zero(void) {
  pid_t pid = fork();
  if (pid == 0) {
    one_over_zero(0x037B);              /* ZM clear: zero divide unmasked */
    _exit(0);                           /* not reached */
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK((status & 0x7F) == SIGFPE, "unmasked divide by zero: SIGFPE (status %x)", status);

  uint64_t r = one_over_zero(0x037F);
  CHECK(r == 0x7FF0000000000000ULL, "masked divide by zero: +inf (%08x%08x)", (unsigned)(r >> 32),
        (unsigned)r);
}

/* Loads 'start', sets control word 'cw', then 20 times adds 1 and sleeps; returns the final
 * integer and the control word in force at the end. */
static int32_t count_in_fpu(int32_t start, uint16_t cw, uint16_t *cw_out) {
  static const int32_t one = 1;
  struct timespec ts = {0, 2000000};
  __asm__ volatile("fninit\n\tfldcw %0\n\tfildl %1" : : "m"(cw), "m"(start));
  for (int i = 0; i < 20; i++) {
    __asm__ volatile("fiaddl %0" : : "m"(one));
    nanosleep(&ts, 0);                  /* the other process runs (and uses the FPU) now */
  }
  int32_t v = 0;
  __asm__ volatile("fnstcw %0\n\tfistpl %1\n\tfwait" : "=m"(*cw_out), "=m"(v));
  return v;
}

static void test_parallel(void) {
  pid_t pid = fork();
  uint16_t cw = 0;
  if (pid == 0) {
    int32_t v = count_in_fpu(2000, 0x0C7F, &cw);   /* 24-bit precision, round toward zero */
    _exit(v == 2020 && cw == 0x0C7F ? 0 : 1);
  }
  int32_t v = count_in_fpu(1000, 0x027F, &cw);     /* 53-bit precision, round to nearest */
  int status = -1;
  waitpid(pid, &status, 0);
  CHECK(v == 1020 && cw == 0x027F, "parallel: the parent kept its FPU state (%d, cw %x)", (int)v, cw);
  CHECK(status == 0, "parallel: the child kept its FPU state (status %x)", status);
}

int main(void) {
  printf("fputests: starting\n");
  test_divide_by_zero();
  test_parallel();
  return tests_done("fputests", failures);
}
