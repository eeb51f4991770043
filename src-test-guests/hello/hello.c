/* hello.c: the default guest until a kernel exists: greets over COM1 and powers off. */
#include "guest.h"

int guest_main(uint32_t magic, uint32_t info)
{
    (void)info;
    serial_init();
    serial_puts("Hello from jx86!\n");
    if (magic != 0x2BADB002) {
        serial_puts("FAIL multiboot magic ");
        serial_puthex(magic);
        serial_puts("\n");
        return 1;
    }
    serial_puts("ok multiboot magic\n");
    return 0;
}
