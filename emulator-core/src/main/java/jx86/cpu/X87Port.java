package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import jx86.cpu.fpu.Bus;
import jx86.cpu.fpu.X87;

/**
 * The hook between the integer core and the x87 ({@link jx86.cpu.fpu.X87}): opcodes D8-DF call
 * {@link #esc} and 9B (WAIT/FWAIT) calls {@link #fwait}. Implements {@link Bus} over {@link Mem}
 * so the FPU sees memory with the CPU's segment and paging checks.
 *
 * <p>#NM (SDM Vol. 3A, 2.5 and Table 2-2): an escape opcode with CR0.EM or CR0.TS set; WAIT with
 * CR0.MP and CR0.TS both set. A pending unmasked FPU exception is reported at the next waiting
 * instruction as #MF when CR0.NE = 1; with NE = 0 it asserts FERR# (IRQ 13 through the machine's
 * listener) and the instruction goes on, as if IGNNE# were asserted (SDM Vol. 1, D.2).
 */
final class X87Port implements Bus {
    private final Cpu c;
    /** FERR# output (IRQ 13 in a PC): set by the machine; null leaves it unconnected. */
    java.util.function.Consumer<Boolean> ferr;
    private boolean ferrAsserted;

    X87Port(Cpu c) {
        this.c = c;
    }

    /** D8-DF: #NM checks, ModR/M decoding, then the FPU. */
    static void esc(Cpu c, int op) {
        if ((c.cr0 & (Cpu.CR0_EM | Cpu.CR0_TS)) != 0) {
            throw CpuFault.of(Vectors.NM);
        }
        Mem.modrm(c);
        int m = (c.mod << 6) | (c.reg << 3) | c.rm;
        if (!c.fpu.execute(c.x87Port, op, m, c.eaSeg, c.eaOff)) {
            throw CpuFault.ud();
        }
    }

    /** 9B WAIT/FWAIT. */
    static void fwait(Cpu c) {
        if ((c.cr0 & (Cpu.CR0_MP | Cpu.CR0_TS)) == (Cpu.CR0_MP | Cpu.CR0_TS)) {
            throw CpuFault.of(Vectors.NM);
        }
        if (c.fpu.errorPending()) {
            c.x87Port.fpuError();
        }
    }

    /** Port F0h write: clears the FERR# latch (IRQ 13) of the legacy error path. */
    void clearFerr() {
        if (ferrAsserted) {
            ferrAsserted = false;
            if (ferr != null) {
                ferr.accept(false);
            }
        }
    }

    @Override
    public void fpuError() {
        if ((c.cr0 & Cpu.CR0_NE) != 0) {
            throw CpuFault.of(Vectors.MF);
        }
        if (!ferrAsserted) {
            ferrAsserted = true;
            if (ferr != null) {
                ferr.accept(true);
            }
        }
    }

    @Override
    public int read(int seg, int off, int size) {
        return Mem.read(c, seg, off, size);
    }

    @Override
    public void write(int seg, int off, int size, int value) {
        Mem.write(c, seg, off, size, value);
    }

    @Override
    public void checkWrite(int seg, int off, int len) {
        for (int i = 0; i < len; i += 4) {
            int n = Math.min(4, len - i);
            c.mmu.checkWrite(Mem.laWrite(c, seg, offPlus(off, i), n), n);
        }
    }

    @Override
    public void checkRead(int seg, int off, int len) {
        for (int i = 0; i < len; i += 4) {
            int n = Math.min(4, len - i);
            c.mmu.checkRead(Mem.laRead(c, seg, offPlus(off, i), n), n);
        }
    }

    @Override
    public int offPlus(int off, int delta) {
        int o = off + delta;
        return c.asz32 ? o : o & 0xFFFF;
    }

    @Override
    public int operandSize() {
        return c.osz;
    }

    @Override
    public boolean realLayout() {
        return !Mem.pm(c);
    }

    @Override
    public int selector(int seg) {
        return c.segSel[seg];
    }

    @Override
    public int segmentBase(int seg) {
        return c.segBase[seg];
    }

    @Override
    public int csSelector() {
        return c.segSel[Cpu.CS];
    }

    @Override
    public int insnOffset() {
        return c.insnEip;
    }

    @Override
    public void setAx(int value) {
        Mem.setReg(c, 2, Cpu.EAX, value);
    }

    @Override
    public int eflags() {
        return Flags.materialize(c);
    }

    @Override
    public void setCompareFlags(boolean zf, boolean pf, boolean cf) {
        int bits = (zf ? Cpu.ZF : 0) | (pf ? Cpu.PF : 0) | (cf ? Cpu.CF : 0);
        Flags.update(c, Cpu.ZF | Cpu.PF | Cpu.CF | Cpu.OF | Cpu.SF | Cpu.AF, bits);
    }
}
