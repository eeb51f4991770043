/* pic.c: 8259A initialisation (datasheet: ICW1..ICW4) and EOI; the BIOS's mapping of IRQ 0-7 onto
 * vectors 8-15 collides with CPU exceptions, hence the remap. */
#include "guest.h"
#include "pic.h"

void pic_init(void)
{
    outb(0x20, 0x11); io_wait();            /* ICW1: edge, cascade, ICW4 follows */
    outb(0xA0, 0x11); io_wait();
    outb(0x21, PIC_BASE); io_wait();        /* ICW2: vector base */
    outb(0xA1, PIC_BASE + 8); io_wait();
    outb(0x21, 0x04); io_wait();            /* ICW3: slave on IRQ2 */
    outb(0xA1, 0x02); io_wait();
    outb(0x21, 0x01); io_wait();            /* ICW4: 8086 mode, normal EOI */
    outb(0xA1, 0x01); io_wait();
    outb(0x21, 0xFB);                       /* all masked except the cascade */
    outb(0xA1, 0xFF);
}

void pic_unmask(int irq)
{
    uint16_t port = irq < 8 ? 0x21 : 0xA1;
    outb(port, inb(port) & (uint8_t)~(1u << (irq & 7)));
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(0xA0, 0x20);
    outb(0x20, 0x20);
}
