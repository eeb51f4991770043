/* mem-walk.c: a memory-heavy workload for measuring emulator speed: with paging on (4 KiB pages),
 * a random walk over a 64 MiB working set, 16,384 pages, far more than any TLB holds, so nearly
 * every access needs a page walk (a D-TLB miss) on every emulator. Each step reads a word, writes
 * it back changed and feeds what it read into an FNV-1a hash, printed as "bench checksum=0x...".
 *
 * "iters=N" on the multiboot command line runs N x 2^20 steps (default 1); iters=0 is the zero-work
 * variant (boot, paging and the zero fill, no walk). The working set is zeroed first, so nothing
 * depends on what RAM held at power-on. Needs 96 MiB of guest RAM. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"
#include "bench.h"

#define WS_BASE   0x01000000u          /* 16 MiB: well above this image, the loader and its data */
#define WS_WORDS  (64u << 20 >> 2)     /* a power of two: a step's index is a mask of the generator */
#define MAP_MIB   96u                  /* identity-mapped: the image, the stack and the working set */
#define STEPS     (1u << 20)           /* per iteration */

/* lib/paging.c maps at most 16 MiB, so this guest has its own tables: 24 of them, 4 KiB pages. */
static uint32_t walk_dir[1024] __attribute__((aligned(4096)));
static uint32_t walk_tables[MAP_MIB / 4][1024] __attribute__((aligned(4096)));

static void map_identity(void)
{
    for (uint32_t t = 0; t < MAP_MIB / 4; t++) {
        for (uint32_t i = 0; i < 1024; i++)
            walk_tables[t][i] = (t << 22) | (i << 12) | PTE_P | PTE_W;
        walk_dir[t] = (uint32_t)walk_tables[t] | PTE_P | PTE_W;
    }
    write_cr3((uint32_t)walk_dir);
    write_cr0(read_cr0() | CR0_PG);
}

static uint32_t rng = 0x2545F491u;

/* One iteration: STEPS dependent read-modify-writes at random words of the working set. */
static uint32_t walk(uint32_t h)
{
    uint32_t *ws = (uint32_t *)WS_BASE;
    uint32_t x = rng;
    for (uint32_t i = 0; i < STEPS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t idx = x & (WS_WORDS - 1);
        uint32_t v = ws[idx];
        ws[idx] = v + i;
        h = (h ^ v) * 16777619u;
    }
    rng = x;
    return h;
}

int guest_main(uint32_t magic, const struct bench_mb_info *mbi)
{
    uint32_t iters = bench_arg(magic, mbi, "iters", 1);   /* read before anything is overwritten */
    guest_setup();
    map_identity();

    void *d = (void *)WS_BASE;
    uint32_t n = WS_WORDS;
    __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(n) : "a"(0) : "memory");

    uint32_t h = 2166136261u;
    for (uint32_t it = 0; it < iters; it++)
        h = walk(h);

    write_cr0(read_cr0() & ~CR0_PG);
    check_info_dec("iterations", iters);
    serial_puts("bench checksum=");
    serial_puthex(h);
    serial_puts("\n");
    return check_done();
}
