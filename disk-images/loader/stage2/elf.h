/* elf.h: the ELF32 header fields the loader reads (System V ABI, i386 supplement). */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>

#define PT_LOAD 1
#define EM_386 3

struct elf32_ehdr {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

#endif
