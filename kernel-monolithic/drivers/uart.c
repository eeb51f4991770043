/* uart.c: COM1, a 16550 UART (NS16550A datasheet): polled transmit, interrupt-driven receive (IRQ 4). */
#include "defs.h"
#include "x86.h"
#include "traps.h"
#include "libkern/uart16550.h"

#define COM1 UART_COM1

static bool present;
static char early[64];               /* bytes that arrived before the FIFOs were set up */
static int nearly, rearly;

/* 115200 baud 8N1, FIFOs on, receive interrupt on. Returns false when no UART answers (LSR reads 0xFF). */
bool uartinit(void) {
  outb(COM1 + UART_IER, 0);
  /* Input may already be waiting (a host that types ahead): turning the FIFO on clears it,
   * so keep it for the console. */
  while (nearly < (int)sizeof(early) && inb(COM1 + UART_LSR) != 0xFF && (inb(COM1 + UART_LSR) & UART_LSR_DR))
    early[nearly++] = inb(COM1 + UART_RBR);
  if (!uart16550_setup(COM1))
    return false;
  present = true;
  outb(COM1 + UART_IER, 0x01);            /* interrupt on received data */
  (void)inb(COM1 + UART_IIR);             /* clear an interrupt pending from before */
  picenable(IRQ_COM1);
  if (nearly > 0)
    uartintr();                      /* no interrupt will announce what we drained */
  return true;
}

void uartputc(int c) {
  if (present)
    uart16550_putc(COM1, c);
}

static int uartgetc(void) {
  if (rearly < nearly)
    return (uint8_t)early[rearly++];
  return uart16550_getc(COM1);
}

void uartintr(void) {
  consoleintr(uartgetc);
}
