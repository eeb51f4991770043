/* uart-echo.c: 16550 receive interrupts (IER bit 0, MCR.OUT2 gates the IRQ line) on IRQ4 through the
 * 8259: echoes every received byte in upper case until '\n', then reports. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "pic.h"

#define COM1 0x3F8

static volatile int line_done;
static volatile uint32_t irqs, bytes;

static void on_com1(struct frame *f)
{
    (void)f;
    irqs++;
    while (inb(COM1 + 5) & 0x01) {          /* LSR.DR: drain the FIFO */
        char c = (char)inb(COM1);
        bytes++;
        if (c == '\r')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == '\n') {
            line_done = 1;
            serial_puts("\n");
        } else {
            serial_putc(c);
        }
    }
    pic_eoi(4);
}

int guest_main(void)
{
    guest_setup();
    pic_init();
    idt_set_handler(PIC_BASE + 4, on_com1);
    /* Input that arrived before this point stays in the FIFO: enabling the interrupt below raises
     * IRQ4 at once for it (the 16550 re-evaluates its interrupt conditions when IER is written). */
    outb(COM1 + 4, 0x0B);                   /* DTR, RTS, OUT2 */
    outb(COM1 + 1, 0x01);                   /* IER: received data available */
    pic_unmask(4);
    CHECK_EQ("ier-readback", inb(COM1 + 1), 0x01);
    serial_puts("info ready\n");
    while (!line_done)
        __asm__ volatile("sti; hlt; cli");   /* STI's one-instruction shadow: no wake-up is lost */
    check_true("echo", irqs > 0, "no interrupt");
    check_info_dec("bytes", bytes);
    check_info_dec("irqs", irqs);
    return check_done();
}
