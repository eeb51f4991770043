package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * EFLAGS transfer and control (SDM Vol. 1, 7.3.13; Vol. 2 PUSHF/POPF, LAHF/SAHF, CLI/STI):
 * the IOPL, CPL and V86 rules for POPF/CLI/STI. Not modelled: VME/PVI virtual interrupt flags.
 */
final class FlagControl {
    /** Bits POPF may change at CPL 0 (VM, RF, VIF, VIP are never changed by POPF). */
    private static final int POPF_MASK = Flags.STATUS | Cpu.TF | Cpu.IF | Cpu.DF | Cpu.IOPL_MASK | Cpu.NT
            | Cpu.AC | Cpu.ID;

    private FlagControl() {
    }

    static void pushf(Cpu c) {
        Mem.push(c, c.osz, pushfValue(c));
    }

    /** PUSHF's checks (#GP) and the value it pushes (the decoded-instruction cache's PUSHF32 pushes it too). */
    static int pushfValue(Cpu c) {
        c.strictCheck();
        if (c.v86Mode() && c.iopl() < 3) {
            throw CpuFault.gp(0);
        }
        return Flags.materialize(c) & ~(Cpu.VM | Cpu.RF);
    }

    static void popf(Cpu c) {
        c.strictCheck();
        boolean v86 = c.v86Mode();
        if (v86 && c.iopl() < 3) {
            throw CpuFault.gp(0);
        }
        int v = Mem.peek(c, 0, c.osz);
        int mask = POPF_MASK;
        if (c.protectedMode()) {
            if (c.cpl() > 0) {
                mask &= ~Cpu.IOPL_MASK;
            }
            if (c.cpl() > c.iopl()) {
                mask &= ~Cpu.IF;
            }
        }
        if (c.osz == 2) {
            mask &= 0xFFFF;
        }
        int old = Flags.materialize(c);
        c.setEflags((old & ~mask) | (v & mask));
        Mem.setSp(c, Mem.spPlus(c, Mem.sp(c), c.osz));
    }

    static void lahf(Cpu c) {
        int f = Flags.materialize(c);
        Mem.setReg(c, 1, 4, (f & (Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF)) | 2);
    }

    static void sahf(Cpu c) {
        int ah = (c.regs[Cpu.EAX] >>> 8) & 0xFF;
        int which = Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF;
        Flags.update(c, which, ah);
    }

    private static void checkIopl(Cpu c) {
        if (c.protectedMode() && c.cpl() > c.iopl()) {
            throw CpuFault.gp(0);
        }
    }

    static void cli(Cpu c) {
        checkIopl(c);
        c.eflags &= ~Cpu.IF;
    }

    /** STI: when IF was 0, interrupts stay blocked until after the next instruction. */
    static void sti(Cpu c) {
        checkIopl(c);
        if ((c.eflags & Cpu.IF) == 0) {
            c.inhibitInterrupts = true;
        }
        c.eflags |= Cpu.IF;
    }

    /** CMC (F5). */
    static void cmc(Cpu c) {
        Flags.update(c, Cpu.CF, Flags.cf(c) ? 0 : Cpu.CF);
    }

    /** CLC (F8). */
    static void clc(Cpu c) {
        Flags.update(c, Cpu.CF, 0);
    }

    /** STC (F9). */
    static void stc(Cpu c) {
        Flags.update(c, Cpu.CF, Cpu.CF);
    }

    /** CLD (FC). */
    static void cld(Cpu c) {
        c.eflags &= ~Cpu.DF;
    }

    /** STD (FD). */
    static void std(Cpu c) {
        c.eflags |= Cpu.DF;
    }

    /** SALC (D6, undocumented, present on P6): AL = CF ? FF : 00. */
    static void salc(Cpu c) {
        Mem.setReg(c, 1, Cpu.EAX, Flags.cf(c) ? 0xFF : 0);
    }
}
