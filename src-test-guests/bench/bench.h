/* bench.h: what the benchmark guests share: their iteration count from the multiboot command line.
 * `jx86 bench --compare` boots the same guest twice per emulator, once with the full count and
 * once with 0 (the zero-work variant, same binary), and subtracts the second's time: what is left
 * is the workload alone. Header-only, so that the Makefile does not take it for a guest. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* The start of the Multiboot 0.6.96 information structure (section 3.3): flags bit 2 = cmdline. */
struct bench_mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

#define MB_BOOT_MAGIC 0x2BADB002u

/* The decimal value of "key=N" in the command line, or `fallback` when it is absent or the guest
 * was not booted by a multiboot loader. The key must start the line or follow a blank: QEMU's
 * -kernel puts the kernel's path in front of -append's text, the jx86 loader passes it as written. */
static inline uint32_t bench_arg(uint32_t magic, const struct bench_mb_info *mbi, const char *key,
                                 uint32_t fallback)
{
    if (magic != MB_BOOT_MAGIC || !(mbi->flags & 4) || !mbi->cmdline)
        return fallback;
    const char *s = (const char *)mbi->cmdline;
    uint32_t n = 0;
    while (key[n])
        n++;
    for (const char *p = s; *p; p++) {
        if (p != s && p[-1] != ' ')
            continue;
        uint32_t i = 0;
        while (i < n && p[i] == key[i])
            i++;
        if (i < n || p[n] != '=' || p[n + 1] < '0' || p[n + 1] > '9')
            continue;
        uint32_t v = 0;
        for (p += n + 1; *p >= '0' && *p <= '9'; p++)
            v = v * 10 + (uint32_t)(*p - '0');
        return v;
    }
    return fallback;
}

#endif
