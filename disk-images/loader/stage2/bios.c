/*
 * bios.c: firmware calls from protected mode, and disk reads.
 *
 * Disk reads use INT 13h AH=42h (extended read, a disk address packet at DAP_ADDR) when AH=41h
 * reports the packet interface, otherwise AH=02h CHS reads one sector at a time with the geometry
 * from AH=08h. Sectors land in the low bounce buffer and are copied to their final place, which
 * may be anywhere in the 4 GiB flat address space. No reset (AH=00h): a failed read is retried.
 */
#include "loader.h"

struct dap {
    uint8_t size;
    uint8_t zero;
    uint16_t count;
    uint16_t offset;
    uint16_t segment;
    uint32_t lba_lo;
    uint32_t lba_hi;
};

static uint8_t drive;
static int use_ext;
static uint32_t spt, heads;

void bios_int(uint8_t vector, struct bios_regs *r)
{
    bios_regs = *r;
    bios_thunk(vector);
    *r = bios_regs;
}

int disk_init(uint8_t d)
{
    struct bios_regs r = {0};
    drive = d;
    r.eax = 0x4100;
    r.ebx = 0x55AA;
    r.edx = d;
    bios_int(0x13, &r);
#ifdef FORCE_CHS
    r.eflags |= EFLAGS_CF;      /* test build: exercise the CHS path on any firmware */
#endif
    if (!(r.eflags & EFLAGS_CF) && (r.ebx & 0xFFFF) == 0xAA55 && (r.ecx & 1)) {
        use_ext = 1;
        return 0;
    }
    memset(&r, 0, sizeof r);
    r.eax = 0x0800;
    r.edx = d;
    bios_int(0x13, &r);
    if (r.eflags & EFLAGS_CF)
        return -1;
    spt = r.ecx & 0x3F;
    heads = ((r.edx >> 8) & 0xFF) + 1;
    return spt == 0 ? -1 : 1;
}

static int read_chs(uint32_t lba, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        uint32_t l = lba + i;
        uint32_t sector = l % spt + 1;
        uint32_t head = (l / spt) % heads;
        uint32_t cyl = l / spt / heads;
        if (cyl > 1023)
            return -1;
        struct bios_regs r = {0};
        r.eax = 0x0201;
        r.ecx = ((cyl & 0xFF) << 8) | ((cyl >> 2) & 0xC0) | sector;
        r.edx = (head << 8) | drive;
        r.es = (uint16_t)(BOUNCE_ADDR >> 4);
        r.ebx = i * 512;
        bios_int(0x13, &r);
        if (r.eflags & EFLAGS_CF)
            return -1;
    }
    return 0;
}

static int read_ext(uint32_t lba, uint32_t count)
{
    volatile struct dap *p = (volatile struct dap *)DAP_ADDR;
    p->size = 0x10;
    p->zero = 0;
    p->count = (uint16_t)count;
    p->offset = 0;
    p->segment = (uint16_t)(BOUNCE_ADDR >> 4);
    p->lba_lo = lba;
    p->lba_hi = 0;
    struct bios_regs r = {0};
    r.eax = 0x4200;
    r.edx = drive;
    r.esi = DAP_ADDR;
    bios_int(0x13, &r);
    return (r.eflags & EFLAGS_CF) ? -1 : 0;
}

static int read_sectors(uint32_t lba, uint32_t count)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if ((use_ext ? read_ext(lba, count) : read_chs(lba, count)) == 0)
            return 0;
    }
    return -1;
}

int disk_read_bytes(uint32_t base_lba, uint32_t offset, uint32_t len, uint32_t dest)
{
    while (len > 0) {
        uint32_t lba = base_lba + offset / 512;
        uint32_t skip = offset % 512;
        uint32_t sectors = (skip + len + 511) / 512;
        if (sectors > BOUNCE_SECTORS)
            sectors = BOUNCE_SECTORS;
        if (read_sectors(lba, sectors) != 0)
            return -1;
        uint32_t chunk = sectors * 512 - skip;
        if (chunk > len)
            chunk = len;
        memcpy((void *)dest, (const void *)(BOUNCE_ADDR + skip), chunk);
        dest += chunk;
        offset += chunk;
        len -= chunk;
    }
    return 0;
}
