/* serial.c: polled output on COM1 through libkern's 16550 code, and the exit port. */
#include "guest.h"

#include "libkern/uart16550.h"

void serial_init(void)
{
    uart16550_setup(UART_COM1);
}

void serial_putc(char c)
{
    uart16550_putc(UART_COM1, c);
}

void serial_puts(const char *s)
{
    while (*s) {
        if (*s == '\n')
            serial_putc('\r');
        serial_putc(*s++);
    }
}

void serial_puthex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    serial_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        serial_putc(digits[(v >> shift) & 0xF]);
}

void serial_putdec(uint32_t v)
{
    char buf[11];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (i > 0)
        serial_putc(buf[--i]);
}

void guest_exit(uint32_t code)
{
    outl(0xF4, code);
    for (;;)
        __asm__ volatile("cli; hlt");
}
