/* guest.h: the small runtime every bare-metal test guest links against. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* COM1, 115200 8N1, polled. */
void serial_init(void);
void serial_putc(char c);
void serial_puts(const char *s);
void serial_puthex(uint32_t v);
void serial_putdec(uint32_t v);

/* Writes the exit port (0xF4, QEMU isa-debug-exit compatible); jx86 exits with status `code`. */
void guest_exit(uint32_t code) __attribute__((noreturn));

#endif
