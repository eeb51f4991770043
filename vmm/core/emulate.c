/* emulate.c: the privileged instructions of the guest kernel (ring 1), which fault with #GP (or
 * #NP for IRET to user mode, see trap.c), decoded from guest memory and carried out on the
 * virtual CPU. Only what an IA-32 kernel uses is decoded: 32-bit addressing, flat segments. */
#include "vmm.h"

struct insn {
  uint8_t b[16];
  int n;                 /* bytes fetched */
  int pos;               /* decode position */
  bool opsize, rep;
  /* ModRM */
  int mod, reg, rm;
  uint32_t ea;
};

static uint32_t *gpr(struct frame *f, int r) {
  switch (r & 7) {
  case 0: return &f->eax;
  case 1: return &f->ecx;
  case 2: return &f->edx;
  case 3: return &f->ebx;
  case 4: return &f->esp;
  case 5: return &f->ebp;
  case 6: return &f->esi;
  default: return &f->edi;
  }
}

/* Up to 15 bytes at the guest's EIP: one walk of the guest's tables per page touched. */
static bool fetch(struct frame *f, struct insn *in) {
  uint32_t first = 0x1000 - (f->eip & 0xFFF);
  if (first > 15)
    first = 15;
  if (!gread(f->eip, in->b, first))
    return false;
  in->n = first;
  if (first < 15 && gread(f->eip + first, in->b + first, 15 - first))
    in->n = 15;
  return true;
}

static int next(struct insn *in) {
  return in->pos < in->n ? in->b[in->pos++] : -1;
}

static uint32_t imm32(struct insn *in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)(next(in) & 0xFF) << (8 * i);
  return v;
}

/* ModRM (+ SIB + displacement) with 32-bit addressing; segment bases are 0 (flat guests). */
static void modrm(struct frame *f, struct insn *in) {
  int m = next(in);
  in->mod = (m >> 6) & 3;
  in->reg = (m >> 3) & 7;
  in->rm = m & 7;
  if (in->mod == 3)
    return;
  uint32_t ea = 0;
  if (in->rm == 4) {
    int sib = next(in);
    int scale = (sib >> 6) & 3, index = (sib >> 3) & 7, base = sib & 7;
    if (index != 4)
      ea += *gpr(f, index) << scale;
    if (base == 5 && in->mod == 0)
      ea += imm32(in);
    else
      ea += *gpr(f, base);
  } else if (in->rm == 5 && in->mod == 0) {
    ea = imm32(in);
  } else {
    ea = *gpr(f, in->rm);
  }
  if (in->mod == 1)
    ea += (int8_t)next(in);
  else if (in->mod == 2)
    ea += imm32(in);
  in->ea = ea;
}

static uint32_t veflags(struct frame *f) {
  uint32_t e = f->eflags & ~(FL_IF | FL_IOPL);
  return vcpu.vif ? e | FL_IF : e;
}

void emulate_hlt(struct frame *f) {
  count(EX_HLT);
  if (!vcpu.vif) {
    vmm_printf("vmm: VM %d halted with interrupts off\n", vcpu.id);
    if (opt_stats)
      stats_print();
    if (nvms > 1) {                  /* a panic or a dead guest: the other VM runs on */
      vm_report("halted with interrupts off (panic or hang)");
      vm_stop(3);
    }
    for (;;)
      __asm__ volatile("cli; hlt");
  }
  /* wait for a real interrupt that becomes a deliverable virtual one (another VM runs meanwhile) */
  vm_halt_wait();
}

static void string_io(struct frame *f, struct insn *in, int op) {
  int size = (op & 1) ? (in->opsize ? 2 : 4) : 1;
  bool out = op >= 0x6E;
  uint32_t n = in->rep ? f->ecx : 1;
  int step = (f->eflags & FL_DF) ? -size : size;
  uint16_t port = f->edx;
  count(out ? EX_OUTS : EX_INS);
  for (; n > 0; n--) {
    uint32_t v = 0;
    if (out) {
      if (!gread(f->esi, &v, size))
        vm_kill("OUTS: source not mapped");
      port_io(f, port, size, true, &v);
      f->esi += step;
    } else {
      port_io(f, port, size, false, &v);
      if (!gwrite(f->edi, &v, size))
        vm_kill("INS: destination not mapped");
      f->edi += step;
    }
    if (in->rep)
      f->ecx--;
  }
}

static void mov_to_cr(int cr, uint32_t v) {
  count(EX_MOVCR_W);
  switch (cr) {
  case 0:
    if (!(v & CR0_PE))
      vm_kill("guest turned protection off (real mode is unsupported)");
    if ((vcpu.cr0 ^ v) & CR0_WP) {
      vcpu.cr0 = v;
      shadow_reset();
    } else if ((vcpu.cr0 ^ v) & CR0_PG) {
      vcpu.cr0 = v;
      shadow_flush();
    }
    vcpu.cr0 = v;
    break;
  case 2: vcpu.cr2 = v; break;
  case 3:
    vcpu.cr3 = v;
    if (vcpu.cr0 & CR0_PG)
      shadow_flush();
    break;
  case 4:
    if ((vcpu.cr4 ^ v) & (CR4_PSE | CR4_PGE)) {
      vcpu.cr4 = v;
      shadow_reset();
    }
    vcpu.cr4 = v;
    break;
  }
}

static uint32_t read_cr(int cr) {
  count(EX_MOVCR_R);
  switch (cr) {
  case 0: return vcpu.cr0;
  case 2: return vcpu.cr2;
  case 3: return vcpu.cr3;
  case 4: return vcpu.cr4;
  default: return 0;
  }
}

static uint16_t rm16(struct frame *f, struct insn *in) {
  if (in->mod == 3)
    return *gpr(f, in->rm);
  uint16_t v = 0;
  if (!gread(in->ea, &v, 2))
    vm_kill("descriptor-table operand not mapped");
  return v;
}

/* Stores a 16-bit value to a ModRM destination (register: zero-extended with a 32-bit operand). */
static void put_rm16(struct frame *f, struct insn *in, uint32_t v) {
  if (in->mod == 3) {
    uint32_t *r = gpr(f, in->rm);
    *r = in->opsize ? (*r & 0xFFFF0000) | (v & 0xFFFF) : v;
  } else if (!gwrite(in->ea, &v, 2)) {
    vm_kill("store to an unmapped operand");
  }
}

/* The selector as the guest believes it: its kernel's RPL 1 is RPL 0. */
static uint32_t vsel(uint32_t sel) {
  return (sel & 3) == 1 ? sel & ~3 : sel;
}

static bool group0f01(struct frame *f, struct insn *in, bool user) {
  modrm(f, in);
  uint8_t d[6];
  if (user && in->reg != 0 && in->reg != 1 && in->reg != 4)
    return false;
  switch (in->reg) {
  case 0: case 1: {                                 /* SGDT, SIDT (trap on a strict CPU only) */
    if (in->mod == 3)
      return false;
    count(EX_DESCREAD);
    uint32_t lim = in->reg == 0 ? vcpu.gdt_limit : vcpu.idt_limit;
    uint32_t base = in->reg == 0 ? vcpu.gdt_base : vcpu.idt_base;
    uint8_t o[6] = { lim, lim >> 8, base, base >> 8, base >> 16, base >> 24 };
    if (!gwrite(in->ea, o, 6))
      vm_kill("SGDT/SIDT: operand not mapped");
    return true;
  }
  case 4:                                           /* SMSW */
    count(EX_DESCREAD);
    if (in->mod == 3)
      *gpr(f, in->rm) = in->opsize ? (*gpr(f, in->rm) & 0xFFFF0000) | (vcpu.cr0 & 0xFFFF) : vcpu.cr0;
    else
      put_rm16(f, in, vcpu.cr0);
    return true;
  case 2: case 3:                                   /* LGDT, LIDT */
    if (in->mod == 3 || !gread(in->ea, d, 6))
      return false;
    if (in->reg == 2) {
      count(EX_LGDT);
      vcpu.gdt_limit = d[0] | d[1] << 8;
      vcpu.gdt_base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[5] << 24;
      cpu_guest_gdt();
    } else {
      count(EX_LIDT);
      vcpu.idt_limit = d[0] | d[1] << 8;
      vcpu.idt_base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[5] << 24;
      cpu_guest_idt();
    }
    return true;
  case 6:                                           /* LMSW: the low four bits of CR0 */
    mov_to_cr(0, (vcpu.cr0 & ~0xE) | (rm16(f, in) & 0xF) | (vcpu.cr0 & 1));
    return true;
  case 7:                                           /* INVLPG */
    if (in->mod == 3)
      return false;
    count(EX_INVLPG);
    shadow_invlpg(in->ea);
    return true;
  }
  return false;
}

/* VERR/VERW/LAR/LSL on the guest's own descriptor, with the guest's idea of its privilege. */
static bool desc_check(struct frame *f, uint16_t sel, uint32_t *lo, uint32_t *hi) {
  int cpl = frame_cpl(f) == 3 ? 3 : 0;
  if (!(sel & ~3) || !cpu_guest_desc(sel, lo, hi))
    return false;
  int dpl = (*hi >> 13) & 3;
  bool conforming_code = (*hi & (1 << 12)) && (*hi & (1 << 11)) && (*hi & (1 << 10));
  return conforming_code || dpl >= (cpl > (sel & 3) ? cpl : (sel & 3));
}

static void set_zf(struct frame *f, bool z) {
  if (z)
    f->eflags |= 0x40;
  else
    f->eflags &= ~0x40;
}

static bool group0f00(struct frame *f, struct insn *in, bool user) {
  modrm(f, in);
  uint16_t sel;
  uint32_t lo, hi;
  if (user && in->reg != 0 && in->reg != 1 && in->reg != 4 && in->reg != 5)
    return false;
  switch (in->reg) {
  case 0: case 1:                                   /* SLDT, STR */
    count(EX_DESCREAD);
    put_rm16(f, in, in->reg == 0 ? vcpu.ldtr : vcpu.tr);
    return true;
  case 4: case 5: {                                 /* VERR, VERW */
    count(EX_DESCREAD);
    sel = rm16(f, in);
    bool ok = desc_check(f, sel, &lo, &hi) && (hi & (1 << 12)) && (hi & (1 << 15));
    bool code = hi & (1 << 11);
    if (in->reg == 4)
      ok = ok && (!code || (hi & (1 << 9)));
    else
      ok = ok && !code && (hi & (1 << 9));
    set_zf(f, ok);
    return true;
  }
  case 2:                                           /* LLDT */
    count(EX_LLDT);
    sel = rm16(f, in);
    if (sel & ~3)
      vm_kill("guest loaded an LDT (unsupported)");
    vcpu.ldtr = 0;
    return true;
  case 3:                                           /* LTR: kept virtually, read at each user->kernel entry */
    count(EX_LTR);
    sel = rm16(f, in);
    if (!cpu_guest_desc(sel, &lo, &hi) || !(hi & (1 << 15)))
      vm_kill("LTR: no such TSS descriptor in the guest GDT");
    vcpu.tr = sel;
    vcpu.tr_base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
    return true;
  }
  return false;
}

/* Emulates the instruction at the guest's EIP if it is one the guest kernel may execute;
 * false: not ours (the fault is the guest's, and is reflected). */
/* The instructions that only a strict CPU makes trap, which the VM's user mode may execute too. */
static bool user_sensitive(struct insn *in, int op) {
  if (op == 0x9C || op == 0x9D || op == 0xCF || op == 0x06 || op == 0x0E || op == 0x16 || op == 0x1E ||
      op == 0x8C)
    return true;
  if (op != 0x0F || in->pos >= in->n)
    return false;
  int op2 = in->b[in->pos];
  return op2 == 0x00 || op2 == 0x01 || op2 == 0x02 || op2 == 0x03 || op2 == 0xA0 || op2 == 0xA8;
}

/* May guest user mode use these ports? The CPU's rule (IOPL is always 0 for the guest's user
 * mode): every bit for port..port+size-1 in the I/O permission bitmap of the guest's TSS is 0
 * and inside the TSS's limit. kernel-microkernel grants its user-level drivers their ports
 * this way (IoControl); the real TSS has no bitmap, so the access trapped and is checked here. */
static bool user_io_allowed(uint16_t port, int size) {
  uint32_t lo, hi;
  uint16_t iomb;
  if (!vcpu.tr || !cpu_guest_desc(vcpu.tr, &lo, &hi) || !gread(vcpu.tr_base + 102, &iomb, 2))
    return false;
  uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
  if (hi & (1 << 23))
    limit = (limit << 12) | 0xFFF;
  uint32_t first = iomb + port / 8, last = iomb + (port + size - 1) / 8;
  if (last > limit)
    return false;
  uint16_t bits = 0;
  if (!gread(vcpu.tr_base + first, &bits, last - first + 1))
    return false;
  uint16_t want = ((1u << size) - 1) << (port & 7);
  return !(bits & want);
}

static bool is_io(int op) {
  return (op >= 0xE4 && op <= 0xE7) || (op >= 0xEC && op <= 0xEF) || (op >= 0x6C && op <= 0x6F);
}

bool emulate_gp(struct frame *f) {
  bool user = frame_cpl(f) == 3;
  struct insn in = { 0 };
  bool patched = !user && patch_lookup(f->eip, in.b, &in.n);
  if (patched)
    count(EX_PATCHED);                              /* the original bytes of a patched instruction */
  else if (!fetch(f, &in))
    return false;
  int op;
  for (;;) {
    op = next(&in);
    if (op == 0x66)
      in.opsize = true;
    else if (op == 0xF3 || op == 0xF2)
      in.rep = true;
    else if (op == 0x2E || op == 0x36 || op == 0x3E || op == 0x26 || op == 0x64 || op == 0x65 || op == 0xF0)
      continue;
    else
      break;
  }
  if (f->vector == 11)                              /* #NP: only IRET to user mode is ours */
    return !user && op == 0xCF && (guest_iret(f), true);
  if (user && is_io(op)) {                          /* ring 3 I/O: the guest TSS's bitmap decides */
    int size = (op & 1) ? (in.opsize ? 2 : 4) : 1;
    uint16_t port = (op == 0xE4 || op == 0xE5 || op == 0xE6 || op == 0xE7) ? (uint16_t)in.b[in.pos]
                                                                          : (uint16_t)f->edx;
    if (!user_io_allowed(port, size))
      return false;
  } else if (user && !user_sensitive(&in, op)) {    /* the guest's own #GP */
    return false;
  }
  uint32_t v;
  switch (op) {
  case 0xFA:
    count(EX_CLI);
    vcpu.vif = false;
    break;
  case 0xFB:
    count(EX_STI);
    vcpu.vif = true;
    f->eip += in.pos;
    /* STI's interrupt shadow covers the next instruction: "sti; hlt" must halt before the
     * interrupt comes, or the wake-up would be lost */
    if (in.pos < in.n && in.b[in.pos] == 0xF4) {
      f->eip++;
      emulate_hlt(f);
    }
    return true;
  case 0xF4:
    f->eip += in.pos;
    emulate_hlt(f);
    return true;
  case 0xCF:
    guest_iret(f);
    return true;
  case 0x06: case 0x0E: case 0x16: case 0x1E: {    /* PUSH ES/CS/SS/DS (strict CPU only) */
    count(EX_SEGREAD);
    uint32_t segs[4] = { f->es, f->cs, f->ss, f->ds };
    v = vsel(segs[op >> 3]);
    f->esp -= in.opsize ? 2 : 4;
    if (!gwrite(f->esp, &v, in.opsize ? 2 : 4))
      vm_kill("PUSH Sreg: stack not mapped");
    break;
  }
  case 0x8C: {                                      /* MOV r/m, Sreg (strict CPU only) */
    modrm(f, &in);
    count(EX_SEGREAD);
    uint32_t segs[6] = { f->es, f->cs, f->ss, f->ds, f->fs, f->gs };
    if (in.reg > 5)
      return false;
    v = vsel(segs[in.reg]);
    if (in.mod == 3)
      *gpr(f, in.rm) = in.opsize ? (*gpr(f, in.rm) & 0xFFFF0000) | v : v;
    else
      put_rm16(f, &in, v);
    break;
  }
  case 0x9C:                                        /* PUSHF (traps on a strict CPU only) */
    count(EX_PUSHF);
    v = (user ? f->eflags & ~FL_IOPL : veflags(f)) & ~(FL_RF | FL_VM);
    f->esp -= in.opsize ? 2 : 4;
    if (!gwrite(f->esp, &v, in.opsize ? 2 : 4))
      vm_kill("PUSHF: stack not mapped");
    break;
  case 0x9D:                                        /* POPF */
    count(EX_POPF);
    v = 0;
    if (!gread(f->esp, &v, in.opsize ? 2 : 4))
      vm_kill("POPF: stack not mapped");
    f->esp += in.opsize ? 2 : 4;
    if (in.opsize)
      v |= f->eflags & 0xFFFF0000;
    if (!user)                                      /* ring 3 may not change IF: POPF ignores it */
      vcpu.vif = v & FL_IF;
    f->eflags = (f->eflags & ~0x00254DD5) | (v & 0x00254DD5) | 2;
    break;
  case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xEC: case 0xED: case 0xEE: case 0xEF: {
    bool out = op & 2;
    int size = (op & 1) ? (in.opsize ? 2 : 4) : 1;
    uint16_t port = (op & 8) ? (uint16_t)f->edx : (uint16_t)next(&in);
    port_io_acc(f, port, size, out);
    break;
  }
  case 0x6C: case 0x6D: case 0x6E: case 0x6F:
    string_io(f, &in, op);
    break;
  case 0x8E: {                                      /* MOV Sreg: only SS (RPL 0 != CPL 1) traps */
    modrm(f, &in);
    uint16_t sel = rm16(f, &in);
    if (in.reg != 2)
      return false;
    count(EX_MOVSS);
    uint16_t real = (sel & 3) == 0 ? sel | 1 : sel;
    if (!cpu_sel_ok(real, false, 1))
      return false;
    f->ss = real;
    break;
  }
  case 0x0F:
    op = next(&in);
    switch (op) {
    case 0x00:
      if (!group0f00(f, &in, user))
        return false;
      break;
    case 0x01:
      if (!group0f01(f, &in, user))
        return false;
      break;
    case 0x02: case 0x03: {                         /* LAR, LSL */
      modrm(f, &in);
      count(EX_DESCREAD);
      uint32_t lo, hi;
      bool ok = desc_check(f, rm16(f, &in), &lo, &hi);
      set_zf(f, ok);
      if (ok) {
        uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
        if (hi & (1 << 23))
          limit = (limit << 12) | 0xFFF;
        uint32_t v = op == 0x02 ? (hi & 0x00F0FF00) : limit;
        uint32_t *r = gpr(f, in.reg);
        *r = in.opsize ? (*r & 0xFFFF0000) | (v & 0xFFFF) : v;
      }
      break;
    }
    case 0xA0: case 0xA8:                           /* PUSH FS, PUSH GS */
      count(EX_SEGREAD);
      v = vsel(op == 0xA0 ? f->fs : f->gs);
      f->esp -= in.opsize ? 2 : 4;
      if (!gwrite(f->esp, &v, in.opsize ? 2 : 4))
        vm_kill("PUSH Sreg: stack not mapped");
      break;
    case 0x06:
      count(EX_CLTS);
      vcpu.cr0 &= ~CR0_TS;
      break;
    case 0x08: case 0x09:                           /* INVD, WBINVD: nothing to do */
      count(EX_OTHER_INSN);
      break;
    case 0x20: case 0x22: {
      modrm(f, &in);
      if (op == 0x22 && in.reg == 0 && !(*gpr(f, in.rm) & CR0_PE)) {
        v86_from_prot(f, *gpr(f, in.rm), in.pos);   /* to real mode: v86.c */
        return true;
      }
      if (op == 0x20)
        *gpr(f, in.rm) = read_cr(in.reg);
      else
        mov_to_cr(in.reg, *gpr(f, in.rm));
      break;
    }
    case 0x21: case 0x23:
      modrm(f, &in);
      count(EX_MOVDR);
      if (op == 0x21)
        *gpr(f, in.rm) = vcpu.dr[in.reg];
      else
        vcpu.dr[in.reg] = *gpr(f, in.rm);
      break;
    case 0x30:                                      /* WRMSR: no MSR of the VM has an effect */
      count(EX_MSR);
      break;
    case 0x32:                                      /* RDMSR: every MSR reads 0 */
      count(EX_MSR);
      f->eax = f->edx = 0;
      break;
    default:
      return false;
    }
    break;
  default:
    return false;
  }
  f->eip += in.pos;
  return true;
}
