/* loader.h: shared declarations of the jx86 stage 2 boot loader (32-bit protected mode, no paging). */
#ifndef LOADER_H
#define LOADER_H

#include <stddef.h>
#include <stdint.h>

/* Low-memory map while the loader runs (see docs/disk-images.md). Nothing below 4 KiB is
   touched: the IVT and BDA stay intact (and gcc treats that page as the null page). */
#define DAP_ADDR        0x1000u     /* INT 13h disk address packet */
#define E820_BUF_ADDR   0x1020u     /* one E820 entry from INT 15h */
#define A20_PROBE_ADDR  0x1100u
#define CATALOG_ADDR    0xF600u     /* boot catalog: LBA 60..63, loaded with stage 2 by the MBR */
#define INFO_BASE       0x10000u    /* multiboot info, memory map, module list, strings */
#define INFO_LIMIT      0x20000u
#define BOUNCE_ADDR     0x20000u    /* INT 13h target; copied from here to the final place */
#define BOUNCE_SECTORS  64u
#define HIGH_MEM        0x100000u

/* Boot catalog written by jx86.image.BootCatalog: little-endian, 2048 bytes. */
#define CATALOG_MAGIC0  0x3638584Au /* "JX86" */
#define CATALOG_MAGIC1  0x544F4F42u /* "BOOT" */
#define CATALOG_SIZE    2048u
#define CATALOG_MAX_MODULES 16u

struct catalog_module {
    uint32_t lba;
    uint32_t size;
    uint32_t string_offset;     /* from the start of the catalog */
    uint32_t reserved;
};

struct catalog {
    uint32_t magic[2];
    uint32_t version;           /* 1 */
    uint32_t module_count;
    uint32_t kernel_lba;
    uint32_t kernel_size;
    uint32_t cmdline_offset;    /* from the start of the catalog */
    uint32_t checksum;          /* the 512 32-bit words of the catalog sum to 0 */
    struct catalog_module modules[CATALOG_MAX_MODULES];
};

/* Registers for bios_thunk (layout fixed by entry.S). */
struct bios_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint16_t ds, es;
    uint32_t eflags;
};
#define EFLAGS_CF 0x1u

extern struct bios_regs bios_regs;
extern uint8_t boot_drive;
void bios_thunk(uint32_t vector);
void enter_kernel(uint32_t entry, uint32_t mbi) __attribute__((noreturn));

/* bios.c */
void bios_int(uint8_t vector, struct bios_regs *r);
/* 0: INT 13h extensions, 1: CHS reads only, -1: disk unusable. */
int disk_init(uint8_t drive);
int disk_read_bytes(uint32_t base_lba, uint32_t offset, uint32_t len, uint32_t dest);

/* console.c: INT 10h teletype and COM1, so messages show on screen and serial line. */
void console_init(void);
void puts(const char *s);
void puthex(uint32_t v);
void putdec(uint32_t v);
void panic(const char *what) __attribute__((noreturn));

/* util.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strlen(const char *s);

#include "libkern/portio.h"

#endif
