/* libkern/uart16550.h: the NS16550A UART's registers and polled set-up and transmit, shared by every
 * kernel (each adds its own receive path: interrupts, a user-level driver, ...). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define UART_COM1 0x3F8
#define UART_COM2 0x2F8
/* register offsets from the base port */
#define UART_RBR 0   /* receive buffer (read) */
#define UART_THR 0   /* transmit holding (write) */
#define UART_DLL 0   /* divisor latch low, when LCR.DLAB = 1 */
#define UART_IER 1   /* interrupt enable */
#define UART_DLM 1   /* divisor latch high, when LCR.DLAB = 1 */
#define UART_FCR 2   /* FIFO control (write) */
#define UART_IIR 2   /* interrupt identification (read) */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_DR   0x01   /* data ready */
#define UART_LSR_THRE 0x20   /* transmit holding register empty */

/* 115200 baud 8N1, FIFOs on and cleared, OUT2 on (it gates the IRQ line), interrupts off.
 * Returns false when no UART answers at base (LSR reads 0xFF). */
bool uart16550_setup(uint16_t base);
/* Polled transmit with a bounded wait, so a wedged UART cannot hang a panic message forever. */
void uart16550_putc(uint16_t base, int c);
/* Polled receive: a byte, or -1 when none is waiting. */
int uart16550_getc(uint16_t base);
