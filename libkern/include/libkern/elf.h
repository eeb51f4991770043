/* libkern/elf.h: the 32-bit ELF structures (System V ABI, i386 supplement) that program, module and
 * boot-module loaders read. Shared by every kernel. */
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

/* ---- relocatable objects (the module loader) ---- */
#define ET_REL 1
#define ELFCLASS32 1
#define ELFDATA2LSB 1

struct secthdr {
  uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};
#define SHT_PROGBITS 1
#define SHT_SYMTAB   2
#define SHT_STRTAB   3
#define SHT_RELA     4
#define SHT_NOBITS   8
#define SHT_REL      9
#define SHF_WRITE     0x1
#define SHF_ALLOC     0x2
#define SHF_EXECINSTR 0x4

struct elfsym {
  uint32_t name, value, size;
  uint8_t info, other;
  uint16_t shndx;
};
#define SHN_UNDEF  0
#define SHN_ABS    0xFFF1
#define SHN_COMMON 0xFFF2
#define ELF_ST_BIND(i) ((i) >> 4)
#define STB_LOCAL 0

struct elfrel {
  uint32_t offset, info;
};
#define ELF_R_SYM(i)  ((i) >> 8)
#define ELF_R_TYPE(i) ((i) & 0xFF)
#define R_386_NONE  0
#define R_386_32    1
#define R_386_PC32  2
#define R_386_PLT32 4
