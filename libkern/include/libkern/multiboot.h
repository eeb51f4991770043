/* multiboot.h: Multiboot v1 (Multiboot Specification 0.6.96): the header magic a kernel carries,
 * the magic a loader passes in EAX, and the information structure (section 3.3). The jx86 boot
 * loader (disk-images/loader) fills it in; kernel-monolithic reads it. */
#pragma once

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT_SEARCH       8192u          /* the header lies in the image's first 8 KiB */
#define MULTIBOOT_BOOT_MAGIC   0x2BADB002

#ifdef __ASSEMBLER__
/* MULTIBOOT_HEADER flags: the header a kernel image carries in its .multiboot section (the linker
 * script puts it in the first 8 KiB): magic, flags, checksum. Flags 3 = page-aligned modules and
 * the memory information. */
        .macro MULTIBOOT_HEADER flags=0x00000003
        .section .multiboot, "a"
        .align 4
        .long 0x1BADB002, \flags, -(0x1BADB002 + \flags)
        .previous
        .endm
#else
#include <stdint.h>

#define MBI_MEM     (1u << 0)
#define MBI_BOOTDEV (1u << 1)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MBI_LOADER  (1u << 9)

struct multiboot_info {
  uint32_t flags;
  uint32_t mem_lower, mem_upper;      /* KiB below 1 MiB, KiB above 1 MiB */
  uint32_t boot_device;
  uint32_t cmdline;                   /* physical address of a C string */
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

struct multiboot_mod {
  uint32_t mod_start, mod_end;        /* physical, [start, end) */
  uint32_t string;                    /* physical address of "path args" */
  uint32_t reserved;
};

/* Memory-map entries are variable-sized: 'size' does not count itself (20 for this layout). */
struct multiboot_mmap {
  uint32_t size;
  uint64_t addr, len;
  uint32_t type;                      /* 1 = available RAM */
} __attribute__((packed));
#endif /* __ASSEMBLER__ */
