package jx86.cpu;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;

/**
 * The inner-level stack used on a privilege change through a call gate or an interrupt/trap gate
 * (SDM Vol. 3A 5.8.5 and 6.12.1): SSn:ESPn read from the current TSS (32-bit layout at 4+8n, 16-bit
 * layout at 2+4n) and the checks on the new SS, which raise #TS, or #SS when not present.
 */
final class PrivilegedStack {
    private PrivilegedStack() {
    }

    /** True when TR holds a 32-bit TSS (type 9/11), false for a 16-bit one (type 1/3). */
    static boolean tss32(Cpu cpu) {
        return (cpu.trAr & 8) != 0;
    }

    /**
     * SSn and ESPn for ring {@code dpl} from the current TSS as {@code (ss << 32) | esp}; a 16-bit
     * TSS gives a zero-extended SP. #TS(TR selector | ext) when the slot is beyond the TSS limit.
     */
    static long innerStack(Cpu cpu, int dpl, int ext) {
        int espOffset;
        int ssOffset;
        int espSize;
        if (tss32(cpu)) {
            espOffset = 4 + 8 * dpl;
            ssOffset = espOffset + 4;
            espSize = 4;
        } else {
            espOffset = 2 + 4 * dpl;
            ssOffset = espOffset + 2;
            espSize = 2;
        }
        if ((cpu.trAr & 0x80) == 0 || Integer.compareUnsigned(ssOffset + 1, cpu.trLimit) > 0) {
            throw CpuFault.withCode(Vectors.TS, (cpu.trSel & 0xFFFC) | ext);
        }
        int esp = espSize == 4 ? cpu.mmu.readSys32(cpu.trBase + espOffset)
                : cpu.mmu.readSys16(cpu.trBase + espOffset);
        int ss = cpu.mmu.readSys16(cpu.trBase + ssOffset);
        return ((long) ss << 32) | (esp & 0xFFFF_FFFFL);
    }

    /** Checks the new stack segment for ring {@code dpl}; returns its descriptor. */
    static long checkSs(Cpu cpu, int ss, int dpl, int ext) {
        if ((ss & 0xFFFC) == 0) {
            throw CpuFault.withCode(Vectors.TS, ext);
        }
        long d = DescriptorTables.fetch(cpu, ss, Vectors.TS, ext);
        if ((ss & 3) != dpl || !Descriptor.writableData(d) || Descriptor.dpl(d) != dpl) {
            throw CpuFault.withCode(Vectors.TS, (ss & 0xFFFC) | ext);
        }
        if (!Descriptor.present(d)) {
            throw CpuFault.withCode(Vectors.SS, (ss & 0xFFFC) | ext);
        }
        return d;
    }
}
