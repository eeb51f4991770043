/* libkern/portio.h: the IA-32 port I/O instructions (IN, OUT and their string forms). */
#pragma once
#include <stdint.h>

static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "d"(port));
  return v;
}
static inline uint16_t inw(uint16_t port) {
  uint16_t v;
  __asm__ volatile("inw %1, %0" : "=a"(v) : "d"(port));
  return v;
}
static inline uint32_t inl(uint16_t port) {
  uint32_t v;
  __asm__ volatile("inl %1, %0" : "=a"(v) : "d"(port));
  return v;
}
static inline void insw(uint16_t port, void *addr, int cnt) {
  __asm__ volatile("cld; rep insw" : "+D"(addr), "+c"(cnt) : "d"(port) : "memory", "cc");
}
static inline void outsw(uint16_t port, const void *addr, int cnt) {
  __asm__ volatile("cld; rep outsw" : "+S"(addr), "+c"(cnt) : "d"(port) : "cc");
}
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "d"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "d"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "d"(port)); }
