/* patch.c: scan-and-patch, for the faithful CPU. When the hypervisor loads the guest kernel it
 * decodes every function of the kernel's ELF symbol table (a linear sweep from each STT_FUNC
 * start: gcc puts no data in .text) and replaces the first byte of each sensitive instruction
 * that would misbehave silently in ring 1 with HLT (F4), which traps there. The original bytes
 * are kept; when a patched address traps, emulate.c carries out the original instruction. So
 * POPF, SGDT/SIDT/SMSW, SLDT/STR, LAR/LSL and reading CS or SS give the guest kernel what bare
 * metal would. (PUSHF needs no patch: the IF policy of trap.c makes it right. Code the guest
 * loads at run time, such as modules, is not scanned.) "patch=0" turns it off; "patch=list"
 * prints every sensitive or privileged instruction the sweep finds, for checking the decoder
 * against objdump. */
#include "vmm.h"
#include "libkern/elf.h"
#include "libkern/string.h"

int opt_patch = 1;
int opt_patch_list;

struct patch {
  uint32_t va;
  uint8_t len;
  uint8_t bytes[15];
};
#define NPATCH 512
static struct patch patches[NPATCH];
static int npatch;

/* Length of the 32-bit instruction at p (at most max bytes), 0 if not decodable here. */
static int insn_len(const uint8_t *p, int max, int *opstart) {
  int i = 0;
  bool osz = false;
  for (;; i++) {
    if (i >= max)
      return 0;
    uint8_t b = p[i];
    if (b == 0x66)
      osz = true;
    else if (b == 0x67)
      return 0;                                 /* 16-bit addressing: not in 32-bit kernels */
    else if (b != 0xF0 && b != 0xF2 && b != 0xF3 && b != 0x26 && b != 0x2E && b != 0x36 && b != 0x3E &&
             b != 0x64 && b != 0x65)
      break;
  }
  *opstart = i;
  int immz = osz ? 2 : 4, imm = 0;
  bool modrm = false;
  uint8_t op = p[i++];
  if (op == 0x0F) {
    if (i >= max)
      return 0;
    uint8_t o2 = p[i++];
    if (o2 >= 0x80 && o2 <= 0x8F)
      imm = immz;
    else if (o2 == 0x0F || o2 == 0x38 || o2 == 0x3A)
      return 0;
    else if ((o2 >= 0x05 && o2 <= 0x09) || o2 == 0x0B || o2 == 0x0E || (o2 >= 0x30 && o2 <= 0x37) ||
             o2 == 0x77 || o2 == 0xA0 || o2 == 0xA1 || o2 == 0xA2 || o2 == 0xA8 || o2 == 0xA9 || o2 == 0xAA ||
             (o2 >= 0xC8 && o2 <= 0xCF))
      ;
    else {
      modrm = true;
      if (o2 == 0xA4 || o2 == 0xAC || o2 == 0xBA || (o2 >= 0x70 && o2 <= 0x73) || o2 == 0xC2 ||
          (o2 >= 0xC4 && o2 <= 0xC6))
        imm = 1;
    }
  } else if (op < 0x40) {
    switch (op & 7) {
    case 0: case 1: case 2: case 3: modrm = true; break;
    case 4: imm = 1; break;
    case 5: imm = immz; break;
    default: break;                             /* push/pop segment, DAA/DAS/AAA/AAS */
    }
  } else if (op <= 0x61 || (op >= 0x6C && op <= 0x6F) || (op >= 0x90 && op <= 0x99) ||
             (op >= 0x9B && op <= 0x9F) || (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF) ||
             op == 0xC3 || op == 0xC9 || op == 0xCB || op == 0xCC || op == 0xCE || op == 0xCF ||
             op == 0xD6 || op == 0xD7 || (op >= 0xEC && op <= 0xEF) || op == 0xF1 || op == 0xF4 ||
             op == 0xF5 || (op >= 0xF8 && op <= 0xFD)) {
    ;
  } else if (op == 0x62 || op == 0x63 || (op >= 0x84 && op <= 0x8F) || op == 0xC4 || op == 0xC5 ||
             (op >= 0xD0 && op <= 0xD3) || (op >= 0xD8 && op <= 0xDF) || op == 0xFE || op == 0xFF) {
    modrm = true;
  } else if (op == 0x69 || op == 0x81 || op == 0xC7) {
    modrm = true;
    imm = immz;
  } else if (op == 0x6B || op == 0x80 || op == 0x82 || op == 0x83 || op == 0xC0 || op == 0xC1 || op == 0xC6) {
    modrm = true;
    imm = 1;
  } else if (op == 0x68 || op == 0xA9 || (op >= 0xB8 && op <= 0xBF) || op == 0xE8 || op == 0xE9) {
    imm = immz;
  } else if (op == 0x6A || (op >= 0x70 && op <= 0x7F) || op == 0xA8 || (op >= 0xB0 && op <= 0xB7) ||
             op == 0xCD || op == 0xD4 || op == 0xD5 || (op >= 0xE0 && op <= 0xE7) || op == 0xEB) {
    imm = 1;
  } else if (op >= 0xA0 && op <= 0xA3) {
    imm = 4;
  } else if (op == 0xC2 || op == 0xCA) {
    imm = 2;
  } else if (op == 0xC8) {
    imm = 3;
  } else if (op == 0x9A || op == 0xEA) {
    imm = immz + 2;
  } else if (op == 0xF6 || op == 0xF7) {
    modrm = true;
    if (i < max && ((p[i] >> 3) & 7) < 2)
      imm = op == 0xF6 ? 1 : immz;
  } else {
    return 0;
  }
  if (modrm) {
    if (i >= max)
      return 0;
    uint8_t m = p[i++];
    int mod = m >> 6, rm = m & 7;
    if (mod != 3) {
      if (rm == 4) {
        if (i >= max)
          return 0;
        if (mod == 0 && (p[i] & 7) == 5)
          i += 4;
        i++;
      } else if (mod == 0 && rm == 5) {
        i += 4;
      }
      if (mod == 1)
        i += 1;
      else if (mod == 2)
        i += 4;
    }
  }
  i += imm;
  return i <= max ? i : 0;
}

/* Sensitive or privileged (for the listing); *patch: one that needs patching on a faithful CPU. */
static bool classify(const uint8_t *op, bool *patch) {
  uint8_t o = op[0], reg = (op[1] >> 3) & 7;
  *patch = false;
  switch (o) {
  case 0x9D: case 0x0E: case 0x16:
    *patch = true;
    return true;
  case 0x9C: case 0x06: case 0x1E: case 0xCF: case 0xFA: case 0xFB: case 0xF4:
  case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xEC: case 0xED: case 0xEE: case 0xEF:
  case 0x6C: case 0x6D: case 0x6E: case 0x6F:
    return true;
  case 0x8C:
    *patch = reg == 1 || reg == 2;
    return true;
  case 0x0F:
    switch (op[1]) {
    case 0x00:
      reg = (op[2] >> 3) & 7;
      *patch = reg == 0 || reg == 1;
      return true;
    case 0x01:
      reg = (op[2] >> 3) & 7;
      *patch = reg == 0 || reg == 1 || reg == 4;
      return true;
    case 0x02: case 0x03:
      *patch = true;
      return true;
    case 0x20: case 0x21: case 0x22: case 0x23: case 0xA0: case 0xA8:
      return true;
    }
    return false;
  }
  return false;
}

static void sweep(const struct elfhdr *eh, uint32_t start, uint32_t size) {
  const struct proghdr *ph = (const void *)((const uint8_t *)eh + eh->phoff);
  for (int k = 0; k < eh->phnum; k++) {
    if (ph[k].type != PT_LOAD || !(ph[k].flags & PF_X) || start < ph[k].vaddr ||
        start + size > ph[k].vaddr + ph[k].filesz)
      continue;
    uint8_t *code = gpa2hva(ph[k].paddr + (start - ph[k].vaddr));
    for (uint32_t off = 0; off < size;) {
      int at, n = insn_len(code + off, size - off > 15 ? 15 : size - off, &at);
      if (n == 0)
        return;                               /* stop at what cannot be decoded: patch nothing more */
      bool patch;
      if (classify(code + off + at, &patch)) {
        if (opt_patch_list)
          vmm_printf("vmm: scan: %x\n", start + off);
        if (patch && opt_patch && npatch < NPATCH) {
          struct patch *p = &patches[npatch++];
          p->va = start + off;
          p->len = n;
          memmove(p->bytes, code + off, n);
          code[off] = 0xF4;
        }
      }
      off += n;
    }
    return;
  }
}

void patch_guest(const uint8_t *img, uint32_t size) {
  const struct elfhdr *eh = (const void *)img;
  if (!opt_patch && !opt_patch_list)
    return;
  if (eh->shoff == 0 || eh->shoff + eh->shnum * sizeof(struct secthdr) > size)
    return;
  const struct secthdr *sh = (const void *)(img + eh->shoff);
  for (int s = 0; s < eh->shnum; s++) {
    if (sh[s].type != SHT_SYMTAB || sh[s].offset + sh[s].size > size)
      continue;
    const struct elfsym *sym = (const void *)(img + sh[s].offset);
    for (uint32_t j = 0; j < sh[s].size / sizeof *sym; j++)
      if ((sym[j].info & 0xF) == 2 && sym[j].size > 0)      /* STT_FUNC */
        sweep(eh, sym[j].value, sym[j].size);
  }
  if (npatch)
    vmm_printf("vmm: patched %d sensitive instruction(s) in the guest kernel\n", npatch);
}

/* The original bytes of the patched instruction at guest EIP va, if it is one. */
bool patch_lookup(uint32_t va, uint8_t *bytes, int *n) {
  for (int i = 0; i < npatch; i++)
    if (patches[i].va == va) {
      memmove(bytes, patches[i].bytes, patches[i].len);
      *n = patches[i].len;
      return true;
    }
  return false;
}
