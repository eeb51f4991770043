/* smc.c: self-modifying code (SDM vol. 3 8.1.3, "Handling Self- and Cross-Modifying Code"): a store
 * to code that already ran, a store to the very next instruction, and an ATA PIO read (REP INSW)
 * into a page holding code must all be seen by the next instruction fetch. An emulator that caches
 * fetched or decoded instructions must invalidate them on each of these writes.
 * The disk (optional) holds "mov eax, 0x12345678; ret" at the start of sector 0. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define ATA 0x1F0
#define ATA_CTRL 0x3F6

static uint8_t code[4096] __attribute__((aligned(4096)));

typedef uint32_t (*fn_t)(void);

static void emit_mov_eax_ret(uint8_t *at, uint32_t imm)
{
    at[0] = 0xB8;                           /* mov eax, imm32 */
    at[1] = (uint8_t)imm;
    at[2] = (uint8_t)(imm >> 8);
    at[3] = (uint8_t)(imm >> 16);
    at[4] = (uint8_t)(imm >> 24);
    at[5] = 0xC3;                           /* ret */
}

static uint32_t call_code(void)
{
    fn_t f = (fn_t)(uintptr_t)code;
    __asm__ volatile("" ::: "memory");
    return f();
}

/* Patches the immediate of the instruction right after the store (no jump in between). */
static uint32_t patch_next_instruction(void)
{
    uint32_t v;
    __asm__ volatile("movb $0x42, 1f+1\n\t"
                     "1: movb $0x11, %%al\n\t"
                     "movzbl %%al, %0"
                     : "=r"(v) : : "eax", "memory");
    return v;
}

static int ata_read_sector0_into(uint16_t *dst)
{
    outb(ATA_CTRL, 0x02);                   /* nIEN: polled */
    for (uint32_t i = 0; i < 1000000 && (inb(ATA + 7) & 0x80); i++)
        ;
    outb(ATA + 6, 0xE0);
    outb(ATA + 2, 1);
    outb(ATA + 3, 0);
    outb(ATA + 4, 0);
    outb(ATA + 5, 0);
    outb(ATA + 7, 0x20);                    /* READ SECTORS */
    uint8_t st = 0xFF;
    for (uint32_t i = 0; i < 1000000; i++) {
        st = inb(ATA + 7);
        if (!(st & 0x80))
            break;
    }
    if (st == 0xFF || (st & 0x21) || !(st & 0x08))
        return 0;
    uint32_t n = 256;
    __asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(n) : "d"(ATA) : "memory");
    return 1;
}

int guest_main(void)
{
    guest_setup();

    emit_mov_eax_ret(code, 0x11111111);
    CHECK_EQ("smc-first-run", call_code(), 0x11111111);
    code[1] = 0x22;                         /* patch one immediate byte of code that already ran */
    CHECK_EQ("smc-patched-immediate", call_code(), 0x11111122);
    emit_mov_eax_ret(code, 0xCAFEF00D);
    CHECK_EQ("smc-rewritten", call_code(), 0xCAFEF00D);

    CHECK_EQ("smc-next-instruction", patch_next_instruction(), 0x42);
    CHECK_EQ("smc-next-instruction-again", patch_next_instruction(), 0x42);

    emit_mov_eax_ret(code, 0x33333333);
    CHECK_EQ("ata-code-before", call_code(), 0x33333333);
    if (ata_read_sector0_into((uint16_t *)code))
        CHECK_EQ("ata-read-into-code-page", call_code(), 0x12345678);
    else
        check_info("ata-no-disk", 1);
    guest_exit(check_done());
}
