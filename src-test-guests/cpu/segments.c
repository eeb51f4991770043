/* segments.c: segmentation beyond the flat model (SDM vol. 3 chapter 3 and 5): a non-zero segment
 * base, an LDT, the accessed bit, and what LAR/LSL/VERR/VERW/ARPL/SGDT/SIDT/STR/SLDT report. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

#define SEL_BASED 0x30          /* GDT 6: data, base 0x200000, limit 0xFFFF bytes */
#define SEL_LDT   0x38          /* GDT 7: the LDT */
#define SEL_XO    0x40          /* GDT 8: execute-only code */
#define SEL_RO    0x48          /* GDT 9: read-only data */
#define SEL_LDT1  0x0C          /* LDT 1, TI=1: data, base 0x300000 */

static uint64_t ldt[4] __attribute__((aligned(8)));

static uint32_t load_fs_read(uint16_t sel, uint32_t offset)
{
    uint32_t v;
    __asm__ volatile("mov %1, %%fs\n\tmov %%fs:(%2), %0\n\tmov %3, %%fs"
                     : "=&r"(v) : "r"(sel), "r"(offset), "r"(KDATA) : "memory");
    return v;
}

static uint32_t access_byte(int index)
{
    return (uint32_t)(gdt[index] >> 40) & 0xFF;
}

/* LAR/LSL/VERR/VERW set ZF when the selector is valid for the question asked. */
static int lar(uint16_t sel, uint32_t *out)
{
    uint8_t zf;
    uint32_t v = 0;
    __asm__ volatile("lar %2, %0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"((uint32_t)sel));
    *out = v;
    return zf;
}

static int lsl(uint16_t sel, uint32_t *out)
{
    uint8_t zf;
    uint32_t v = 0;
    __asm__ volatile("lsl %2, %0\n\tsetz %1" : "+r"(v), "=q"(zf) : "r"((uint32_t)sel));
    *out = v;
    return zf;
}

static int verr(uint16_t sel)
{
    uint8_t zf;
    __asm__ volatile("verr %1\n\tsetz %0" : "=q"(zf) : "r"(sel));
    return zf;
}

static int verw(uint16_t sel)
{
    uint8_t zf;
    __asm__ volatile("verw %1\n\tsetz %0" : "=q"(zf) : "r"(sel));
    return zf;
}

int guest_main(void)
{
    guest_setup();
    gdt_set(6, 0x200000, 0xFFFF, ACC_DATA0, FLAGS_BYTE32);
    gdt_set(8, 0, 0xFFFFF, 0x98, FLAGS_4K32);
    gdt_set(9, 0, 0xFFFFF, 0x90, FLAGS_4K32);
    ldt[0] = 0;
    gdt_set(7, (uint32_t)ldt, sizeof ldt - 1, 0x82, 0);    /* LDT descriptor: P, DPL 0, type 2 */
    /* Build the LDT's data descriptor with gdt_set in a scratch slot, then move it. */
    gdt_set(10, 0x300000, 0xFFFF, ACC_DATA0, FLAGS_BYTE32);
    ldt[1] = gdt[10];
    gdt[10] = 0;

    *(volatile uint32_t *)0x200010 = 0x5e65e601;
    *(volatile uint32_t *)0x300020 = 0x1d71d702;

    CHECK_EQ("descriptor-not-yet-accessed", access_byte(6), 0x92);
    CHECK_EQ("base-added-to-offset", load_fs_read(SEL_BASED, 0x10), 0x5e65e601);
    CHECK_EQ("load-sets-accessed-bit", access_byte(6), 0x93);

    __asm__ volatile("lldt %0" : : "r"((uint16_t)SEL_LDT));
    uint16_t ldtr;
    __asm__ volatile("sldt %0" : "=r"(ldtr));
    CHECK_EQ("sldt", ldtr, SEL_LDT);
    CHECK_EQ("ldt-selector-base", load_fs_read(SEL_LDT1, 0x20), 0x1d71d702);

    uint32_t v;
    CHECK_EQ("lsl-byte-granular-ok", lsl(SEL_BASED, &v), 1);
    CHECK_EQ("lsl-byte-granular", v, 0xFFFF);
    CHECK_EQ("lsl-page-granular", lsl(KDATA, &v) ? v : 0, 0xFFFFFFFF);
    CHECK_EQ("lar-ok", lar(KCODE, &v), 1);
    /* bits 8-15 = access byte, 20-23 = G, D/B, L, AVL. The accessed bit of CS is masked out: QEMU
     * does not set it on a far JMP (hardware does). */
    CHECK_EQ("lar-kernel-code", v & 0x00F0FE00, 0x00C09A00);
    CHECK_EQ("lar-kernel-data", lar(KDATA, &v) ? v & 0x00F0FF00 : 0, 0x00C09300);
    CHECK_EQ("lar-null-fails", lar(0, &v), 0);
    CHECK_EQ("lar-beyond-limit-fails", lar(0x80, &v), 0);
    CHECK_EQ("lar-ldt-selector", lar(SEL_LDT1, &v) ? v & 0xFF00 : 0, 0x9300);

    CHECK_EQ("verr-data", verr(KDATA), 1);
    CHECK_EQ("verw-data", verw(KDATA), 1);
    CHECK_EQ("verr-execute-only-code", verr(SEL_XO), 0);
    CHECK_EQ("verr-readable-code", verr(KCODE), 1);
    CHECK_EQ("verw-read-only-data", verw(SEL_RO), 0);
    CHECK_EQ("verw-code", verw(KCODE), 0);

    uint16_t dst = 0x0010, src = 0x0003;
    uint8_t zf;
    __asm__ volatile("arpl %2, %0\n\tsetz %1" : "+r"(dst), "=q"(zf) : "r"(src));
    CHECK_EQ("arpl-raises-rpl", dst, 0x0013);
    CHECK_EQ("arpl-zf", zf, 1);

    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr, idtr;
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    __asm__ volatile("sidt %0" : "=m"(idtr));
    CHECK_EQ("sgdt-base", gdtr.base, (uint32_t)gdt);
    CHECK_EQ("sgdt-limit", gdtr.limit, sizeof gdt - 1);
    CHECK_EQ("sidt-limit", idtr.limit, 256 * 8 - 1);
    uint16_t tr;
    __asm__ volatile("str %0" : "=r"(tr));
    CHECK_EQ("str", tr, TSS_SEL);
    CHECK_EQ("tss-busy-after-ltr", access_byte(5), 0x8B);

    return check_done();
}
