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
    /**
     * While FNSAVE or FRSTOR runs on a save area that {@link #openDirect} found in one page of RAM
     * (see there): the area's physical address minus its offset, and the D-TLB hits the checks and
     * accesses made so far would have counted one by one.
     */
    private boolean direct;
    private int directBase;
    private int directHits;
    private int directLa;
    /** False: every FNSAVE and FRSTOR takes the piecewise path (tests compare the two paths). */
    boolean directAreas = true;
    /** Bytes at the start of the area whose check openDirect has made (0 or 4): the x87's own check skips them. */
    private int checkedAhead;

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
        X87Port p = c.x87Port;
        if (op == 0xDD && c.mod != 3 && (c.reg & 5) == 4 && p.openDirect(c.reg == 6)) { // FRSTOR, FNSAVE
            try {
                p.execute(op, m);
            } finally {
                p.closeDirect();
            }
        } else {
            p.execute(op, m);
        }
    }

    private void execute(int op, int modrm) {
        if (!c.fpu.execute(this, op, modrm, c.eaSeg, c.eaOff)) {
            throw CpuFault.ud();
        }
    }

    /**
     * FNSAVE and FRSTOR (a 94- or 108-byte area; kernel-monolithic runs one of each per context
     * switch) with the area in a flat segment and inside one page of RAM that hits the D-TLB's
     * fast array with the rights of the access ({@code write}): no later check or access can fault
     * and each one would hit the same slot, so the x87's accesses go straight to RAM and their hits
     * are counted at the end ({@link #closeDirect}), which leaves the hit counter, LRU stamp and
     * tick as the single accesses do. The area's first check (its first 4 bytes, the x87's first
     * access) is made here the ordinary way when the page misses (after a CR3 load, the usual
     * case): it translates the page as before, and may fault as before. True when the caller must
     * call closeDirect (also when the area turned out not to qualify after that first check).
     */
    private boolean openDirect(boolean write) {
        int seg = c.eaSeg;
        int off = c.eaOff;
        int len = (c.osz == 4 ? 28 : 14) + 80; // the x87's envSize + 8 registers
        if (!directAreas || c.debugActive || !c.asz32 || ((c.flatSegs >>> seg) & 1) == 0 || !c.mmu.pagingEnabled()
                || Integer.compareUnsigned(off, -len) > 0 || ((off ^ (off + len - 1)) & ~0xFFF) != 0
                || (!write && c.fpu.errorPending())) { // a waiting FRSTOR raises #MF before any access
            return false;
        }
        int la = off; // flat: base 0
        int pa = c.mmu.peekDataFast(la, write);
        if (pa == -1) {
            checkPieces(seg, off, 0, 4, write);
            checkedAhead = 4;
            pa = c.mmu.peekDataFast(la, write);
        }
        if (pa != -1 && c.mmu.memory().kindOf(pa) == jx86.memory.PhysicalMemory.KIND_RAM) {
            directBase = pa - off;
            directHits = 0;
            directLa = la;
            direct = true;
        }
        return true;
    }

    private void closeDirect() {
        checkedAhead = 0;
        if (direct) {
            direct = false;
            c.mmu.countDataHits(directLa, directHits);
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
        if (direct) {
            directHits++;
            return readRam(directBase + off, size);
        }
        return Mem.read(c, seg, off, size);
    }

    private int readRam(int pa, int size) {
        jx86.memory.PhysicalMemory mem = c.mmu.memory();
        return size == 1 ? mem.ramRead8(pa) : size == 2 ? mem.ramRead16(pa) : mem.ramRead32(pa);
    }

    @Override
    public void write(int seg, int off, int size, int value) {
        if (direct) {
            directHits++;
            writeRam(directBase + off, size, value);
            return;
        }
        Mem.write(c, seg, off, size, value);
    }

    /** As {@link Mem#writeLa} stores (the value masked to its size), tracker told. */
    private void writeRam(int pa, int size, int value) {
        jx86.memory.PhysicalMemory mem = c.mmu.memory();
        if (size == 1) {
            mem.ramStore8(pa, value & 0xFF);
        } else if (size == 2) {
            mem.ramStore16(pa, value & 0xFFFF);
        } else {
            mem.ramStore32(pa, value);
        }
    }

    @Override
    public void checkWrite(int seg, int off, int len) {
        check(seg, off, len, true);
    }

    @Override
    public void checkRead(int seg, int off, int len) {
        check(seg, off, len, false);
    }

    /** The check of {@code len} bytes at seg:off, one MMU check per 4-byte piece (less what openDirect did). */
    private void check(int seg, int off, int len, boolean write) {
        int from = checkedAhead;
        checkedAhead = 0;
        if (direct) { // one hit per piece, as checkPieces counts them on this page
            directHits += ((len + 3) >>> 2) - (from >>> 2);
            return;
        }
        checkPieces(seg, off, from, len, write);
    }

    private void checkPieces(int seg, int off, int from, int len, boolean write) {
        for (int i = from; i < len; i += 4) {
            int n = Math.min(4, len - i);
            if (write) {
                c.mmu.checkWrite(Mem.laWrite(c, seg, offPlus(off, i), n), n);
            } else {
                c.mmu.checkRead(Mem.laRead(c, seg, offPlus(off, i), n), n);
            }
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
