package jx86.cpu;

import java.util.List;

/**
 * The model-specific registers of the processor {@link CpuModel} describes (family 6, model 6: a
 * P6 of the Pentium II / Celeron generation), in one table: for each MSR its index, its value after
 * RESET, what RDMSR reads and what WRMSR does with each bit. RDMSR and WRMSR ({@link SystemInsns})
 * and RDPMC ({@link SystemOps}) only look MSRs up here. Sources: SDM Vol. 4, "MSRs in the P6
 * Family Processors", and Vol. 3B, 19.6.8 (the P6 performance counters).
 *
 * <p>An MSR is present when the CPUID feature bit in its {@code requires} column is in
 * {@link CpuModel#FEATURES_EDX} (0: every P6 has it). CPUID reports neither MTRR nor MCA (the
 * machine models no memory types and no machine-check banks), so MTRRcap (0xFE), the MTRRs
 * (0x200-0x2FF) and the MCG/MCi registers (0x179-0x17B, 0x400 up) are absent, as is
 * IA32_MISC_ENABLE (0x1A0), which the Pentium 4 and Pentium M brought. Absent MSRs raise #GP(0)
 * for RDMSR and WRMSR, which is what a guest's "safe" MSR access expects.
 *
 * <p>A WRMSR of EDX:EAX stores the bits in {@code writable}, raises #GP(0) if any bit in
 * {@code reserved} is set, and ignores the rest (read-only bits, as the SDM marks them R).
 */
public final class ModelMsrs {
    /** How RDMSR/WRMSR treat an MSR beyond the bit masks. */
    public enum Kind {
        /** Reads the last value written ({@code reset} after RESET). */
        STORED,
        /** Reads {@code reset} always; writes only check the reserved bits. */
        CONSTANT,
        /** Read-only: reads {@code reset}; every WRMSR raises #GP(0). */
        READ_ONLY,
        /** IA32_TIME_STAMP_COUNTER: reads the virtual clock's cycle count; writes are ignored. */
        CLOCK,
        /** The SYSENTER MSRs: kept in {@link Cpu}'s sysenter fields, which SYSENTER/SYSEXIT use. */
        SYSENTER,
        /**
         * A P6 performance counter: 40 bits wide; a write loads EAX sign-extended to 40 bits
         * (EDX is ignored), SDM Vol. 3B 19.6.8. RDPMC reads it too.
         */
        COUNTER,
        /** Write-only: RDMSR raises #GP(0), WRMSR checks the reserved bits and changes nothing. */
        WRITE_ONLY
    }

    /**
     * One MSR.
     *
     * @param requires the CPUID.1:EDX bit the MSR comes with, 0 for every P6
     * @param reset    the value after RESET (and of a CONSTANT MSR always)
     * @param writable the bits WRMSR stores (STORED, SYSENTER)
     * @param reserved the bits whose being set makes WRMSR raise #GP(0)
     */
    public record Msr(int index, String name, int requires, Kind kind, long reset, long writable, long reserved,
            String note) {
        /** Whether the model has this MSR (its CPUID feature is reported). */
        public boolean present() {
            return requires == 0 || (CpuModel.FEATURES_EDX & requires) != 0;
        }
    }

    public static final int TSC = 0x10;
    public static final int APIC_BASE = 0x1B;
    public static final int BIOS_SIGN_ID = 0x8B;
    public static final int PERFCTR0 = 0xC1;
    public static final int PERFCTR1 = 0xC2;
    public static final int SYSENTER_CS = 0x174;
    public static final int SYSENTER_ESP = 0x175;
    public static final int SYSENTER_EIP = 0x176;
    public static final int PERFEVTSEL0 = 0x186;
    public static final int PERFEVTSEL1 = 0x187;

    /** The local APIC at its default base 0xFEE00000, enabled (bit 11), this CPU the BSP (bit 8). */
    public static final long APIC_BASE_VALUE = 0xFEE0_0900L;

    private static final long HIGH = 0xFFFF_FFFF_0000_0000L;

    /** The table, in index order. */
    public static final List<Msr> TABLE = List.of(
            new Msr(0x00, "IA32_P5_MC_ADDR", CpuModel.MCE, Kind.CONSTANT, 0, 0, 0,
                    "address of the last machine check: none has happened"),
            new Msr(0x01, "IA32_P5_MC_TYPE", CpuModel.MCE, Kind.CONSTANT, 0, 0, 0,
                    "cycle type of the last machine check: none has happened"),
            new Msr(TSC, "IA32_TIME_STAMP_COUNTER", CpuModel.TSC, Kind.CLOCK, 0, 0, 0,
                    "the virtual clock; writes ignored, since the clock drives every device"),
            new Msr(0x17, "IA32_PLATFORM_ID", 0, Kind.READ_ONLY, 0, 0, 0,
                    "platform ID (bits 52:50) 0, so a microcode loader computes pf = 1"),
            new Msr(APIC_BASE, "IA32_APIC_BASE", CpuModel.APIC, Kind.CONSTANT, APIC_BASE_VALUE, 0,
                    HIGH | 0x6FF, "the APIC stays enabled at 0xFEE00000: writes of base and enable are ignored"),
            new Msr(0x2A, "EBL_CR_POWERON", 0, Kind.STORED, 0, 0x0400_015EL, HIGH | 0xFA08_10A1L,
                    "bus configuration: the R/W enables (bits 1-4, 6, 8, 26) are stored and change nothing;"
                            + " the power-on straps read 0"),
            new Msr(0x79, "IA32_BIOS_UPDT_TRIG", 0, Kind.WRITE_ONLY, 0, 0, 0,
                    "microcode update trigger: no update is ever taken"),
            new Msr(BIOS_SIGN_ID, "IA32_BIOS_SIGN_ID", 0, Kind.CONSTANT, 0, 0, 0,
                    "microcode revision (EDX) 0: none loaded; the write of 0 before CPUID is accepted"),
            new Msr(PERFCTR0, "PERFCTR0", 0, Kind.COUNTER, 0, 0xFF_FFFF_FFFFL, 0,
                    "performance counter 0: holds what is written, counts no events"),
            new Msr(PERFCTR1, "PERFCTR1", 0, Kind.COUNTER, 0, 0xFF_FFFF_FFFFL, 0,
                    "performance counter 1: holds what is written, counts no events"),
            new Msr(SYSENTER_CS, "IA32_SYSENTER_CS", CpuModel.SEP, Kind.SYSENTER, 0, 0xFFFF_FFFFL, 0,
                    "SYSENTER's code selector (EDX ignored)"),
            new Msr(SYSENTER_ESP, "IA32_SYSENTER_ESP", CpuModel.SEP, Kind.SYSENTER, 0, 0xFFFF_FFFFL, 0,
                    "SYSENTER's stack pointer (EDX ignored)"),
            new Msr(SYSENTER_EIP, "IA32_SYSENTER_EIP", CpuModel.SEP, Kind.SYSENTER, 0, 0xFFFF_FFFFL, 0,
                    "SYSENTER's entry point (EDX ignored)"),
            new Msr(PERFEVTSEL0, "PERFEVTSEL0", 0, Kind.STORED, 0, 0xFFDF_FFFFL, HIGH | 0x0020_0000L,
                    "event select 0 (event, mask, USR, OS, E, PC, INT, EN, INV, CMASK); bit 21 reserved"),
            new Msr(PERFEVTSEL1, "PERFEVTSEL1", 0, Kind.STORED, 0, 0xFFDF_FFFFL, HIGH | 0x0020_0000L,
                    "event select 1; its EN bit (22) is stored and, as on the P6, has no effect"));

    /** The rows the model has; a CPU keeps one value slot for each, in this order. */
    private static final List<Msr> PRESENT = TABLE.stream().filter(Msr::present).toList();

    private ModelMsrs() {
    }

    /** The present MSR with this index, or null (RDMSR/WRMSR raise #GP(0)). */
    public static Msr find(int index) {
        for (Msr m : PRESENT) {
            if (m.index() == index) {
                return m;
            }
        }
        return null;
    }

    /** The number of per-CPU value slots: one for each present MSR. */
    static int slots() {
        return PRESENT.size();
    }

    /** The slot of a present MSR in a CPU's value array. */
    static int slot(Msr m) {
        return PRESENT.indexOf(m);
    }

    /** The RESET values of every slot. */
    static void reset(long[] values) {
        for (int i = 0; i < PRESENT.size(); i++) {
            values[i] = PRESENT.get(i).reset();
        }
    }

    /** RDMSR's value, or #GP(0) for an absent or write-only MSR. */
    static long read(Cpu cpu, int index) {
        Msr m = find(index);
        if (m == null || m.kind() == Kind.WRITE_ONLY) {
            throw jx86.arch.CpuFault.gp(0);
        }
        return switch (m.kind()) {
            case CLOCK -> cpu.clock.cycles;
            case CONSTANT, READ_ONLY -> m.reset();
            case SYSENTER -> switch (index) {
                case SYSENTER_CS -> cpu.sysenterCs & 0xFFFF_FFFFL;
                case SYSENTER_ESP -> cpu.sysenterEsp & 0xFFFF_FFFFL;
                default -> cpu.sysenterEip & 0xFFFF_FFFFL;
            };
            default -> cpu.msrValues[slot(m)];
        };
    }

    /** WRMSR of {@code value}, or #GP(0) for an absent MSR or a reserved bit set. */
    static void write(Cpu cpu, int index, long value) {
        Msr m = find(index);
        if (m == null || m.kind() == Kind.READ_ONLY || (value & m.reserved()) != 0) {
            throw jx86.arch.CpuFault.gp(0);
        }
        switch (m.kind()) {
            case STORED -> cpu.msrValues[slot(m)] = value & m.writable();
            case COUNTER -> cpu.msrValues[slot(m)] = (long) (int) value & m.writable();
            case SYSENTER -> {
                int v = (int) value;
                switch (index) {
                    case SYSENTER_CS -> cpu.sysenterCs = v;
                    case SYSENTER_ESP -> cpu.sysenterEsp = v;
                    default -> cpu.sysenterEip = v;
                }
            }
            default -> {
                // CLOCK, CONSTANT, WRITE_ONLY: accepted, nothing changes
            }
        }
    }

    /** RDPMC's counter {@code n} (0 or 1): PERFCTR0 or PERFCTR1. */
    static long counter(Cpu cpu, int n) {
        return cpu.msrValues[slot(find(n == 0 ? PERFCTR0 : PERFCTR1))];
    }
}
