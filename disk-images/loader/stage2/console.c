/*
 * console.c: loader messages on the screen (INT 10h AH=0Eh teletype) and on COM1 (libkern's 16550
 * code: polled, 115200 8N1, a bounded THR-empty wait so a machine without a UART does not hang).
 */
#include "loader.h"
#include "libkern/uart16550.h"

void console_init(void)
{
    uart16550_setup(UART_COM1);
}

static void putc_serial(char c)
{
    uart16550_putc(UART_COM1, c);
}

static void putc_screen(char c)
{
    struct bios_regs r = {0};
    r.eax = 0x0E00u | (uint8_t)c;
    r.ebx = 0x0007;
    bios_int(0x10, &r);
}

static void putc(char c)
{
    if (c == '\n') {
        putc_serial('\r');
        putc_screen('\r');
    }
    putc_serial(c);
    putc_screen(c);
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

void puthex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        putc(digits[(v >> shift) & 0xF]);
}

void putdec(uint32_t v)
{
    char buf[11];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (i > 0)
        putc(buf[--i]);
}

void panic(const char *what)
{
    puts("jx86-loader: error: ");
    puts(what);
    puts("\n");
    for (;;)
        __asm__ volatile("cli; hlt");
}
