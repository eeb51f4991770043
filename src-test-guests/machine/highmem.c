/* highmem.c: RAM above 2 GiB, up to the end of a 3 GiB machine, used as an OS would use it: flat
 * segments and no paging first, then 32-bit paging (no PAE) with 4 MiB and 4 KiB pages and a page
 * table that itself lies above 2 GiB.
 *
 * At every 256 MiB boundary below the top of RAM (the emulator may keep RAM in pieces; a physical
 * address of 2 GiB or more is negative as a 32-bit signed number) it stores and loads across the
 * boundary: an unaligned 4-byte and 2-byte access, REP MOVS in three widths and directions, REP
 * STOS, and an instruction that straddles it. Then: the last word and byte of RAM, the first
 * address above it (unassigned: reads all ones), a tag in every MiB (no two MiB share storage),
 * code run from above 2 GiB and patched there (the decoded-code cache must see the store), and,
 * when a disk is attached, an ATA PIO read (REP INSW) into memory across 2 GiB.
 * The top of RAM comes from the multiboot information (mem_upper). */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"

struct mb_info {
    uint32_t flags, mem_lower, mem_upper;
};

#define MIB      (1u << 20)
#define STEP     (256u * MIB)
#define TWO_GIB  0x80000000u
#define LA_LOW   0x40000000u   /* 4 MiB page -> the 4 MiB below 2 GiB */
#define LA_HIGH  0x40400000u   /* 4 MiB page -> the 4 MiB from 2 GiB */
#define LA_TOP   0x40800000u   /* 4 MiB page -> the last 4 MiB of RAM */
#define LA_PT    0x41000000u   /* 4 KiB pages through a page table at PT_PHYS */
#define PT_PHYS  0x80100000u
#define PG_PHYS  0x80200000u

static uint32_t ramtop;
static uint8_t low_src[64], low_dst[64];

#define U8(a)  (*(volatile uint8_t *)(uintptr_t)(a))
#define U16(a) (*(volatile uint16_t *)(uintptr_t)(a))
#define U32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* "prefix-0x<addr>": one check name per address; check_* prints it before the next call. */
static const char *nm(const char *prefix, uint32_t a)
{
    static char buf[48];
    static const char hex[] = "0123456789abcdef";
    uint32_t n = 0;
    while (*prefix && n < sizeof buf - 12)
        buf[n++] = *prefix++;
    buf[n++] = '-';
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int s = 28; s >= 0; s -= 4)
        buf[n++] = hex[(a >> s) & 15];
    buf[n] = 0;
    return buf;
}

static void movsb(uint32_t dst, uint32_t src, uint32_t n)
{
    __asm__ volatile("cld; rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void movsw(uint32_t dst, uint32_t src, uint32_t n)
{
    __asm__ volatile("cld; rep movsw" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void movsl(uint32_t dst, uint32_t src, uint32_t n)
{
    __asm__ volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void stosl(uint32_t dst, uint32_t value, uint32_t n)
{
    __asm__ volatile("cld; rep stosl" : "+D"(dst), "+c"(n) : "a"(value) : "memory");
}

/* Number of bytes of [a, a + n) that differ from the pattern (i * 7 + seed). */
static uint32_t pattern_diff(uint32_t a, uint32_t n, uint32_t seed)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < n; i++)
        bad += U8(a + i) != (uint8_t)(i * 7 + seed);
    return bad;
}

static void fill_pattern(uint8_t *p, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + seed);
}

/* Unaligned 4- and 2-byte stores and loads with their first bytes below b and the rest from b. */
static void crossing_access(const char *prefix, uint32_t b)
{
    U32(b - 2) = 0xA1B2C3D4;
    uint32_t v = U32(b - 2);
    uint32_t bytes = U8(b - 2) | U8(b - 1) << 8 | U8(b) << 16 | (uint32_t)U8(b + 1) << 24;
    check_true(nm(prefix[0] ? "pg-cross32" : "cross32", b), v == 0xA1B2C3D4 && bytes == 0xA1B2C3D4,
               "4-byte access across the boundary lost or moved bytes");
    U16(b - 1) = 0x5AA5;
    check_true(nm(prefix[0] ? "pg-cross16" : "cross16", b), U16(b - 1) == 0x5AA5 && U8(b - 1) == 0xA5 && U8(b) == 0x5A,
               "2-byte access across the boundary lost or moved bytes");
}

/* REP MOVSB low -> across b, REP MOVSL across b -> low, REP MOVSW across b -> across b. */
static void crossing_movs(const char *name, uint32_t b, uint32_t seed)
{
    fill_pattern(low_src, sizeof low_src, seed);
    memset(low_dst, 0, sizeof low_dst);
    movsb(b - 32, (uint32_t)low_src, 64);
    uint32_t bad = pattern_diff(b - 32, 64, seed);
    movsl((uint32_t)low_dst, b - 32, 16);
    bad += pattern_diff((uint32_t)low_dst, 64, seed);
    movsw(b - 22, b - 32, 32);                   /* overlapping, ascending: a moving 10-byte window */
    for (uint32_t i = 0; i < 64; i++)
        bad += U8(b - 22 + i) != (uint8_t)((i % 10) * 7 + seed);
    check_eq(name, bad, 0);
}

static void crossing_stos(const char *name, uint32_t b)
{
    stosl(b - 8, 0xCAFEF00D, 4);
    check_true(name, U32(b - 8) == 0xCAFEF00D && U32(b - 4) == 0xCAFEF00D && U32(b) == 0xCAFEF00D
               && U32(b + 4) == 0xCAFEF00D && U8(b + 8) != 0x0D, "REP STOSD across the boundary");
}

typedef uint32_t (*fn_t)(void);

/* mov eax, imm32; ret at `at` (any alignment), returning what running it gives. */
static uint32_t emit_and_call(uint32_t at, uint32_t imm)
{
    U8(at) = 0xB8;
    U8(at + 1) = (uint8_t)imm;
    U8(at + 2) = (uint8_t)(imm >> 8);
    U8(at + 3) = (uint8_t)(imm >> 16);
    U8(at + 4) = (uint8_t)(imm >> 24);
    U8(at + 5) = 0xC3;
    __asm__ volatile("" ::: "memory");
    return ((fn_t)(uintptr_t)at)();
}

/* Runs code in RAM at `at`, runs it again (decoded by then), patches its immediate, runs it again. */
static void code_in_high_ram(const char *name, uint32_t at)
{
    uint32_t first = emit_and_call(at, 0x11223344);
    uint32_t again = ((fn_t)(uintptr_t)at)();
    U32(at + 1) = 0x55667788;                    /* store to code that already ran */
    uint32_t patched = ((fn_t)(uintptr_t)at)();
    check_true(name, first == 0x11223344 && again == 0x11223344 && patched == 0x55667788,
               "code in RAM ran wrong or a store to it was not seen");
}

/* A tag in every MiB from 16 MiB up: a store that reached any other MiB would show. */
static void tag_every_mib(void)
{
    uint32_t n = 0, bad = 0;
    for (uint32_t a = 16 * MIB; a < ramtop && a >= 16 * MIB; a += MIB, n++)
        U32(a + 0x7F4) = a ^ 0x9E3779B9;
    for (uint32_t a = 16 * MIB; a < ramtop && a >= 16 * MIB; a += MIB)
        bad += U32(a + 0x7F4) != (a ^ 0x9E3779B9);
    check_info_dec("tagged-mib", n);
    check_eq("every-mib-keeps-its-tag", bad, 0);
}

/* ATA PIO READ SECTORS of sector 0 with REP INSW to dst; 0 when no drive answers. */
static int ata_read_sector0(uint32_t dst)
{
    outb(0x3F6, 0x02);                           /* nIEN: polled */
    outb(0x1F6, 0xE0);
    if (inb(0x1F7) == 0xFF || inb(0x1F7) == 0x00)
        return 0;
    outb(0x1F2, 1);
    outb(0x1F3, 0);
    outb(0x1F4, 0);
    outb(0x1F5, 0);
    outb(0x1F7, 0x20);
    uint8_t st = 0xFF;
    for (uint32_t i = 0; i < 1000000; i++) {
        st = inb(0x1F7);
        if (!(st & 0x80))
            break;
    }
    if (!(st & 0x08))
        return 0;
    uint32_t n = 256;
    __asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(n) : "d"(0x1F0) : "memory");
    return 1;
}

static void flat(void)
{
    for (uint32_t b = STEP; b < ramtop && b >= STEP; b += STEP) {
        crossing_access("", b);
        crossing_movs(nm("movs", b), b, b >> 24);
        crossing_stos(nm("stos", b), b);
    }
    if (ramtop > TWO_GIB + MIB) {
        U32(TWO_GIB) = 0x80008000;
        U32(TWO_GIB + 0x1000) = 0x12345678;
        check_true("at-0x80000000", U32(TWO_GIB) == 0x80008000 && U32(TWO_GIB + 0x1000) == 0x12345678
                   && U32(TWO_GIB - 0x1000) != 0x80008000, "store at 2 GiB");
        code_in_high_ram("code-at-0x80001000", TWO_GIB + 0x1000);
        code_in_high_ram("code-across-0x80000000", TWO_GIB - 3);  /* mov's immediate straddles 2 GiB */
    }
    U32(ramtop - 16) = 0xC0DEC0DE;
    U32(ramtop - 4) = 0x7E57AB1E;
    U8(ramtop - 1) = 0xE7;
    check_true("last-words-of-ram", U32(ramtop - 16) == 0xC0DEC0DE && U32(ramtop - 4) == 0xE757AB1E
               && U8(ramtop - 1) == 0xE7, "the top of RAM");
    code_in_high_ram("code-near-top", ramtop - 64);
    if (ramtop < 0xFEC00000u) {
        U32(ramtop) = 0;
        check_eq("above-ram-reads-all-ones", U32(ramtop), 0xFFFFFFFF);
    }
    tag_every_mib();
    if (ramtop > TWO_GIB + MIB) {
        memset((void *)(TWO_GIB - 256), 0, 512);
        if (ata_read_sector0(TWO_GIB - 256)) {
            uint32_t bad = 0;
            for (uint32_t i = 0; i < 512; i++)
                bad += U8(TWO_GIB - 256 + i) != (uint8_t)(i ^ 0x5C);
            check_eq("ata-insw-across-0x80000000", bad, 0);
        } else {
            check_info("ata-drive", 0);
        }
    }
}

/* 32-bit paging, no PAE: 4 MiB pages on both sides of 2 GiB and at the top of RAM, and 4 KiB pages
 * mapped by a page table that lies above 2 GiB. Checked through the mappings, then physically. */
static void paged(void)
{
    uint32_t top4m = (ramtop - 4 * MIB) & ~(4 * MIB - 1);
    paging_identity(16);
    page_dir[LA_LOW >> 22] = (TWO_GIB - 4 * MIB) | PDE_PS | PTE_P | PTE_W;
    page_dir[LA_HIGH >> 22] = TWO_GIB | PDE_PS | PTE_P | PTE_W;
    page_dir[LA_TOP >> 22] = top4m | PDE_PS | PTE_P | PTE_W;
    memset((void *)PT_PHYS, 0, 4096);
    U32(PT_PHYS) = PG_PHYS | PTE_P | PTE_W;
    U32(PT_PHYS + 4) = (PG_PHYS + 0x1000) | PTE_P;          /* read-only */
    page_dir[LA_PT >> 22] = PT_PHYS | PTE_P | PTE_W;
    U32(PG_PHYS + 0x1000 + 8) = 0x0BADCAFE;
    memset((void *)(TWO_GIB - 64), 0, 128);                 /* flat() left code there */
    write_cr4(read_cr4() | CR4_PSE);
    paging_enable();

    crossing_access("pg", LA_HIGH);                           /* linear pages 2 GiB - 4 MiB and 2 GiB */
    crossing_movs("pg-movs-across-0x80000000", LA_HIGH, 0x33);
    crossing_stos("pg-stos-across-0x80000000", LA_HIGH);
    code_in_high_ram("pg-code-across-0x80000000", LA_HIGH - 3);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 1024; i++)                       /* D-TLB hits on one high page */
        U32(LA_TOP + 0x3FF000 + 4 * i) = i * 3;
    for (uint32_t i = 0; i < 1024; i++)
        sum += U32(LA_TOP + 0x3FF000 + 4 * i);
    check_eq("pg-top-page-sum", sum, 3 * 1023 * 1024 / 2);
    U32(LA_PT + 0x10) = 0xFACEFEED;
    check_eq("pg-table-above-2gib-read", U32(LA_PT + 0x1000 + 8), 0x0BADCAFE);
    int f = mem_write(LA_PT + 0x1000 + 8, 1, 0);
    check_pf("pg-table-above-2gib-read-only", f, PF_P | PF_W, access_write_insn, LA_PT + 0x1000 + 8);

    paging_disable();
    /* the last store through LA_HIGH - 3 was the patched mov: B8 88 77 66 55 C3 from 2 GiB - 3 */
    check_true("pg-code-physical", U32(TWO_GIB - 2) == 0x55667788 && U8(TWO_GIB - 3) == 0xB8 && U8(TWO_GIB + 2) == 0xC3,
               "the code stored through the 4 MiB pages is not at 2 GiB - 3");
    check_eq("pg-top-page-physical", U32(top4m + 0x3FF000 + 4 * 1023), 3 * 1023);
    check_eq("pg-table-above-2gib-write", U32(PG_PHYS + 0x10), 0xFACEFEED);
    check_eq("pg-pte-above-2gib-accessed-dirty", U32(PT_PHYS) & (PTE_A | PTE_D), PTE_A | PTE_D);
}

int guest_main(uint32_t magic, const struct mb_info *mbi)
{
    guest_setup();
    CHECK_EQ("multiboot-magic", magic, 0x2BADB002);
    ramtop = MIB + mbi->mem_upper * 1024u;
    check_info("ramtop", ramtop);
    flat();
    if (ramtop > TWO_GIB + 8 * MIB)
        paged();
    return check_done();
}
