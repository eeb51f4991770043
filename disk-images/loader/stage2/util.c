/*
 * util.c: the few libc routines the loader needs (gcc may also emit calls to memcpy/memset).
 * Whole dwords move with REP MOVSD/STOSD, so loading a large module costs few instructions even on
 * an interpreting emulator; the direction flag is clear throughout stage 2 (entry.S).
 */
#include "loader.h"

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t dwords = n / 4, bytes = n % 4;
    __asm__ volatile("rep movsl\n\t"
                     "mov %[bytes], %%ecx\n\t"
                     "rep movsb"
                     : "+D"(d), "+S"(src), "+c"(dwords)
                     : [bytes] "r"(bytes)
                     : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint32_t pattern = (uint8_t)c * 0x01010101u;
    size_t dwords = n / 4, bytes = n % 4;
    __asm__ volatile("rep stosl\n\t"
                     "mov %[bytes], %%ecx\n\t"
                     "rep stosb"
                     : "+D"(d), "+c"(dwords)
                     : "a"(pattern), [bytes] "r"(bytes)
                     : "memory");
    return dst;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
