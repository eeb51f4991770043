/* v86.c: the real boot path. A VM configured to boot from its disk ("vm0=disk") starts as on
 * bare metal: the BIOS (vbios.c) has loaded sector 0 of the VM's disk at 0000:7C00, and the
 * guest's real-mode code runs in virtual-8086 mode — EFLAGS.VM = 1, CPL 3, IOPL 0 — so that
 * every instruction a real-mode guest could use to reach the machine traps to the hypervisor:
 *
 *   INT n, CLI, STI, PUSHF, POPF, IRET   #GP(0): IOPL < 3 (no CR4.VME)    -> emulated here
 *   IN, OUT, INS, OUTS                    #GP(0): the TSS has no I/O bitmap -> port_io
 *   HLT, LGDT, LIDT, MOV CRn, LMSW        #GP(0): privileged at CPL 3      -> emulated here
 *   0F FF nn at F000:E000 + 4 nn          #UD: a BIOS service (vbios.c)
 *
 * The virtual IF is the guest's; the real IF is 1 (the hypervisor keeps its timer). Interrupts
 * and exceptions are delivered the real-mode way: FLAGS, CS, IP pushed on the guest's SS:SP,
 * CS:IP taken from the IVT at the guest's IDTR base (0 after reset).
 *
 * Boot loaders leave real mode for protected mode (and come back for every BIOS call, as the
 * jx86 loader's thunk does). Both directions are traps: MOV CR0 with PE = 1 from v86 mode (which
 * must be followed by the far JMP that loads CS, as the SDM prescribes), and MOV CR0 with PE = 0
 * from the guest's ring-1 protected mode. The CPU keeps the segment registers' cached
 * descriptors across such a switch; the hypervisor gives each segment register an equivalent:
 * a real-mode segment (base / 16) on the way down, a 64 KiB ring-1 data segment with the same
 * base on the way up (cpu_real_seg), until the guest loads its own selectors. */
#include "vmm.h"

/* ---- the guest's real-mode memory: seg:off, with the 64 KiB wrap of the offset ---- */

static uint32_t lin(uint32_t seg, uint32_t off) {
  return ((seg & 0xFFFF) << 4) + (off & 0xFFFF);
}

static void push16(struct frame *f, uint16_t v) {
  f->esp = (f->esp & ~0xFFFF) | ((f->esp - 2) & 0xFFFF);
  if (!gwrite(lin(f->ss, f->esp), &v, 2))
    vm_kill("v86: stack outside guest memory");
}

static uint16_t pop16(struct frame *f) {
  uint16_t v = 0;
  if (!gread(lin(f->ss, f->esp), &v, 2))
    vm_kill("v86: stack outside guest memory");
  f->esp = (f->esp & ~0xFFFF) | ((f->esp + 2) & 0xFFFF);
  return v;
}

static void push32(struct frame *f, uint32_t v) {
  push16(f, v >> 16);
  push16(f, v);
}

static uint32_t pop32(struct frame *f) {
  uint32_t lo = pop16(f);
  return lo | (uint32_t)pop16(f) << 16;
}

/* Real mode runs at CPL 0: its POPF and IRET may set IOPL, and it reads back what it set. The
 * real IOPL stays 0 (so that the instructions keep trapping); the guest's is kept here. */
static uint32_t real_iopl PERVM;

/* FLAGS as the real-mode guest sees them: its virtual IF and IOPL, no VM or RF. */
static uint32_t vflags(struct frame *f) {
  uint32_t e = (f->eflags & ~(FL_IF | FL_IOPL | FL_VM | FL_RF)) | real_iopl;
  return vcpu.vif ? e | FL_IF : e;
}

/* FLAGS popped by POPF or IRET: the arithmetic flags, TF, DF, OF, NT go to the frame, IF to
 * the virtual IF, IOPL to the guest's IOPL; VM and RF are never taken from the stack. */
static void set_vflags(struct frame *f, uint32_t v) {
  uint32_t mask = 0x00000DD5 | FL_TF | FL_NT;
  f->eflags = (f->eflags & ~mask) | (v & mask);
  vcpu.vif = v & FL_IF;
  real_iopl = v & FL_IOPL;
}

void v86_int(struct frame *f, int vector) {
  uint16_t ivt[2];
  if ((uint32_t)vector * 4 + 3 > vcpu.idt_limit || !gread(vcpu.idt_base + vector * 4, ivt, 4))
    vm_kill("triple fault: interrupt vector beyond the real-mode IVT");
  push16(f, vflags(f));
  push16(f, f->cs);
  push16(f, f->eip);
  vcpu.vif = false;
  f->eflags &= ~(FL_TF | FL_RF);
  f->cs = ivt[1];
  f->eip = ivt[0];
}

void v86_iret(struct frame *f) {
  f->eip = pop16(f);
  f->cs = pop16(f);
  set_vflags(f, pop16(f) | (vflags(f) & 0xFFFF0000));
}

void v86_deliver(struct frame *f) {
  if (!vcpu.vif)
    return;
  int vec = vpic_pending();
  if (vec < 0)
    return;
  vpic_ack(vec);
  count(EX_INJECT_IRQ);
  v86_int(f, vec);
}

/* The real EFLAGS in v86 mode: VM, IOPL 0 (the sensitive instructions trap), IF 1. */
void v86_fixup(struct frame *f) {
  f->eflags = (f->eflags & ~FL_IOPL) | FL_VM | FL_IF | 2;
}

/* ---- decoding real-mode instructions ---- */

struct rinsn {
  uint8_t b[16];
  int n, pos;
  bool opsize, addrsize, rep;
  int seg;                    /* segment override: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS, -1 none */
  int mod, reg, rm;
  uint32_t ea;                /* linear address of a memory operand */
};

static uint32_t segval(struct frame *f, int s) {
  struct v86segs *vs = v86segs(f);
  switch (s) {
  case 0: return vs->es;
  case 1: return f->cs;
  case 2: return f->ss;
  case 4: return vs->fs;
  case 5: return vs->gs;
  default: return vs->ds;
  }
}

static int next(struct rinsn *in) {
  return in->pos < in->n ? in->b[in->pos++] : 0;
}

static uint32_t imm16(struct rinsn *in) {
  uint32_t lo = next(in);
  return lo | (uint32_t)next(in) << 8;
}

static uint32_t *reg32(struct frame *f, int r) {
  uint32_t *regs[8] = { &f->eax, &f->ecx, &f->edx, &f->ebx, &f->esp, &f->ebp, &f->esi, &f->edi };
  return regs[r & 7];
}

/* ModRM with 16-bit addressing (the 0x67 prefix is not supported in these instructions). */
static void modrm16(struct frame *f, struct rinsn *in) {
  int m = next(in);
  in->mod = m >> 6;
  in->reg = (m >> 3) & 7;
  in->rm = m & 7;
  if (in->mod == 3)
    return;
  static const int base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };    /* BX BX BP BP SI DI BP BX */
  static const int index[8] = { 6, 7, 6, 7, -1, -1, -1, -1 };
  uint32_t off = 0;
  bool bp = false;
  if (in->mod == 0 && in->rm == 6) {
    off = imm16(in);
  } else {
    off = *reg32(f, base[in->rm]);
    bp = base[in->rm] == 5;
    if (index[in->rm] >= 0)
      off += *reg32(f, index[in->rm]);
  }
  if (in->mod == 1)
    off += (int8_t)next(in);
  else if (in->mod == 2)
    off += imm16(in);
  int s = in->seg >= 0 ? in->seg : bp ? 2 : 3;
  in->ea = lin(segval(f, s), off);
}

static bool fetch(struct frame *f, struct rinsn *in) {
  uint32_t at = lin(f->cs, f->eip);
  in->n = 15;
  if (!gread(at, in->b, 15))
    return false;
  in->seg = -1;
  return true;
}

/* ---- switches between real and protected mode ---- */

/* MOV CR0 with PE = 1 in v86 mode: the guest enters protected mode. The next instruction must be
 * the far JMP that loads CS (SDM: "immediately followed by a far JMP or far CALL"); the
 * hypervisor carries out both and resumes the guest at the jump's target in ring 1. */
static void to_prot(struct frame *f, uint32_t cr0, int len) {
  struct rinsn j = { 0 };
  f->eip = (f->eip + len) & 0xFFFF;
  if (!fetch(f, &j))
    vm_kill("v86: code outside guest memory");
  int op = next(&j);
  bool wide = op == 0x66;
  if (wide)
    op = next(&j);
  if (op != 0xEA)
    vm_kill("PE set without the far JMP that must follow it (unsupported)");
  uint32_t eip = wide ? imm16(&j) | imm16(&j) << 16 : imm16(&j);
  uint16_t cs = imm16(&j);
  if (cr0 & CR0_PG)
    vm_kill("PE and PG set by one MOV CR0 (unsupported)");
  if (!cpu_sel_ok((cs & ~3) | 1, true, 1))
    vm_kill("the far JMP into protected mode names no usable code segment of the guest's GDT");
  if (eip > cpu_seg_limit((cs & ~3) | 1))      /* the hypervisor's IRET would fault on it */
    vm_kill("the far JMP into protected mode jumps beyond its code segment's limit");
  count(EX_V86_TO_PROT);
  vcpu.cr0 = cr0;
  struct v86segs *vs = v86segs(f);
  f->ss = cpu_real_seg(0, (f->ss & 0xFFFF) << 4);
  f->ds = cpu_real_seg(1, (vs->ds & 0xFFFF) << 4);
  f->es = cpu_real_seg(2, (vs->es & 0xFFFF) << 4);
  f->fs = cpu_real_seg(3, (vs->fs & 0xFFFF) << 4);
  f->gs = cpu_real_seg(4, (vs->gs & 0xFFFF) << 4);
  f->cs = (cs & ~3) | 1;
  f->eip = eip;
  f->eflags &= ~(FL_VM | FL_IOPL | FL_RF);
  vcpu.gdt_changed = false;                  /* the frame's selectors were chosen just now */
}

/* The base of a ring-1 segment register as a real-mode segment value (base / 16). */
static uint32_t real_seg(uint16_t sel) {
  uint32_t base;
  if (!cpu_seg_base(sel, &base) || (base & 0xF) || base > 0xFFFF0)
    vm_kill("real mode with a segment base no real-mode segment has (unsupported)");
  return base >> 4;
}

/* MOV CR0 with PE = 0 in the guest's ring-1 protected mode (emulate.c): the guest returns to real
 * mode, continuing after the MOV in v86 mode with the real-mode equivalents of its segments. */
void v86_from_prot(struct frame *f, uint32_t cr0, int len) {
  if (vcpu.cr0 & CR0_PG || cr0 & CR0_PG)
    vm_kill("real mode with paging on (unsupported)");
  count(EX_MOVCR_W);
  count(EX_V86_TO_REAL);
  uint32_t eip = f->eip + len;
  if (eip > 0xFFFF)
    vm_kill("real mode with EIP above 64 KiB (unsupported)");
  struct v86segs *vs = v86segs(f);             /* the 16 bytes above the frame (cpu.c) */
  vs->es = real_seg(f->es);
  vs->ds = real_seg(f->ds);
  vs->fs = real_seg(f->fs);
  vs->gs = real_seg(f->gs);
  f->cs = real_seg(f->cs);
  f->ss = real_seg(f->ss);
  f->eip = eip;
  f->ds = f->es = f->fs = f->gs = 0;           /* what the hypervisor's own return loads */
  vcpu.cr0 = cr0;
  f->eflags |= FL_VM;
}

/* ---- the #GP of v86 mode: the IOPL-sensitive and privileged instructions ---- */

static void string_io(struct frame *f, struct rinsn *in, int op) {
  int size = (op & 1) ? (in->opsize ? 4 : 2) : 1;
  bool out = op >= 0x6E;
  uint32_t n = in->rep ? (f->ecx & 0xFFFF) : 1;
  int step = (f->eflags & FL_DF) ? -size : size;
  uint16_t port = f->edx;
  struct v86segs *vs = v86segs(f);
  for (; n > 0; n--) {
    uint32_t v = 0;
    if (out) {
      if (!gread(lin(segval(f, in->seg >= 0 ? in->seg : 3), f->esi), &v, size))
        vm_kill("v86 OUTS: source outside guest memory");
      port_io(f, port, size, true, &v);
      f->esi = (f->esi & ~0xFFFF) | ((f->esi + step) & 0xFFFF);
    } else {
      port_io(f, port, size, false, &v);
      if (!gwrite(lin(vs->es, f->edi), &v, size))
        vm_kill("v86 INS: destination outside guest memory");
      f->edi = (f->edi & ~0xFFFF) | ((f->edi + step) & 0xFFFF);
    }
    if (in->rep)
      f->ecx = (f->ecx & ~0xFFFF) | ((f->ecx - 1) & 0xFFFF);
  }
}

/* 0F-prefixed system instructions: MOV to/from CRn, LGDT, LIDT, LMSW, SMSW, CLTS, WBINVD. */
static bool system_insn(struct frame *f, struct rinsn *in) {
  int op = next(in);
  uint8_t d[6];
  count(EX_V86_SYS);
  switch (op) {
  case 0x01:
    modrm16(f, in);
    if (in->reg == 2 || in->reg == 3) {        /* LGDT, LIDT: a 24-bit base without 0x66 */
      if (in->mod == 3 || !gread(in->ea, d, 6))
        return false;
      uint32_t base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[5] << 24;
      if (!in->opsize)
        base &= 0xFFFFFF;
      if (in->reg == 2) {
        count(EX_LGDT);
        vcpu.gdt_limit = d[0] | d[1] << 8;
        vcpu.gdt_base = base;
        cpu_guest_gdt();
      } else {                                 /* real mode: the IVT; protected: the IDT */
        count(EX_LIDT);
        vcpu.idt_limit = d[0] | d[1] << 8;
        vcpu.idt_base = base;
      }
      return true;
    }
    if (in->reg == 6) {                        /* LMSW: PE can be set, not cleared */
      uint16_t v = in->mod == 3 ? *reg32(f, in->rm) : 0;
      if (in->mod != 3 && !gread(in->ea, &v, 2))
        return false;
      uint32_t cr0 = (vcpu.cr0 & ~0xF) | (v & 0xF);
      if (cr0 & CR0_PE) {
        to_prot(f, cr0, in->pos);
        return true;
      }
      vcpu.cr0 = cr0;
      return true;
    }
    return false;
  case 0x20: case 0x22:
    modrm16(f, in);
    if (in->mod != 3 || (in->reg != 0 && in->reg != 2 && in->reg != 3 && in->reg != 4))
      return false;
    if (op == 0x20) {
      count(EX_MOVCR_R);
      uint32_t cr[5] = { vcpu.cr0, 0, vcpu.cr2, vcpu.cr3, vcpu.cr4 };
      *reg32(f, in->rm) = cr[in->reg];
      return true;
    }
    count(EX_MOVCR_W);
    uint32_t v = *reg32(f, in->rm);
    if (in->reg == 0 && (v & CR0_PE)) {
      to_prot(f, v, in->pos);
      return true;
    }
    if (in->reg == 0)
      vcpu.cr0 = v & ~CR0_PG;                  /* paging needs protected mode */
    else if (in->reg == 2)
      vcpu.cr2 = v;
    else if (in->reg == 3)
      vcpu.cr3 = v;
    else
      vcpu.cr4 = v;
    return true;
  case 0x06:                                   /* CLTS */
    vcpu.cr0 &= ~CR0_TS;
    return true;
  case 0x08: case 0x09:                        /* INVD, WBINVD */
    return true;
  }
  return false;
}

static void v86_gp(struct frame *f) {
  struct rinsn in = { 0 };
  if (!fetch(f, &in))
    vm_kill("v86: code outside guest memory");
  int op;
  for (;;) {
    op = next(&in);
    if (op == 0x66)
      in.opsize = true;
    else if (op == 0x67)
      in.addrsize = true;
    else if (op == 0xF3 || op == 0xF2)
      in.rep = true;
    else if (op == 0x26 || op == 0x2E || op == 0x36 || op == 0x3E)
      in.seg = (op >> 3) & 3;
    else if (op == 0x64 || op == 0x65)
      in.seg = op - 0x60;
    else if (op != 0xF0)
      break;
  }
  uint32_t v;
  switch (op) {
  case 0xFA:
    count(EX_V86_CLISTI);
    vcpu.vif = false;
    break;
  case 0xFB:
    count(EX_V86_CLISTI);
    vcpu.vif = true;
    break;
  case 0x9C:
    count(EX_V86_PUSHFPOPF);
    f->eip = (f->eip + in.pos) & 0xFFFF;
    if (in.opsize)
      push32(f, vflags(f));
    else
      push16(f, vflags(f));
    return;
  case 0x9D:
    count(EX_V86_PUSHFPOPF);
    f->eip = (f->eip + in.pos) & 0xFFFF;
    v = in.opsize ? pop32(f) : (pop16(f) | (vflags(f) & 0xFFFF0000));
    set_vflags(f, v);
    return;
  case 0xCF:
    count(EX_V86_IRET);
    if (in.opsize) {
      f->eip = pop32(f) & 0xFFFF;
      f->cs = pop32(f) & 0xFFFF;
      set_vflags(f, pop32(f));
    } else {
      v86_iret(f);
    }
    return;
  case 0xCD: case 0xCC: case 0xCE: {           /* INT n, INT3, INTO */
    int vec = op == 0xCD ? next(&in) : op == 0xCC ? 3 : 4;
    f->eip = (f->eip + in.pos) & 0xFFFF;
    if (op == 0xCE && !(f->eflags & 0x800))
      return;
    count(EX_V86_INT);
    v86_int(f, vec);
    return;
  }
  case 0xF4:
    count(EX_V86_HLT);
    f->eip = (f->eip + in.pos) & 0xFFFF;
    emulate_hlt(f);
    return;
  case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xEC: case 0xED: case 0xEE: case 0xEF: {
    bool out = op & 2;
    int size = (op & 1) ? (in.opsize ? 4 : 2) : 1;
    uint16_t port = (op & 8) ? (uint16_t)f->edx : (uint16_t)next(&in);
    count(EX_V86_IO);
    port_io_acc(f, port, size, out);
    break;
  }
  case 0x6C: case 0x6D: case 0x6E: case 0x6F:
    count(EX_V86_IO);
    count(op >= 0x6E ? EX_OUTS : EX_INS);
    if (in.addrsize)
      vm_kill("v86: string I/O with 32-bit addressing (unsupported)");
    string_io(f, &in, op);
    break;
  case 0x0F:
    if (in.addrsize || !system_insn(f, &in)) {
      count(EX_V86_EXC);
      v86_int(f, 13);
      return;
    }
    if (!(f->eflags & FL_VM))                  /* it switched to protected mode */
      return;
    break;
  default:                                     /* a real #GP of the guest (a limit) */
    count(EX_V86_EXC);
    v86_int(f, 13);
    return;
  }
  f->eip = (f->eip + in.pos) & 0xFFFF;
}

void v86_trap(struct frame *f) {
  switch (f->vector) {
  case 13:
    v86_gp(f);
    break;
  case 14:
    if (!shadow_fault(f, rcr2()))
      vm_kill("v86: access outside guest memory");
    break;
  case 6:
    if (vbios_stub(f))
      break;
    /* fall through: the guest's own #UD */
  default:
    count(EX_V86_EXC);
    v86_int(f, f->vector);
  }
}

/* The VM's first frame: real mode at 0000:7C00 with DL = 80h (the boot drive), SS:SP =
 * 0000:7C00, interrupts on — what the jx86 BIOS leaves for a boot sector. */
void v86_boot(struct frame *f) {
  vbios_install();
  if (!vbios_load_boot_sector())
    vm_kill("boot from disk: no disk, or sector 0 has no 0x55AA boot signature");
  struct v86segs *vs = v86segs(f);
  vs->es = vs->ds = vs->fs = vs->gs = 0;
  f->ds = f->es = f->fs = f->gs = 0;
  f->cs = 0;
  f->ss = 0;
  f->eip = 0x7C00;
  f->esp = 0x7C00;
  f->edx = 0x80;
  f->eflags = FL_VM | FL_IF | 2;
  vcpu.vif = true;
  vcpu.cr0 = 0x10;                             /* ET; PE = 0 */
  vcpu.idt_base = 0;
  vcpu.idt_limit = 0x3FF;
  real_iopl = 0;
  vcpu.gdt_limit = 0;
}
