package jx86.cpu;

/**
 * The one source of the processor jx86 presents: its signature (CPUID.1:EAX, EDX after RESET,
 * the MP table's processor entry) and its feature flags (CPUID.1:EDX, the MP table's feature
 * word). The instruction-set features are derived from the {@link OpTable}'s model column
 * (TSC from RDTSC, MSR from RDMSR, CX8 from CMPXCHG8B, SEP from SYSENTER, CMOV from CMOVcc);
 * the others describe what the MMU and the machine model (PSE, PGE, APIC) and the x87 FPU.
 * The model-specific registers that go with this model and these features are in {@link ModelMsrs}.
 */
public final class CpuModel {
    private CpuModel() {
    }

    /**
     * Whether the x87 FPU is present (CPUID.1:EDX.FPU, the MP table's copy, the CMOS equipment
     * byte): D8-DF and WAIT reach jx86.cpu.fpu through {@link X87Port}.
     */
    public static final boolean HAS_FPU = true;

    /** The model jx86 is: every table row up to this generation exists. */
    public static final OpTable.Model GENERATION = OpTable.Model.P6;

    public static final int FAMILY = 6;
    public static final int MODEL = 6;
    public static final int STEPPING = 3;
    /** CPUID.1:EAX: stepping, model, family (type 0, no extended fields): 0x00000663. */
    public static final int SIGNATURE = FAMILY << 8 | MODEL << 4 | STEPPING;

    // CPUID.1:EDX bits (SDM Vol. 2A, CPUID, Table 3-11).
    public static final int FPU = 1;
    public static final int PSE = 1 << 3;
    public static final int TSC = 1 << 4;
    public static final int MSR = 1 << 5;
    /**
     * Machine-check exception: not reported (no machine checks are modelled), so the P5_MC MSRs
     * that come with it are absent ({@link ModelMsrs}).
     */
    public static final int MCE = 1 << 7;
    public static final int CX8 = 1 << 8;
    public static final int APIC = 1 << 9;
    public static final int SEP = 1 << 11;
    public static final int PGE = 1 << 13;
    public static final int CMOV = 1 << 15;

    /** CPUID.1:EDX and the MP table's feature word. */
    public static final int FEATURES_EDX = featuresEdx();

    private static boolean has(int code, int group) {
        OpTable.Row r = OpTable.lookup(code, group);
        return r != null && r.since().ordinal() <= GENERATION.ordinal();
    }

    private static int featuresEdx() {
        int f = PSE | PGE | APIC; // 4 MiB pages and global pages (jx86.mmu), the local APIC (devices.apic)
        if (HAS_FPU) {
            f |= FPU;
        }
        f |= has(0x131, 0) ? TSC : 0;
        f |= has(0x132, 0) ? MSR : 0;
        f |= has(0x1C7, 1) ? CX8 : 0;
        f |= has(0x134, 0) ? SEP : 0;
        f |= has(0x140, 0) ? CMOV : 0;
        return f;
    }
}
