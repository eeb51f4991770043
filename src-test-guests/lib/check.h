/* check.h: one output line per check, so the JUnit side can assert each check by name.
 * Lines: "ok <name>", "FAIL <name> <details>", "info <name>=<value>", and a final "done". */
#ifndef CHECK_H
#define CHECK_H

#include <stdint.h>

#define NO_ERR 0xFFFFFFFFu   /* "this exception pushes no error code" for check_fault */

extern int check_failures;

void check_eq(const char *name, uint32_t actual, uint32_t expected);
#define CHECK_EQ(name, actual, expected) check_eq((name), (uint32_t)(actual), (uint32_t)(expected))
void check_true(const char *name, int cond, const char *detail);
void check_info(const char *name, uint32_t value);
void check_info_dec(const char *name, uint32_t value);
/* Prints "done" and returns the guest's exit code: 0 if every check passed, 1 otherwise. */
int check_done(void);

#endif
