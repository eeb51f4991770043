/*
 * main.c: the boot loader's test kernel. Prints over COM1 what the loader handed over (the
 * multiboot magic, flags, memory sizes, command line, and each module's string, address, size and
 * first 8 bytes in hex, and the sum of all its bytes), checks that its .bss was zeroed and
 * its .data loaded, then writes 0 to the exit port (F4h).
 */
#include <stdint.h>
#include "libkern/portio.h"
#include "libkern/uart16550.h"

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t mod_start, mod_end, string, reserved;
};

static uint32_t bss_probe[64];
static volatile uint32_t data_probe = 0x600DDA7Au;

static void putc(char c)
{
    uart16550_putc(UART_COM1, c);
}

static void puts(const char *s)
{
    while (*s) {
        if (*s == '\n')
            putc('\r');
        putc(*s++);
    }
}

static void puthex(uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        putc(hex[(v >> shift) & 0xF]);
}

static void putdec(uint32_t v)
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

void kernel_main(uint32_t magic, const struct mb_info *mbi)
{
    uart16550_setup(UART_COM1);
    puts("testkernel: magic ");
    puthex(magic, 8);
    puts("\ntestkernel: flags ");
    puthex(mbi->flags, 8);
    puts("\ntestkernel: mem_lower ");
    putdec(mbi->mem_lower);
    puts(" mem_upper ");
    putdec(mbi->mem_upper);
    puts("\ntestkernel: mmap ");
    putdec(mbi->mmap_length / 24);
    puts(" entries\n");
    int bss_zero = 1;
    for (int i = 0; i < 64; i++)
        bss_zero &= bss_probe[i] == 0;
    puts(bss_zero ? "testkernel: bss zeroed" : "testkernel: bss NOT zeroed");
    puts(data_probe == 0x600DDA7Au ? ", data intact\n" : ", data CORRUPT\n");
    puts("testkernel: cmdline [");
    if (mbi->flags & (1u << 2))
        puts((const char *)mbi->cmdline);
    puts("]\ntestkernel: modules ");
    putdec(mbi->flags & (1u << 3) ? mbi->mods_count : 0);
    puts("\n");
    const struct mb_module *mods = (const struct mb_module *)mbi->mods_addr;
    for (uint32_t i = 0; (mbi->flags & (1u << 3)) && i < mbi->mods_count; i++) {
        const uint8_t *p = (const uint8_t *)mods[i].mod_start;
        uint32_t size = mods[i].mod_end - mods[i].mod_start;
        puts("testkernel: module ");
        putdec(i);
        puts(" [");
        puts((const char *)mods[i].string);
        puts("] at ");
        puthex(mods[i].mod_start, 8);
        puts(" size ");
        putdec(size);
        puts(" bytes");
        for (uint32_t j = 0; j < 8 && j < size; j++) {
            putc(' ');
            puthex(p[j], 2);
        }
        uint32_t sum = 0;
        for (uint32_t j = 0; j < size; j++)
            sum += p[j];
        puts(" sum ");
        puthex(sum, 8);
        puts("\n");
    }
    puts("testkernel: done\n");
    outb(0xF4, 0);
    for (;;)
        __asm__ volatile("cli; hlt");
}
