/* multiboot.h: the Multiboot v1 information structure (Multiboot Specification 0.6.96, section 3.3). */
#pragma once
#include <stdint.h>

#define MULTIBOOT_BOOT_MAGIC 0x2BADB002

#define MBI_MEM     (1u << 0)
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
};

struct multiboot_mod {
  uint32_t mod_start, mod_end;        /* physical, [start, end) */
  uint32_t string;                    /* physical address of "path args" */
  uint32_t reserved;
};

/* Memory-map entries are variable-sized: 'size' does not count itself. */
struct multiboot_mmap {
  uint32_t size;
  uint64_t addr, len;
  uint32_t type;                      /* 1 = available RAM */
} __attribute__((packed));
