/* io.c: polled output on COM1, the check lines, and the exit port (0xF4). */
#include "guest.h"

#define COM1 0x3F8

static int checks, failures;

static inline void outb(unsigned short port, unsigned char v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
    unsigned char v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB on to set the divisor */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0xC7);   /* FIFOs on and cleared */
}

static void putc(char c)
{
    while ((inb(COM1 + 5) & 0x20) == 0)
        ;                   /* wait for the transmitter */
    outb(COM1, (unsigned char)c);
}

void serial_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            putc('\r');
        putc(*s);
    }
}

static void puthex(l4_word_t v)
{
    serial_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        putc("0123456789abcdef"[(v >> shift) & 0xF]);
}

void check_word(const char *name, l4_word_t got, l4_word_t want)
{
    checks++;
    if (got == want) {
        serial_puts("idl: ok ");
        serial_puts(name);
    } else {
        failures++;
        serial_puts("idl: FAIL ");
        serial_puts(name);
        serial_puts(" got ");
        puthex(got);
        serial_puts(" want ");
        puthex(want);
    }
    serial_puts("\n");
}

static void putdec(l4_word_t v)
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

void info(const char *name, l4_word_t value)
{
    serial_puts("idl: info ");
    serial_puts(name);
    putc('=');
    putdec(value);
    serial_puts("\n");
}

/* Retired instructions so far, from jx86's counter device (ports 0x5A0-0x5AF; docs/mmu.md). */
l4_word_t instructions_now(void)
{
    l4_word_t v;
    __asm__ volatile("outl %0, %1" : : "a"(1u), "Nd"((unsigned short)0x5AC));   /* snapshot */
    __asm__ volatile("outl %0, %1" : : "a"(1u), "Nd"((unsigned short)0x5A0));   /* counter 1: instructions */
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((unsigned short)0x5A4));
    return v;
}

void check_true(const char *name, int ok)
{
    check_word(name, ok != 0, 1);
}

int check_summary(void)
{
    serial_puts(failures == 0 ? "idl: done, all passed\n" : "idl: done, some FAILED\n");
    return failures != 0;
}

int bytes_equal(const char *a, const char *b, l4_word_t n)
{
    for (l4_word_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

_Noreturn void guest_exit(l4_word_t code)
{
    __asm__ volatile("outl %0, %1" : : "a"(code), "Nd"((unsigned short)0xF4));
    for (;;)
        __asm__ volatile("cli; hlt");
}
