/* uart.c: COM1, a 16550 UART (NS16550A datasheet): polled transmit, interrupt-driven receive (IRQ 4). */
#include "defs.h"
#include "x86.h"
#include "traps.h"

#define COM1 0x3F8
/* register offsets from COM1 */
#define RBR 0   /* receive buffer (read) */
#define THR 0   /* transmit holding (write) */
#define DLL 0   /* divisor latch low, when LCR.DLAB = 1 */
#define IER 1   /* interrupt enable */
#define DLM 1   /* divisor latch high, when LCR.DLAB = 1 */
#define FCR 2   /* FIFO control (write) */
#define IIR 2   /* interrupt identification (read) */
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */

static bool present;
static char early[64];               /* bytes that arrived before the FIFOs were set up */
static int nearly, rearly;

/* 115200 baud 8N1, FIFOs on, receive interrupt on. Returns false when no UART answers (LSR reads 0xFF). */
bool uartinit(void) {
  outb(COM1 + IER, 0);
  /* Input may already be waiting (a host that types ahead): turning the FIFO on clears it,
   * so keep it for the console. */
  while (nearly < (int)sizeof(early) && inb(COM1 + LSR) != 0xFF && (inb(COM1 + LSR) & LSR_DR))
    early[nearly++] = inb(COM1 + RBR);
  outb(COM1 + LCR, 0x80);            /* DLAB: the next two writes set the baud divisor */
  outb(COM1 + DLL, 1);               /* 115200 / 1 */
  outb(COM1 + DLM, 0);
  outb(COM1 + LCR, 0x03);            /* 8 data bits, no parity, 1 stop bit, DLAB off */
  outb(COM1 + FCR, 0x07);            /* enable and clear both FIFOs */
  outb(COM1 + MCR, 0x0B);            /* DTR, RTS, OUT2: OUT2 gates the IRQ line to the PIC */
  if (inb(COM1 + LSR) == 0xFF)
    return false;
  present = true;
  outb(COM1 + IER, 0x01);            /* interrupt on received data */
  (void)inb(COM1 + IIR);             /* clear an interrupt pending from before */
  picenable(IRQ_COM1);
  if (nearly > 0)
    uartintr();                      /* no interrupt will announce what we drained */
  return true;
}

void uartputc(int c) {
  if (!present)
    return;
  /* bounded wait: a wedged UART must not hang the kernel (or a panic message) forever */
  for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
    ;
  outb(COM1 + THR, c);
}

static int uartgetc(void) {
  if (rearly < nearly)
    return (uint8_t)early[rearly++];
  if (!(inb(COM1 + LSR) & LSR_DR))
    return -1;
  return inb(COM1 + RBR);
}

void uartintr(void) {
  consoleintr(uartgetc);
}
