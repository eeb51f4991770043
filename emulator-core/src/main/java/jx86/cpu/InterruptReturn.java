package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * IRET/IRETD (SDM Vol. 2 IRET; Vol. 3A 6.12.1, 7.3, 20.2.5): real mode, V86 mode with IOPL 3,
 * protected-mode return to the same or an outer level, return from CPL 0 to V86 mode (VM set in the
 * popped EFLAGS) and the nested-task return through the TSS back link when NT is set.
 *
 * <p>EFLAGS rules: IOPL changes only at CPL 0, IF only when CPL <= IOPL, VIF/VIP only at CPL 0
 * with a 32-bit operand; a 16-bit IRET changes only the low word.
 *
 * <p>Not modelled: the CR4.VME/PVI virtual-interrupt extensions (IRET in V86 mode with IOPL < 3 is
 * always #GP(0)).
 */
final class InterruptReturn {
    private static final int ARITH = Cpu.CF | Cpu.PF | Cpu.AF | Cpu.ZF | Cpu.SF | Cpu.TF | Cpu.DF | Cpu.OF;

    private InterruptReturn() {
    }

    static void iret(Cpu cpu, boolean operand32) {
        if (!cpu.protectedMode()) {
            realOrV86(cpu, operand32, true);
        } else if (cpu.v86Mode()) {
            if (cpu.iopl() < 3) {
                throw CpuFault.gp(0);
            }
            realOrV86(cpu, operand32, false);
        } else if ((cpu.getEflags() & Cpu.NT) != 0) {
            taskReturn(cpu);
        } else {
            if (cpu.strict && cpu.cpl() > 0) {
                // strict CPU: IRET that stays in the current (outer) ring traps
                int size = operand32 ? 4 : 2;
                int cs = StackAccess.readCurrent(cpu, cpu.regs[Cpu.ESP], size, size);
                if ((cs & 3) == cpu.cpl()) {
                    throw CpuFault.gp(0);
                }
            }
            protectedReturn(cpu, operand32);
        }
    }

    private static void realOrV86(Cpu cpu, boolean operand32, boolean real) {
        int size = operand32 ? 4 : 2;
        int esp = cpu.regs[Cpu.ESP];
        int newEip = StackAccess.readCurrent(cpu, esp, 0, size);
        int cs = StackAccess.readCurrent(cpu, esp, size, size) & 0xFFFF;
        int flags = StackAccess.readCurrent(cpu, esp, 2 * size, size);
        if (!operand32) {
            newEip &= 0xFFFF;
        }
        if (!Segments.withinLimit(newEip, cpu.segLimit[Cpu.CS])) {
            throw CpuFault.gp(0);
        }
        int old = cpu.getEflags();
        // Real mode runs at CPL 0 and may change IOPL; V86 mode (IOPL 3 here) keeps IOPL and VM.
        int keep = real ? Cpu.VM | Cpu.VIF | Cpu.VIP : Cpu.VM | Cpu.VIF | Cpu.VIP | Cpu.IOPL_MASK;
        if (!operand32) {
            keep |= 0xFFFF_0000;
        }
        cpu.setEflags((old & keep) | (flags & ~keep));
        Segments.loadRealCs(cpu, cs);
        cpu.eip = newEip;
        cpu.regs[Cpu.ESP] = StackAccess.adjust(StackAccess.currentAr(cpu), esp, 3 * size);
    }

    private static void taskReturn(Cpu cpu) {
        int link = cpu.mmu.readSys16(cpu.trBase);
        if ((link & 4) != 0 || !DescriptorTables.inLimits(cpu, link)) {
            throw CpuFault.withCode(Vectors.TS, link & 0xFFFC);
        }
        long d = DescriptorTables.read(cpu, link);
        int type = Descriptor.type(d);
        if (!Descriptor.isSystem(d) || (type != Descriptor.TSS16_BUSY && type != Descriptor.TSS32_BUSY)) {
            throw CpuFault.withCode(Vectors.TS, link & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, link & 0xFFFC);
        }
        TaskSwitch.switchTask(cpu, link, d, TaskSwitch.IRET, 0);
    }

    private static void protectedReturn(Cpu cpu, boolean operand32) {
        int size = operand32 ? 4 : 2;
        int esp = cpu.regs[Cpu.ESP];
        int cpl = cpu.cpl();
        int newEip = StackAccess.readCurrent(cpu, esp, 0, size);
        int csSel = StackAccess.readCurrent(cpu, esp, size, size) & 0xFFFF;
        int flags = StackAccess.readCurrent(cpu, esp, 2 * size, size);
        if (!operand32) {
            newEip &= 0xFFFF;
        }
        if (operand32 && (flags & Cpu.VM) != 0 && cpl == 0) {
            returnToV86(cpu, esp, newEip, csSel, flags);
            return;
        }
        long cd = FarTransfers.checkReturnCs(cpu, csSel);
        int rpl = csSel & 3;
        int newFlags = merge(cpu.getEflags(), flags, cpl, operand32);
        if (rpl == cpl) {
            if (!Segments.withinLimit(newEip, Descriptor.limit(cd))) {
                throw CpuFault.gp(0);
            }
            Segments.loadCs(cpu, csSel, cd, rpl);
            cpu.setEflags(newFlags);
            cpu.eip = newEip;
            cpu.regs[Cpu.ESP] = StackAccess.adjust(StackAccess.currentAr(cpu), esp, 3 * size);
            return;
        }
        int outerEsp = StackAccess.readCurrent(cpu, esp, 3 * size, size);
        int outerSs = StackAccess.readCurrent(cpu, esp, 4 * size, size) & 0xFFFF;
        long sd = FarTransfers.checkReturnSs(cpu, outerSs, rpl);
        if (!Segments.withinLimit(newEip, Descriptor.limit(cd))) {
            throw CpuFault.gp(0);
        }
        if (!operand32) {
            outerEsp = (esp & 0xFFFF_0000) | (outerEsp & 0xFFFF);
        }
        Segments.loadCs(cpu, csSel, cd, rpl);
        Segments.loadSs(cpu, outerSs, sd);
        cpu.setEflags(newFlags);
        cpu.eip = newEip;
        cpu.regs[Cpu.ESP] = outerEsp;
        Segments.nullInaccessibleDataSegments(cpu);
    }

    /** Protected-mode EFLAGS image after IRET at privilege {@code cpl} (VM handled separately). */
    static int merge(int old, int popped, int cpl, boolean operand32) {
        int mask = ARITH | Cpu.NT;
        if (operand32) {
            mask |= Cpu.RF | Cpu.AC | Cpu.ID;
        }
        if (cpl <= ((old >>> 12) & 3)) {
            mask |= Cpu.IF;
        }
        if (cpl == 0) {
            mask |= Cpu.IOPL_MASK;
            if (operand32) {
                mask |= Cpu.VIF | Cpu.VIP;
            }
        }
        return (old & ~mask) | (popped & mask);
    }

    /** IRETD at CPL 0 with VM set in the popped EFLAGS (SDM Vol. 2 IRET, RETURN-TO-VIRTUAL-8086-MODE). */
    private static void returnToV86(Cpu cpu, int esp, int newEip, int cs, int flags) {
        int base = cpu.segBase[Cpu.SS];
        int ar = StackAccess.currentAr(cpu);
        int la = StackAccess.address(base, cpu.segLimit[Cpu.SS], ar, esp, 0, 36, 0);
        cpu.mmu.checkRead(la, 36);
        int newEsp = StackAccess.readCurrent(cpu, esp, 12, 4);
        int ss = StackAccess.readCurrent(cpu, esp, 16, 4);
        int es = StackAccess.readCurrent(cpu, esp, 20, 4);
        int ds = StackAccess.readCurrent(cpu, esp, 24, 4);
        int fs = StackAccess.readCurrent(cpu, esp, 28, 4);
        int gs = StackAccess.readCurrent(cpu, esp, 32, 4);
        cpu.setEflags(flags);
        Segments.loadRealCs(cpu, cs);
        Segments.load(cpu, Cpu.SS, ss);
        Segments.load(cpu, Cpu.ES, es);
        Segments.load(cpu, Cpu.DS, ds);
        Segments.load(cpu, Cpu.FS, fs);
        Segments.load(cpu, Cpu.GS, gs);
        cpu.setCpl(3);
        cpu.eip = newEip & 0xFFFF;
        cpu.regs[Cpu.ESP] = newEsp;
    }
}
