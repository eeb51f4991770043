/* uart16550.c: polled set-up, transmit and receive for a 16550 UART (NS16550A datasheet). */
#include "libkern/uart16550.h"
#include "libkern/portio.h"

bool uart16550_setup(uint16_t base) {
  outb(base + UART_IER, 0);
  outb(base + UART_LCR, 0x80);            /* DLAB: the next two writes set the baud divisor */
  outb(base + UART_DLL, 1);               /* 115200 / 1 */
  outb(base + UART_DLM, 0);
  outb(base + UART_LCR, 0x03);            /* 8 data bits, no parity, 1 stop bit, DLAB off */
  outb(base + UART_FCR, 0x07);            /* enable and clear both FIFOs */
  outb(base + UART_MCR, 0x0B);            /* DTR, RTS, OUT2 */
  return inb(base + UART_LSR) != 0xFF;
}

void uart16550_putc(uint16_t base, int c) {
  for (int i = 0; i < 100000 && !(inb(base + UART_LSR) & UART_LSR_THRE); i++)
    ;
  outb(base + UART_THR, c);
}

int uart16550_getc(uint16_t base) {
  if (!(inb(base + UART_LSR) & UART_LSR_DR))
    return -1;
  return inb(base + UART_RBR);
}
