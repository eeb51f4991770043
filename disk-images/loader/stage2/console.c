/*
 * console.c: loader messages on the screen (INT 10h AH=0Eh teletype) and on COM1 (16550 at 3F8h,
 * polled, 115200 8N1). The THR-empty wait is bounded so a machine without a UART does not hang.
 */
#include "loader.h"

#define COM1 0x3F8

void console_init(void)
{
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x80);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0xC7);
    outb(COM1 + 4, 0x03);
}

static void putc_serial(char c)
{
    for (int spin = 0; spin < 100000; spin++) {
        if (inb(COM1 + 5) & 0x20)
            break;
    }
    outb(COM1, (uint8_t)c);
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
