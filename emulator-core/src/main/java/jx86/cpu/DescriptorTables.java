package jx86.cpu;

import jx86.arch.CpuFault;

/**
 * Descriptor lookup by selector in the GDT or the current LDT (SDM Vol. 3A 3.5.1), with the table
 * limit check, and the write-backs the processor makes to descriptors: the accessed bit of a
 * segment (3.4.5.1) and the busy bit of a TSS (7.2.2). All accesses are implicit supervisor
 * accesses ({@code readSys*}/{@code writeSys*}).
 *
 * <p>Not modelled: the LOCK semantics of the write-backs.
 */
public final class DescriptorTables {
    private DescriptorTables() {
    }

    /** True when the 8 bytes of the selector's descriptor lie within the GDT or a usable LDT. */
    public static boolean inLimits(Cpu cpu, int selector) {
        long last = (selector & 0xFFF8) + 7L;
        if ((selector & 4) != 0) {
            return cpu.ldtrAr != 0 && (cpu.ldtrSel & 0xFFFC) != 0 && last <= (cpu.ldtrLimit & 0xFFFF_FFFFL);
        }
        return last <= (cpu.gdtrLimit & 0xFFFF_FFFFL);
    }

    /** Linear address of the selector's descriptor (no limit check). */
    public static int address(Cpu cpu, int selector) {
        return ((selector & 4) != 0 ? cpu.ldtrBase : cpu.gdtrBase) + (selector & 0xFFF8);
    }

    /** Reads the descriptor without a limit check (callers use {@link #inLimits} first). */
    public static long read(Cpu cpu, int selector) {
        int la = address(cpu, selector);
        int lo = cpu.mmu.readSys32(la);
        int hi = cpu.mmu.readSys32(la + 4);
        return Descriptor.of(lo, hi);
    }

    /**
     * Reads the descriptor, raising {@code vector} with error code (selector index, TI) | ext when
     * it lies outside its table.
     */
    public static long fetch(Cpu cpu, int selector, int vector, int ext) {
        if (!inLimits(cpu, selector)) {
            throw CpuFault.withCode(vector, (selector & 0xFFFC) | ext);
        }
        return read(cpu, selector);
    }

    /** Sets the accessed bit of a code/data descriptor in memory if it is still clear. */
    public static void setAccessed(Cpu cpu, int selector, long desc) {
        if ((Descriptor.high(desc) & 0x100) == 0) {
            cpu.mmu.writeSys8(address(cpu, selector) + 5, ((Descriptor.high(desc) >>> 8) & 0xFF) | 1);
        }
    }

    /** Sets or clears the busy bit (type bit 1) of the TSS descriptor in the GDT. */
    public static void setBusy(Cpu cpu, int tssSelector, boolean busy) {
        int la = address(cpu, tssSelector & 0xFFFB) + 5;
        int b = cpu.mmu.readSys8(la);
        cpu.mmu.writeSys8(la, busy ? b | 2 : b & ~2);
    }
}
