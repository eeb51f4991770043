/* elf.h: the 32-bit ELF structures the program loader reads (System V ABI, i386 supplement). */
#pragma once
#include <stdint.h>

#define ELF_MAGIC 0x464C457FU   /* "\x7FELF" little-endian */
#define ET_EXEC 2
#define EM_386  3
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elfhdr {
  uint32_t magic;
  uint8_t elf[12];
  uint16_t type, machine;
  uint32_t version, entry, phoff, shoff, flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
  uint32_t type, off, vaddr, paddr, filesz, memsz, flags, align;
};

/* auxiliary vector keys placed after envp on a new process's stack */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
