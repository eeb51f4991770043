package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Hardware task switching (SDM Vol. 3A 7.3): through a task gate or a TSS descriptor for JMP, CALL,
 * interrupts/exceptions, and back through the TSS back link for IRET with NT set. 32-bit TSSs
 * (types 9/11) and 16-bit TSSs (types 1/3).
 *
 * <p>Order: check the new TSS limit, read the new task's state (so a #PF leaves everything
 * unchanged), save the current state into the old TSS, update busy bits, back link and NT, load TR,
 * set CR0.TS, then load CR3, EIP, EFLAGS, general registers, LDTR and the segment registers. The
 * segment checks come after the commit point and raise #TS/#NP/#SS in the context of the new task:
 * such a fault is delivered here (via {@link Interrupts#raiseException}) and the switch reports
 * that by returning false, because the caller's instruction rollback must not undo the switch.
 *
 * <p>Not modelled: the TSS T (debug trap) flag, the check of the old TSS limit, and the CR3 of a
 * 16-bit TSS (it has none). Loading a 16-bit TSS sets the upper word of each general register to
 * 0xFFFF (Intel: undefined; Bochs does the same); EIP and EFLAGS get zero upper words. A triple
 * fault after the commit point (the new task's fault cannot be delivered) puts the CPU into
 * shutdown ({@link Cpu#enterShutdown}): the run loop stops with {@link StopReason#TRIPLE_FAULT}.
 */
public final class TaskSwitch {
    public static final int JMP = 0;
    public static final int CALL = 1;
    public static final int IRET = 2;
    /** Interrupt or exception through a task gate: nests like CALL. */
    public static final int INT = 3;

    /** Indices into the scratch array holding the new task's state. */
    private static final int N_EIP = 8;
    private static final int N_EFLAGS = 9;
    private static final int N_CR3 = 10;
    private static final int N_LDT = 11;
    private static final int N_SEG = 12;
    private static final int N_SIZE = 18;

    private TaskSwitch() {
    }

    /** Task gate (already checked for DPL and presence): validates its TSS, then switches. */
    static boolean throughTaskGate(Cpu cpu, long gate, int source, int ext) {
        int sel = Descriptor.gateSelector(gate);
        if ((sel & 4) != 0 || !DescriptorTables.inLimits(cpu, sel)) {
            throw CpuFault.gp((sel & 0xFFFC) | ext);
        }
        long d = DescriptorTables.read(cpu, sel);
        int type = Descriptor.type(d);
        if (!Descriptor.isSystem(d) || (type != Descriptor.TSS16_AVAILABLE && type != Descriptor.TSS32_AVAILABLE)) {
            throw CpuFault.gp((sel & 0xFFFC) | ext);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, (sel & 0xFFFC) | ext);
        }
        return switchTask(cpu, sel, d, source, ext);
    }

    /**
     * Switches to the task whose (checked) TSS descriptor is {@code d}. Returns true when the new
     * task is ready to run, false when a fault raised while loading its segments was delivered
     * instead.
     */
    static boolean switchTask(Cpu cpu, int selector, long d, int source, int ext) {
        selector &= 0xFFFC;
        boolean new32 = (Descriptor.type(d) & 8) != 0;
        int newBase = Descriptor.base(d);
        int newLimit = Descriptor.limit(d);
        if (Integer.compareUnsigned(newLimit, new32 ? 0x67 : 0x2B) < 0) {
            throw CpuFault.withCode(Vectors.TS, selector | ext);
        }
        int[] n = new int[N_SIZE]; // task switches are rare: not a per-instruction allocation
        readState(cpu, newBase, new32, n);
        saveState(cpu, source == IRET ? cpu.getEflags() & ~Cpu.NT : cpu.getEflags());

        if (source == JMP || source == IRET) {
            DescriptorTables.setBusy(cpu, cpu.trSel, false);
        }
        if (source != IRET) {
            DescriptorTables.setBusy(cpu, selector, true);
        }
        int newFlags = n[N_EFLAGS];
        if (source == CALL || source == INT) {
            cpu.mmu.writeSys16(newBase, cpu.trSel);
            newFlags |= Cpu.NT;
        }
        cpu.trSel = selector;
        cpu.trBase = newBase;
        cpu.trLimit = newLimit;
        cpu.trAr = Descriptor.ar(d) | 2;
        cpu.setCr0(cpu.cr0 | Cpu.CR0_TS);
        if (new32) {
            cpu.setCr3(n[N_CR3]);
        }
        cpu.eip = n[N_EIP];
        cpu.setEflags(newFlags);
        for (int r = 0; r < 8; r++) {
            // A 16-bit TSS holds only the low words; Intel leaves the upper words undefined
            // ("modified and not maintained", SDM 7.6). jx86 sets them to 0xFFFF, as Bochs does.
            cpu.regs[r] = new32 ? n[r] : 0xFFFF_0000 | (n[r] & 0xFFFF);
        }
        try {
            loadSegments(cpu, n, ext);
            return true;
        } catch (CpuFault f) {
            if (!Interrupts.raiseException(cpu, f)) {
                cpu.enterShutdown();
            }
            return false;
        }
    }

    private static void readState(Cpu cpu, int base, boolean tss32, int[] n) {
        if (tss32) {
            n[N_CR3] = cpu.mmu.readSys32(base + 0x1C);
            n[N_EIP] = cpu.mmu.readSys32(base + 0x20);
            n[N_EFLAGS] = cpu.mmu.readSys32(base + 0x24);
            for (int r = 0; r < 8; r++) {
                n[r] = cpu.mmu.readSys32(base + 0x28 + 4 * r);
            }
            for (int s = 0; s < 6; s++) {
                n[N_SEG + s] = cpu.mmu.readSys16(base + 0x48 + 4 * s);
            }
            n[N_LDT] = cpu.mmu.readSys16(base + 0x60);
        } else {
            n[N_EIP] = cpu.mmu.readSys16(base + 0x0E);
            n[N_EFLAGS] = cpu.mmu.readSys16(base + 0x10);
            for (int r = 0; r < 8; r++) {
                n[r] = cpu.mmu.readSys16(base + 0x12 + 2 * r);
            }
            for (int s = 0; s < 4; s++) {
                n[N_SEG + s] = cpu.mmu.readSys16(base + 0x22 + 2 * s);
            }
            n[N_LDT] = cpu.mmu.readSys16(base + 0x2A);
        }
    }

    /** Writes the dynamic fields of the current task into its TSS. */
    private static void saveState(Cpu cpu, int eflags) {
        int base = cpu.trBase;
        if (PrivilegedStack.tss32(cpu)) {
            cpu.mmu.writeSys32(base + 0x20, cpu.eip);
            cpu.mmu.writeSys32(base + 0x24, eflags);
            for (int r = 0; r < 8; r++) {
                cpu.mmu.writeSys32(base + 0x28 + 4 * r, cpu.regs[r]);
            }
            for (int s = 0; s < 6; s++) {
                cpu.mmu.writeSys16(base + 0x48 + 4 * s, cpu.segSel[s]);
            }
        } else {
            cpu.mmu.writeSys16(base + 0x0E, cpu.eip);
            cpu.mmu.writeSys16(base + 0x10, eflags);
            for (int r = 0; r < 8; r++) {
                cpu.mmu.writeSys16(base + 0x12 + 2 * r, cpu.regs[r]);
            }
            for (int s = 0; s < 4; s++) {
                cpu.mmu.writeSys16(base + 0x22 + 2 * s, cpu.segSel[s]);
            }
        }
    }

    /** LDTR, then CS (which sets CPL), SS and the data segments, each checked (#TS/#NP/#SS). */
    private static void loadSegments(Cpu cpu, int[] n, int ext) {
        for (int s = 0; s < 6; s++) {
            cpu.setSegmentCache(s, n[N_SEG + s], 0, 0, 0);
        }
        if (cpu.v86Mode()) {
            Segments.loadRealCs(cpu, n[N_SEG + Cpu.CS]);
            for (int s = 0; s < 6; s++) {
                if (s != Cpu.CS) {
                    Segments.load(cpu, s, n[N_SEG + s]);
                }
            }
            cpu.setCpl(3);
            loadLdt(cpu, n[N_LDT], ext);
            return;
        }
        loadLdt(cpu, n[N_LDT], ext);
        int cs = n[N_SEG + Cpu.CS];
        if ((cs & 0xFFFC) == 0) {
            throw CpuFault.withCode(Vectors.TS, ext);
        }
        long cd = DescriptorTables.fetch(cpu, cs, Vectors.TS, ext);
        int rpl = cs & 3;
        int dpl = Descriptor.dpl(cd);
        if (!Descriptor.isCode(cd) || (Descriptor.conformingCode(cd) ? dpl > rpl : dpl != rpl)) {
            throw CpuFault.withCode(Vectors.TS, (cs & 0xFFFC) | ext);
        }
        if (!Descriptor.present(cd)) {
            throw CpuFault.withCode(Vectors.NP, (cs & 0xFFFC) | ext);
        }
        Segments.loadCs(cpu, cs, cd, rpl);
        Segments.loadProtected(cpu, Cpu.SS, n[N_SEG + Cpu.SS], Vectors.TS, ext);
        Segments.loadProtected(cpu, Cpu.DS, n[N_SEG + Cpu.DS], Vectors.TS, ext);
        Segments.loadProtected(cpu, Cpu.ES, n[N_SEG + Cpu.ES], Vectors.TS, ext);
        Segments.loadProtected(cpu, Cpu.FS, n[N_SEG + Cpu.FS], Vectors.TS, ext);
        Segments.loadProtected(cpu, Cpu.GS, n[N_SEG + Cpu.GS], Vectors.TS, ext);
    }

    private static void loadLdt(Cpu cpu, int sel, int ext) {
        cpu.ldtrSel = sel;
        if ((sel & 0xFFFC) == 0) {
            cpu.ldtrBase = 0;
            cpu.ldtrLimit = 0;
            cpu.ldtrAr = 0;
            return;
        }
        cpu.ldtrAr = 0;
        if ((sel & 4) != 0 || !DescriptorTables.inLimits(cpu, sel)) {
            throw CpuFault.withCode(Vectors.TS, (sel & 0xFFFC) | ext);
        }
        long d = DescriptorTables.read(cpu, sel);
        if (!Descriptor.isSystem(d) || Descriptor.type(d) != Descriptor.LDT || !Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.TS, (sel & 0xFFFC) | ext);
        }
        cpu.ldtrBase = Descriptor.base(d);
        cpu.ldtrLimit = Descriptor.limit(d);
        cpu.ldtrAr = Descriptor.ar(d);
    }
}
