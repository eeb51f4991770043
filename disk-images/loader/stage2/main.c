/*
 * main.c: the jx86 stage 2 boot loader, protected-mode part.
 *
 * Reads the boot catalog, collects the E820 memory map, loads the kernel ELF's PT_LOAD segments
 * at their physical addresses (p_paddr; bytes past p_filesz up to p_memsz are zeroed), loads each
 * module page-aligned after the kernel, builds the Multiboot v1 information structure below 1 MiB
 * and enters the kernel (Multiboot Specification 0.6.96, chapter 3).
 * Not supported: a.out kernels (header flag 16), video mode requests (flag 2 is ignored), ELF
 * symbol tables, and loading anything below 1 MiB.
 */
#include "libkern/elf.h"
#include "loader.h"
#include "libkern/multiboot.h"

#define MAX_MMAP 64u
#define PAGE 4096u

static uint8_t header_buf[MULTIBOOT_SEARCH];
static uint32_t info_next = INFO_BASE;

static uint32_t info_alloc(uint32_t size)
{
    uint32_t p = (info_next + 3) & ~3u;
    if (p + size > INFO_LIMIT)
        panic("boot information does not fit below 128 KiB");
    info_next = p + size;
    memset((void *)p, 0, size);
    return p;
}

static uint32_t info_string(const char *s)
{
    uint32_t n = strlen(s) + 1;
    uint32_t p = info_alloc(n);
    memcpy((void *)p, s, n);
    return p;
}

/* The command line given to the machine (jx86 --append; QEMU's fw_cfg carries it, at ports
 * 0x510/0x511): appended to the catalog's, so options given at boot time win over the image's
 * (a kernel takes the last of two settings). No fw_cfg device, or an empty line: "". */
static const char *machine_cmdline(void)
{
    static char line[256];
    char sig[4];
    outw(0x510, 0x00);                         /* FW_CFG_SIGNATURE */
    for (int i = 0; i < 4; i++)
        sig[i] = (char)inb(0x511);
    if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
        return "";
    outw(0x510, 0x14);                         /* FW_CFG_CMDLINE_SIZE, with the NUL */
    uint32_t size = 0;
    for (int i = 0; i < 4; i++)
        size |= (uint32_t)inb(0x511) << (8 * i);
    if (size == 0 || size > sizeof line)
        return "";
    outw(0x510, 0x15);                         /* FW_CFG_CMDLINE_DATA */
    for (uint32_t i = 0; i < size; i++)
        line[i] = (char)inb(0x511);
    line[size - 1] = 0;
    return line;
}

/* The catalog's command line, then a space and the machine's when there is one. */
static uint32_t command_line(const struct catalog *c)
{
    const char *image = (const char *)CATALOG_ADDR + c->cmdline_offset;
    const char *extra = machine_cmdline();
    uint32_t a = strlen(image), b = strlen(extra);
    char *p = (char *)info_alloc(a + 1 + b + 1);
    memcpy(p, image, a);
    if (b > 0 && a > 0)
        p[a++] = ' ';
    memcpy(p + a, extra, b + 1);
    return (uint32_t)p;
}

static const struct catalog *read_catalog(void)
{
    const struct catalog *c = (const struct catalog *)CATALOG_ADDR;
    const uint32_t *w = (const uint32_t *)CATALOG_ADDR;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < CATALOG_SIZE / 4; i++)
        sum += w[i];
    if (c->magic[0] != CATALOG_MAGIC0 || c->magic[1] != CATALOG_MAGIC1 || c->version != 1)
        panic("no boot catalog (image not written by jx86 mkimage?)");
    if (sum != 0)
        panic("boot catalog checksum mismatch");
    if (c->module_count > CATALOG_MAX_MODULES || c->cmdline_offset >= CATALOG_SIZE)
        panic("boot catalog is malformed");
    ((char *)CATALOG_ADDR)[CATALOG_SIZE - 1] = 0;     /* strings end inside the catalog */
    return c;
}

static void check_a20(void)
{
    volatile uint32_t *lo = (volatile uint32_t *)A20_PROBE_ADDR;
    volatile uint32_t *hi = (volatile uint32_t *)(A20_PROBE_ADDR + HIGH_MEM);
    *lo = 0x12345678u;
    *hi = 0x87654321u;
    if (*lo == 0x87654321u)
        panic("the A20 gate is closed");
}

/* Fills the memory map; returns its length and sets mem_lower/mem_upper from it. */
static void read_memory_map(struct multiboot_info *mbi)
{
    uint32_t map = info_alloc(MAX_MMAP * sizeof(struct multiboot_mmap));
    uint32_t count = 0;
    uint32_t cont = 0;
    volatile uint32_t *buf = (volatile uint32_t *)E820_BUF_ADDR;
    do {
        struct bios_regs r = {0};
        buf[5] = 1;                                    /* ACPI 3.0 "valid" bit, preset */
        r.eax = 0xE820;
        r.ebx = cont;
        r.ecx = 24;
        r.edx = 0x534D4150u;                           /* 'SMAP' */
        r.edi = E820_BUF_ADDR;
        bios_int(0x15, &r);
        if ((r.eflags & EFLAGS_CF) || r.eax != 0x534D4150u)
            break;
        if ((r.ecx & 0xFF) < 24 || (buf[5] & 1)) {
            struct multiboot_mmap *e = (struct multiboot_mmap *)map + count++;
            e->size = 20;
            e->addr = (uint64_t)buf[1] << 32 | buf[0];
            e->len = (uint64_t)buf[3] << 32 | buf[2];
            e->type = buf[4];
        }
        cont = r.ebx;
    } while (cont != 0 && count < MAX_MMAP);
    if (count == 0)
        panic("INT 15h E820 returned no memory map");

    /* mem_lower: usable RAM at 0; mem_upper: usable RAM contiguous from 1 MiB (KiB each). */
    uint32_t lower_end = 0, upper_end = HIGH_MEM;
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t i = 0; i < count; i++) {
            struct multiboot_mmap *e = (struct multiboot_mmap *)map + i;
            if (e->type != 1 || (e->addr >> 32) != 0)
                continue;
            uint32_t base = (uint32_t)e->addr;
            uint64_t end64 = (uint64_t)base + e->len;
            uint32_t end = end64 > 0xFFFFF000u ? 0xFFFFF000u : (uint32_t)end64;
            if (base <= lower_end && end > lower_end && end <= 0xA0000) {
                lower_end = end;
                changed = 1;
            }
            if (base <= upper_end && end > upper_end) {
                upper_end = end;
                changed = 1;
            }
        }
    }
    mbi->mem_lower = lower_end / 1024;
    mbi->mem_upper = (upper_end - HIGH_MEM) / 1024;
    mbi->mmap_addr = map;
    mbi->mmap_length = count * sizeof(struct multiboot_mmap);
    mbi->flags |= MBI_MEM | MBI_MMAP;
}

static void read_or_panic(uint32_t lba, uint32_t offset, uint32_t len, uint32_t dest, const char *what)
{
    if (disk_read_bytes(lba, offset, len, dest) != 0) {
        puts("jx86-loader: disk read error while loading ");
        panic(what);
    }
}

static void check_range(uint32_t start, uint32_t len, uint32_t mem_end, const char *what)
{
    if (start < HIGH_MEM || len > mem_end - start || start > mem_end) {
        puts("jx86-loader: ");
        puts(what);
        puts(" at ");
        puthex(start);
        puts(" size ");
        puthex(len);
        puts(" is outside usable memory\n");
        panic("cannot load");
    }
}

static void check_multiboot_header(uint32_t avail)
{
    for (uint32_t off = 0; off + 12 <= avail; off += 4) {
        const uint32_t *h = (const uint32_t *)(header_buf + off);
        if (h[0] == MULTIBOOT_HEADER_MAGIC && h[0] + h[1] + h[2] == 0) {
            if (h[1] & (1u << 16) && header_buf[0] != 0x7F)
                panic("a.out kludge kernels are not supported (use ELF)");
            return;
        }
    }
    panic("kernel has no Multiboot header in its first 8 KiB");
}

/* Loads the kernel's PT_LOAD segments; returns the physical entry point, sets *end. */
static uint32_t load_kernel(const struct catalog *c, uint32_t mem_end, uint32_t *end)
{
    uint32_t avail = c->kernel_size < MULTIBOOT_SEARCH ? c->kernel_size : MULTIBOOT_SEARCH;
    if (avail < sizeof(struct elfhdr))
        panic("kernel is too small to be an ELF file");
    read_or_panic(c->kernel_lba, 0, avail, (uint32_t)header_buf, "the kernel header");
    check_multiboot_header(avail);

    const struct elfhdr *eh = (const struct elfhdr *)header_buf;
    if (eh->magic != ELF_MAGIC || eh->elf[0] != ELFCLASS32 || eh->machine != EM_386)
        panic("kernel is not a 32-bit i386 ELF file");
    if (eh->phentsize != sizeof(struct proghdr) || eh->phnum == 0
        || eh->phoff > avail || (uint32_t)eh->phnum * sizeof(struct proghdr) > avail - eh->phoff)
        panic("kernel program headers are not within its first 8 KiB");

    uint32_t entry = eh->entry;
    uint32_t high = 0;
    for (uint32_t i = 0; i < eh->phnum; i++) {
        struct proghdr ph;
        memcpy(&ph, header_buf + eh->phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.filesz > ph.memsz || ph.off > c->kernel_size
            || ph.filesz > c->kernel_size - ph.off)
            panic("kernel segment lies outside the kernel file");
        check_range(ph.paddr, ph.memsz, mem_end, "kernel segment");
        read_or_panic(c->kernel_lba, ph.off, ph.filesz, ph.paddr, "the kernel");
        memset((void *)(ph.paddr + ph.filesz), 0, ph.memsz - ph.filesz);
        if (ph.paddr + ph.memsz > high)
            high = ph.paddr + ph.memsz;
        /* A higher-half kernel links its entry virtually: translate it like GRUB does. */
        if (entry >= ph.vaddr && entry - ph.vaddr < ph.memsz)
            entry = entry - ph.vaddr + ph.paddr;
    }
    if (high == 0)
        panic("kernel has no loadable segment");
    *end = high;
    return entry;
}

static void load_modules(const struct catalog *c, struct multiboot_info *mbi, uint32_t start, uint32_t mem_end)
{
    if (c->module_count == 0)
        return;
    uint32_t list = info_alloc(c->module_count * sizeof(struct multiboot_mod));
    uint32_t next = (start + PAGE - 1) & ~(PAGE - 1);
    for (uint32_t i = 0; i < c->module_count; i++) {
        const struct catalog_module *m = &c->modules[i];
        struct multiboot_mod *out = (struct multiboot_mod *)list + i;
        check_range(next, m->size, mem_end, "module");
        read_or_panic(m->lba, 0, m->size, next, "a module");
        out->mod_start = next;
        out->mod_end = next + m->size;
        out->string = info_string(m->string_offset < CATALOG_SIZE
                                  ? (const char *)CATALOG_ADDR + m->string_offset : "");
        next = (out->mod_end + PAGE - 1) & ~(PAGE - 1);
    }
    mbi->mods_count = c->module_count;
    mbi->mods_addr = list;
    mbi->flags |= MBI_MODS;
}

void stage2_main(void)
{
    console_init();
    check_a20();
    const struct catalog *c = read_catalog();
    int disk = disk_init(boot_drive);
    if (disk < 0)
        panic("INT 13h: cannot use the boot disk");
    if (disk == 1)
        puts("jx86-loader: no INT 13h extensions, using CHS reads\n");

    struct multiboot_info *mbi = (struct multiboot_info *)info_alloc(sizeof(struct multiboot_info));
    read_memory_map(mbi);
    uint32_t mem_end = HIGH_MEM + mbi->mem_upper * 1024;

    uint32_t kernel_end;
    uint32_t entry = load_kernel(c, mem_end, &kernel_end);
    load_modules(c, mbi, kernel_end, mem_end);

    mbi->cmdline = command_line(c);
    mbi->boot_loader_name = info_string("jx86-loader");
    mbi->boot_device = ((uint32_t)boot_drive << 24) | 0x00FFFFu;   /* partition 1 holds the root */
    mbi->flags |= MBI_CMDLINE | MBI_LOADER | MBI_BOOTDEV;

    puts("jx86-loader: kernel entry ");
    puthex(entry);
    puts(", ");
    putdec(c->module_count);
    puts(" module(s)\n");
    enter_kernel(entry, (uint32_t)mbi);
}
