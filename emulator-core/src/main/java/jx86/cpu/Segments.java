package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * Segment-register loads with every protected-mode check (SDM Vol. 3A 3.4, 5.5-5.8; Vol. 2 MOV,
 * POP, LDS/LES/LFS/LGS/LSS).
 *
 * <p>Real mode changes only selector and base (limit and size attributes stay, which gives
 * "unreal mode"); V86 mode loads the fixed 64 KiB DPL-3 segments of SDM 20.1.1. Protected mode reads
 * the descriptor, checks it in the SDM order and sets the accessed bit before loading the cache.
 *
 * <p>Every protected-mode load that reaches the cache (null selectors included; MOV/POP/LxS, far
 * transfers, interrupt delivery, IRET, task switches) costs {@code CostModel.segmentLoadCycles}
 * extra virtual cycles: descriptor loads are what makes segmented kernels slow on real hardware.
 * Real- and V86-mode loads, the fixed flat loads of SYSENTER/SYSEXIT and the implicit nulling of
 * data registers (return to an outer level, exit from V86 mode) cost nothing extra.
 */
public final class Segments {
    /** Access rights of a V86-mode data segment: present, DPL 3, read/write, accessed. */
    static final int V86_DATA_AR = 0xF3;
    /** Access rights of a V86-mode code segment: present, DPL 3, execute/read, accessed. */
    static final int V86_CODE_AR = 0xFB;

    private Segments() {
    }

    /**
     * Loads data/stack segment register {@code seg} (ES, SS, DS, FS, GS; never CS) with
     * {@code selector} as MOV Sreg / POP Sreg / LxS do: real and V86 mode set base = selector * 16;
     * protected mode reads the descriptor (GDT or LDT), checks type, DPL/RPL/CPL and presence,
     * raising #GP(sel), #SS(sel) or #NP(sel), sets the accessed bit, and loads the cache. A null
     * selector is allowed for DS/ES/FS/GS (the register becomes unusable) and is #GP(0) for SS.
     */
    public static void load(Cpu cpu, int seg, int selector) {
        selector &= 0xFFFF;
        if (!cpu.protectedMode()) {
            cpu.setSegmentCache(seg, selector, selector << 4, cpu.segLimit[seg], (cpu.segAr[seg] & 0xF000) | 0x93);
        } else if (cpu.v86Mode()) {
            cpu.setSegmentCache(seg, selector, selector << 4, 0xFFFF, V86_DATA_AR);
        } else {
            loadProtected(cpu, seg, selector, Vectors.GP, 0);
        }
    }

    /**
     * Protected-mode data/stack load at the current CPL. {@code vector} is #GP for instructions and
     * #TS for a task switch; {@code ext} is ORed into every error code.
     */
    static void loadProtected(Cpu cpu, int seg, int selector, int vector, int ext) {
        int cpl = cpu.cpl();
        int rpl = selector & 3;
        int code = (selector & 0xFFFC) | ext;
        if (seg == Cpu.SS) {
            if ((selector & 0xFFFC) == 0) {
                throw CpuFault.withCode(vector, ext);
            }
            long d = DescriptorTables.fetch(cpu, selector, vector, ext);
            if (rpl != cpl || !Descriptor.writableData(d) || Descriptor.dpl(d) != cpl) {
                throw CpuFault.withCode(vector, code);
            }
            if (!Descriptor.present(d)) {
                throw CpuFault.withCode(Vectors.SS, code);
            }
            commit(cpu, seg, selector, d);
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            cpu.setSegmentCache(seg, selector, 0, 0, 0);
            chargeLoad(cpu);
            return;
        }
        long d = DescriptorTables.fetch(cpu, selector, vector, ext);
        if (!Descriptor.readable(d)) {
            throw CpuFault.withCode(vector, code);
        }
        if (!Descriptor.conformingCode(d)) {
            int dpl = Descriptor.dpl(d);
            if (rpl > dpl || cpl > dpl) {
                throw CpuFault.withCode(vector, code);
            }
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.NP, code);
        }
        commit(cpu, seg, selector, d);
    }

    private static void commit(Cpu cpu, int seg, int selector, long d) {
        DescriptorTables.setAccessed(cpu, selector, d);
        cpu.setSegmentCache(seg, selector, Descriptor.base(d), Descriptor.limit(d), Descriptor.ar(d) | 1);
        chargeLoad(cpu);
    }

    /** Adds the cost model's price of one protected-mode segment-register load to virtual time. */
    static void chargeLoad(Cpu cpu) {
        cpu.clock.cycles += cpu.mmu.costModel.segmentLoadCycles;
    }

    /** Loads a checked SS descriptor (the caller did the privilege checks). */
    static void loadSs(Cpu cpu, int selector, long d) {
        commit(cpu, Cpu.SS, selector, d);
    }

    /**
     * Loads CS from an already checked code descriptor with RPL = {@code cpl} and makes
     * {@code cpl} the current privilege level.
     */
    static void loadCs(Cpu cpu, int selector, long d, int cpl) {
        DescriptorTables.setAccessed(cpu, selector, d);
        cpu.setSegmentCache(Cpu.CS, (selector & 0xFFFC) | cpl, Descriptor.base(d), Descriptor.limit(d),
                Descriptor.ar(d) | 1);
        cpu.setCpl(cpl);
        chargeLoad(cpu);
    }

    /** CS load outside protected mode (real: base only; V86: fixed DPL-3 64 KiB segment). */
    static void loadRealCs(Cpu cpu, int selector) {
        selector &= 0xFFFF;
        if (cpu.v86Mode()) {
            cpu.setSegmentCache(Cpu.CS, selector, selector << 4, 0xFFFF, V86_CODE_AR);
        } else {
            int ar = cpu.segAr[Cpu.CS];
            cpu.setSegmentCache(Cpu.CS, selector, selector << 4, cpu.segLimit[Cpu.CS], ar == 0 ? 0x9B : ar);
        }
    }

    /**
     * After a return to an outer level: DS, ES, FS and GS holding data or non-conforming code the
     * new CPL may not use become null (SDM Vol. 2 RET/IRET).
     */
    static void nullInaccessibleDataSegments(Cpu cpu) {
        int cpl = cpu.cpl();
        for (int seg = Cpu.ES; seg <= Cpu.GS; seg++) {
            if (seg == Cpu.CS || seg == Cpu.SS) {
                continue;
            }
            int ar = cpu.segAr[seg];
            boolean conforming = (ar & 0x1C) == 0x1C;
            if (ar != 0 && !conforming && Descriptor.arDpl(ar) < cpl) {
                cpu.setSegmentCache(seg, 0, 0, 0, 0);
            }
        }
    }

    /** True when the offset range [offset, offset+size) lies within CS (for far transfers). */
    static boolean withinLimit(int offset, int limit) {
        return Integer.compareUnsigned(offset, limit) <= 0;
    }
}
