/* multiboot-info.c: prints what the loader handed over in the Multiboot 0.6.96 information structure
 * (section 3.3): the command line, the BIOS memory map (flag 6) and the modules (flag 3) with their
 * command lines, sizes and first bytes. The JUnit test compares these lines with what it configured. */
#include "guest.h"
#include "check.h"
#include "gdt.h"
#include "idt.h"

struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};

struct mb_module {
    uint32_t start, end, string, reserved;
};

struct mb_mmap {
    uint32_t size;              /* of the rest of the entry: the next one is size + 4 bytes further */
    uint32_t base_lo, base_hi, len_lo, len_hi, type;
} __attribute__((packed));

static void put_field(const char *name, uint32_t v)
{
    serial_puts(" ");
    serial_puts(name);
    serial_puts("=");
    serial_puthex(v);
}

int guest_main(uint32_t magic, const struct mb_info *mbi)
{
    guest_setup();
    CHECK_EQ("multiboot-magic", magic, 0x2BADB002);
    CHECK_EQ("flag-mem", mbi->flags & 0x1, 0x1);
    CHECK_EQ("flag-cmdline", mbi->flags & 0x4, 0x4);
    CHECK_EQ("flag-mmap", mbi->flags & 0x40, 0x40);
    /* 640 KiB minus whatever the firmware keeps for its EBDA (QEMU/SeaBIOS: 1 KiB) */
    check_true("mem-lower-plausible", mbi->mem_lower >= 600 && mbi->mem_lower <= 640, "not 600..640 KiB");
    check_info_dec("mem-lower-kib", mbi->mem_lower);
    check_info_dec("mem-upper-kib", mbi->mem_upper);

    serial_puts("info cmdline=");
    serial_puts(mbi->flags & 0x4 ? (const char *)mbi->cmdline : "");
    serial_puts("\n");

    int ram_at_1m = 0;
    if (mbi->flags & 0x40) {
        uint32_t a = mbi->mmap_addr;
        while (a < mbi->mmap_addr + mbi->mmap_length) {
            const struct mb_mmap *e = (const struct mb_mmap *)a;
            serial_puts("mmap");
            put_field("base", e->base_lo);
            put_field("length", e->len_lo);
            put_field("type", e->type);
            serial_puts("\n");
            if (e->type == 1 && e->base_hi == 0 && e->base_lo <= 0x100000
                    && e->base_lo + e->len_lo >= 0x100000 + mbi->mem_upper * 1024u)
                ram_at_1m = 1;
            a += e->size + 4;
        }
    }
    check_true("mmap-ram-covers-mem-upper", ram_at_1m, "no type 1 entry from 1 MiB covering mem_upper");

    uint32_t count = (mbi->flags & 0x8) ? mbi->mods_count : 0;
    check_info_dec("modules", count);
    const struct mb_module *m = (const struct mb_module *)mbi->mods_addr;
    for (uint32_t i = 0; i < count; i++) {
        serial_puts("module name=");
        serial_puts(m[i].string ? (const char *)m[i].string : "");
        serial_puts(" size=");
        serial_putdec(m[i].end - m[i].start);
        serial_puts(" first=");
        for (uint32_t j = 0; j < 8 && m[i].start + j < m[i].end; j++) {
            static const char hex[] = "0123456789abcdef";
            uint8_t b = ((const uint8_t *)m[i].start)[j];
            serial_putc(hex[b >> 4]);
            serial_putc(hex[b & 15]);
        }
        serial_puts("\n");
        check_true("module-page-aligned", (m[i].start & 0xFFF) == 0, "module start not page aligned");
    }
    return check_done();
}
