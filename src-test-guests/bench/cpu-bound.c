/* cpu-bound.c: a CPU-bound workload for measuring emulator speed: integer ALU and mul/div,
 * branches and calls, paged memory traffic over 4 MiB, string instructions (REP MOVSB/STOSD), CRC32
 * and FNV-1a hashes and a heap sort. Every phase feeds one checksum, printed as
 * "bench checksum=0x...", so that a wrong result can never pass as a fast one. One iteration is
 * about 84 million jx86 instructions; "iters=N" on the multiboot command line runs N of them
 * (default 1; 0 boots, prints the checksum of no work and exits: the zero-work variant). No timing
 * inside (the host measures), no dependence on devices or time. */
#include "guest.h"
#include "bench.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

#define BIG      ((uint32_t *)0x00400000)   /* 4 MiB working set, 4 KiB pages */
#define BIG_WORDS (4u << 20 >> 2)
#define SORT_N   16384u
#define SORT_BUF ((uint32_t *)0x00800000)
#define STR_A    ((uint8_t *)0x00900000)
#define STR_B    ((uint8_t *)0x00920000)
#define STR_LEN  0x10000u

static uint32_t rng = 0x12345678;

static uint32_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 16777619u;
}

/* ALU, multiply and divide with data-dependent branches. */
static uint32_t phase_alu(uint32_t rounds)
{
    uint32_t acc = 1, q = 0;
    for (uint32_t i = 0; i < rounds; i++) {
        uint32_t x = xorshift();
        acc += x * 2654435761u;
        acc = (acc << 7) | (acc >> 25);
        if (x & 1)
            acc ^= x >> 3;
        else
            acc -= x / ((i & 255) + 1);
        q += (uint32_t)(((uint64_t)x * acc) >> 32) % 1000003u;
    }
    return acc ^ q;
}

/* Calls: recursion plus an indirect call through a table. */
static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b << 1); }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b * 3; }
static uint32_t (*const ops[3])(uint32_t, uint32_t) = { op_add, op_xor, op_sub };

static uint32_t phase_calls(uint32_t rounds)
{
    uint32_t h = fib(22);
    for (uint32_t i = 0; i < rounds; i++)
        h = ops[i % 3](h, i);
    return h;
}

/* Memory: fill, then strided read-modify-write walks that touch every page repeatedly. */
static uint32_t phase_memory(uint32_t passes)
{
    for (uint32_t i = 0; i < BIG_WORDS; i++)
        BIG[i] = i * 0x9E3779B9u;
    uint32_t h = 0;
    for (uint32_t p = 0; p < passes; p++) {
        uint32_t stride = 1021 + p * 2;     /* odd: visits every word once per pass */
        uint32_t idx = p;
        for (uint32_t i = 0; i < BIG_WORDS / 4; i++) {
            idx = (idx + stride) & (BIG_WORDS - 1);
            BIG[idx] += h;
            h = mix(h, BIG[idx]);
        }
    }
    return h;
}

/* String instructions. */
static uint32_t phase_strings(uint32_t rounds)
{
    uint32_t h = 0;
    uint32_t n0 = (STR_B + STR_LEN - STR_A) / 4;
    void *d0 = STR_A;
    /* Nothing may depend on what RAM held at power-on. */
    __asm__ volatile("cld; rep stosl" : "+D"(d0), "+c"(n0) : "a"(0) : "memory");
    for (uint32_t r = 0; r < rounds; r++) {
        uint32_t pattern = xorshift();
        uint32_t n = STR_LEN / 4;
        void *d = STR_A;
        __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(n) : "a"(pattern) : "memory");
        STR_A[r & 0xFFFF] ^= (uint8_t)r;
        const void *s = STR_A + (r & 7);
        d = STR_B + ((r >> 3) & 7);
        n = STR_LEN - 8;
        __asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
        h = mix(h, ((uint32_t *)STR_B)[r & 0x3FF]);
        h = mix(h, STR_B[(r * 7919) & 0xFFF7]);
    }
    return h;
}

/* CRC32 (reflected, polynomial 0xEDB88320, table driven) over the string buffer. */
static uint32_t crc_table[256];

static uint32_t phase_crc(uint32_t rounds)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t r = 0; r < rounds; r++)
        for (uint32_t i = 0; i < STR_LEN; i++)
            crc = crc_table[(crc ^ STR_B[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* Heap sort, then verify the order. */
static void sift(uint32_t *a, uint32_t start, uint32_t end)
{
    uint32_t root = start;
    while (2 * root + 1 < end) {
        uint32_t child = 2 * root + 1;
        if (child + 1 < end && a[child] < a[child + 1])
            child++;
        if (a[root] >= a[child])
            return;
        uint32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static uint32_t phase_sort(void)
{
    uint32_t *a = SORT_BUF;
    for (uint32_t i = 0; i < SORT_N; i++)
        a[i] = xorshift();
    for (uint32_t i = SORT_N / 2; i-- > 0;)
        sift(a, i, SORT_N);
    for (uint32_t end = SORT_N - 1; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
    uint32_t h = 0, sorted = 1;
    for (uint32_t i = 0; i < SORT_N; i++) {
        if (i && a[i - 1] > a[i])
            sorted = 0;
        h = mix(h, a[i]);
    }
    check_true("sort-ordered", sorted, "heap sort result not ordered");
    return h;
}

int guest_main(uint32_t magic, const struct bench_mb_info *mbi)
{
    uint32_t iters = bench_arg(magic, mbi, "iters", 1);
    guest_setup();
    paging_identity(16);
    paging_enable();
    uint64_t t0 = rdtsc();

    /* the iterations continue one another (the random generator and the string buffers carry
     * over), so each one is new work; iteration 1 alone gives the checksum QEMU printed before
     * this guest took a count */
    uint32_t sum = 2166136261u;
    for (uint32_t it = 0; it < iters; it++) {
        sum = mix(sum, phase_alu(800000));
        sum = mix(sum, phase_calls(700000));
        sum = mix(sum, phase_memory(6));
        sum = mix(sum, phase_strings(200));
        sum = mix(sum, phase_crc(24));
        sum = mix(sum, phase_sort());
    }

    uint64_t t1 = rdtsc();
    paging_disable();
    check_info("tsc-delta", (uint32_t)(t1 - t0));
    check_info_dec("iterations", iters);
    serial_puts("bench checksum=");
    serial_puthex(sum);
    serial_puts("\n");
    return check_done();
}
