/* multiboot.h: the Multiboot v1 structures the loader fills in (Multiboot Specification 0.6.96, 3.3). */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include <stdint.h>

#define MB_HEADER_MAGIC     0x1BADB002u
#define MB_HEADER_SEARCH    8192u

#define MBI_FLAG_MEM        (1u << 0)
#define MBI_FLAG_BOOTDEV    (1u << 1)
#define MBI_FLAG_CMDLINE    (1u << 2)
#define MBI_FLAG_MODS       (1u << 3)
#define MBI_FLAG_MMAP       (1u << 6)
#define MBI_FLAG_LOADER     (1u << 9)

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe[6];
    uint32_t framebuffer[7];
};

struct mb_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
};

/* One memory map entry: `size` counts the bytes after itself (20). */
struct mb_mmap_entry {
    uint32_t size;
    uint32_t base_lo, base_hi;
    uint32_t len_lo, len_hi;
    uint32_t type;
} __attribute__((packed));

#endif
