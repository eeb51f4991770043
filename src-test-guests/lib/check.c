/* check.c: the check library; failures print both values so a log alone explains the failure. */
#include "guest.h"
#include "check.h"

int check_failures;

void check_eq(const char *name, uint32_t actual, uint32_t expected)
{
    if (actual == expected) {
        serial_puts("ok ");
        serial_puts(name);
        serial_puts("\n");
        return;
    }
    check_failures++;
    serial_puts("FAIL ");
    serial_puts(name);
    serial_puts(" actual=");
    serial_puthex(actual);
    serial_puts(" expected=");
    serial_puthex(expected);
    serial_puts("\n");
}

void check_true(const char *name, int cond, const char *detail)
{
    if (cond) {
        serial_puts("ok ");
        serial_puts(name);
        serial_puts("\n");
        return;
    }
    check_failures++;
    serial_puts("FAIL ");
    serial_puts(name);
    serial_puts(" ");
    serial_puts(detail);
    serial_puts("\n");
}

void check_info(const char *name, uint32_t value)
{
    serial_puts("info ");
    serial_puts(name);
    serial_puts("=");
    serial_puthex(value);
    serial_puts("\n");
}

void check_info_dec(const char *name, uint32_t value)
{
    serial_puts("info ");
    serial_puts(name);
    serial_puts("=");
    serial_putdec(value);
    serial_puts("\n");
}

int check_done(void)
{
    serial_puts("done\n");
    return check_failures ? 1 : 0;
}
