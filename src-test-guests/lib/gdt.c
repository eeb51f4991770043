/* gdt.c: the GDT every multiboot guest loads first (the multiboot loader's GDT is undefined by spec). */
#include "guest.h"
#include "gdt.h"

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8)));
struct tss tss0 __attribute__((aligned(128)));
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));
uint8_t *const ring0_stack_end = ring0_stack + sizeof ring0_stack;

void gdt_set(int index, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    uint64_t d = limit & 0xFFFF;
    d |= (uint64_t)(base & 0xFFFFFF) << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)((limit >> 16) & 0xF) << 48;
    d |= (uint64_t)(flags & 0xF) << 52;
    d |= (uint64_t)(base >> 24) << 56;
    gdt[index] = d;
}

void gdt_set_gate(int index, uint16_t selector, uint32_t offset, uint8_t type, int dpl, int present, int params)
{
    uint64_t d = offset & 0xFFFF;
    d |= (uint64_t)selector << 16;
    d |= (uint64_t)(params & 0x1F) << 32;
    d |= (uint64_t)((present ? 0x80 : 0) | (dpl << 5) | type) << 40;
    d |= (uint64_t)(offset >> 16) << 48;
    gdt[index] = d;
}

void tss_allow_port(uint16_t port, int allow)
{
    if (allow)
        tss0.iomap[port / 8] &= (uint8_t)~(1u << (port % 8));
    else
        tss0.iomap[port / 8] |= (uint8_t)(1u << (port % 8));
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt_set(1, 0, 0xFFFFF, ACC_CODE0, FLAGS_4K32);
    gdt_set(2, 0, 0xFFFFF, ACC_DATA0, FLAGS_4K32);
    gdt_set(3, 0, 0xFFFFF, ACC_CODE3, FLAGS_4K32);
    gdt_set(4, 0, 0xFFFFF, ACC_DATA3, FLAGS_4K32);
    for (int i = GDT_FIRST_FREE; i < GDT_ENTRIES; i++)
        gdt[i] = 0;

    memset(&tss0, 0, sizeof tss0);
    tss0.ss0 = KDATA;
    tss0.esp0 = (uint32_t)ring0_stack_end;
    /* The bitmap lies inside the TSS limit; everything denied until a test allows a port. */
    tss0.iomap_base = (uint16_t)__builtin_offsetof(struct tss, iomap);
    memset(tss0.iomap, 0xFF, sizeof tss0.iomap);
    gdt_set(5, (uint32_t)&tss0, sizeof tss0 - 1, ACC_TSS, 0);

    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = { sizeof gdt - 1, (uint32_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %%ax, %%gs\n\t"
        "mov %%ax, %%ss\n\t"
        "mov %3, %%ax\n\t"
        "ltr %%ax"
        : : "m"(gdtr), "i"(KCODE), "i"(KDATA), "i"(TSS_SEL) : "eax", "memory");
}
