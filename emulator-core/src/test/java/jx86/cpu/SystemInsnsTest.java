package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static jx86.cpu.SystemTestSupport.gate;
import static jx86.cpu.SystemTestSupport.seg;
import static jx86.cpu.SystemTestSupport.system;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class SystemInsnsTest {
    private final SystemTestSupport t = new SystemTestSupport();
    private final Cpu cpu = t.cpu;

    private boolean zf() {
        return (cpu.getEflags() & Cpu.ZF) != 0;
    }

    // ---- LLDT / LTR ----

    @Test
    void lldt_loadsLdtr_andNullMakesItUnusable() {
        t.protectedMode();
        t.setGdt(6, system(0x4000, 0x3F, Descriptor.LDT, 0));
        SystemInsns.lldt(cpu, 0x30);
        assertThat(cpu.ldtrSel).isEqualTo(0x30);
        assertThat(cpu.ldtrBase).isEqualTo(0x4000);
        assertThat(cpu.ldtrLimit).isEqualTo(0x3F);
        SystemInsns.lldt(cpu, 0);
        assertThat(cpu.ldtrAr).isZero();
    }

    @Test
    void lldt_faults() {
        t.protectedMode();
        t.setGdt(6, seg(0x4000, 0x3F, 0x02)); // LDT type, not present
        assertFault(() -> SystemInsns.lldt(cpu, 0x30), Vectors.NP, 0x30);
        assertFault(() -> SystemInsns.lldt(cpu, 0x34), Vectors.GP, 0x34);
        assertFault(() -> SystemInsns.lldt(cpu, SystemTestSupport.DATA0), Vectors.GP, 0x10);
        t.ring3();
        assertFault(() -> SystemInsns.lldt(cpu, 0x30), Vectors.GP, 0);
    }

    @Test
    void lldt_inRealMode_isUd() {
        assertFault(() -> SystemInsns.lldt(cpu, 0x30), Vectors.UD, -1);
    }

    @Test
    void ltr_loadsTrAndMarksBusy_busyTssIsGp() {
        t.protectedMode();
        t.setGdt(6, system(0x5000, 0x67, Descriptor.TSS32_AVAILABLE, 0));
        SystemInsns.ltr(cpu, 0x30);
        assertThat(cpu.trSel).isEqualTo(0x30);
        assertThat(cpu.trBase).isEqualTo(0x5000);
        assertThat(cpu.trLimit).isEqualTo(0x67);
        assertThat(t.mem.read8(SystemTestSupport.GDT + 0x30 + 5) & 0xF).isEqualTo(Descriptor.TSS32_BUSY);
        assertFault(() -> SystemInsns.ltr(cpu, 0x30), Vectors.GP, 0x30);
        assertFault(() -> SystemInsns.ltr(cpu, 0), Vectors.GP, 0);
    }

    @Test
    void arpl_raisesRplOnlyWhenLower() {
        t.protectedMode();
        assertThat(SystemInsns.arpl(cpu, 0x0010, 0x0003)).isEqualTo(0x0013);
        assertThat(zf()).isTrue();
        assertThat(SystemInsns.arpl(cpu, 0x0013, 0x0001)).isEqualTo(0x0013);
        assertThat(zf()).isFalse();
    }

    // ---- LAR / LSL / VERR / VERW ----

    @Test
    void lar_returnsAccessRightsAndSetsZf() {
        t.protectedMode().ring3();
        long r = SystemInsns.lar(cpu, SystemTestSupport.DATA3);
        assertThat(zf()).isTrue();
        assertThat(r).isEqualTo(0x00CF_F300L);
    }

    @Test
    void lar_invisibleOrInvalid_clearsZf() {
        t.protectedMode().ring3();
        cpu.setEflags(cpu.getEflags() | Cpu.ZF);
        assertThat(SystemInsns.lar(cpu, SystemTestSupport.DATA0 | 3)).isEqualTo(-1);
        assertThat(zf()).isFalse();
        cpu.setEflags(cpu.getEflags() | Cpu.ZF);
        assertThat(SystemInsns.lar(cpu, 0)).isEqualTo(-1);
        assertThat(zf()).isFalse();
        cpu.setEflags(cpu.getEflags() | Cpu.ZF);
        assertThat(SystemInsns.lar(cpu, 0x7FF8 | 3)).as("beyond the GDT").isEqualTo(-1);
        assertThat(zf()).isFalse();
        t.setGdt(6, gate(Descriptor.INTERRUPT_GATE32, 3, 8, 0, 0));
        cpu.setEflags(cpu.getEflags() | Cpu.ZF);
        assertThat(SystemInsns.lar(cpu, 0x33)).as("interrupt gates are not valid for LAR").isEqualTo(-1);
        assertThat(zf()).isFalse();
    }

    @Test
    void lar_callGateAndConformingCode_areValid() {
        t.protectedMode().ring3();
        t.setGdt(6, gate(Descriptor.CALL_GATE32, 3, 8, 0, 0));
        assertThat(SystemInsns.lar(cpu, 0x33)).isEqualTo(0xEC00L);
        t.setGdt(7, seg(0, 0xFFFF, 0x9E));
        assertThat(SystemInsns.lar(cpu, 0x3B)).as("conforming DPL 0 visible at CPL 3").isEqualTo(0x9E00L);
        assertThat(zf()).isTrue();
    }

    @Test
    void lsl_returnsScaledLimit_rejectsGates() {
        t.protectedMode();
        assertThat(SystemInsns.lsl(cpu, SystemTestSupport.DATA0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(zf()).isTrue();
        assertThat(SystemInsns.lsl(cpu, SystemTestSupport.TSS_SEL)).isEqualTo(0x2068L);
        t.setGdt(6, gate(Descriptor.CALL_GATE32, 0, 8, 0, 0));
        assertThat(SystemInsns.lsl(cpu, 0x30)).isEqualTo(-1);
        assertThat(zf()).isFalse();
    }

    @Test
    void verrVerw_followReadWriteRights() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x91)); // read-only data
        t.setGdt(7, seg(0, 0xFFFF, 0x99)); // execute-only code
        t.setGdt(8, seg(0, 0xFFFF, 0x9B)); // readable code
        SystemInsns.verify(cpu, SystemTestSupport.DATA0, true);
        assertThat(zf()).isTrue();
        SystemInsns.verify(cpu, 0x30, true);
        assertThat(zf()).isFalse();
        SystemInsns.verify(cpu, 0x30, false);
        assertThat(zf()).isTrue();
        SystemInsns.verify(cpu, 0x38, false);
        assertThat(zf()).isFalse();
        SystemInsns.verify(cpu, 0x40, false);
        assertThat(zf()).isTrue();
        SystemInsns.verify(cpu, 0x40, true);
        assertThat(zf()).isFalse();
        SystemInsns.verify(cpu, SystemTestSupport.TSS_SEL, false);
        assertThat(zf()).isFalse();
    }

    @Test
    void verr_ring0DataFromRing3_isNotAccessible() {
        t.protectedMode().ring3();
        SystemInsns.verify(cpu, SystemTestSupport.DATA0 | 3, false);
        assertThat(zf()).isFalse();
        SystemInsns.verify(cpu, SystemTestSupport.DATA3, true);
        assertThat(zf()).isTrue();
    }

    // ---- control registers ----

    @Test
    void movToCr0_updatesCpuAndMmu_forcesEt() {
        SystemInsns.movToCr(cpu, 0, Cpu.CR0_PE | Cpu.CR0_PG | Cpu.CR0_WP);
        assertThat(cpu.cr0).isEqualTo(Cpu.CR0_PE | Cpu.CR0_PG | Cpu.CR0_WP | Cpu.CR0_ET);
        assertThat(SystemInsns.movFromCr(cpu, 0)).isEqualTo(cpu.cr0);
    }

    @Test
    void movToCr0_invalidCombinations_areGp0() {
        assertFault(() -> SystemInsns.movToCr(cpu, 0, Cpu.CR0_PG), Vectors.GP, 0);
        assertFault(() -> SystemInsns.movToCr(cpu, 0, Cpu.CR0_PE | Cpu.CR0_NW), Vectors.GP, 0);
    }

    @Test
    void movCr_atCpl3_isGp0_undefinedCrIsUd() {
        t.protectedMode().ring3();
        assertFault(() -> SystemInsns.movToCr(cpu, 3, 0x1000), Vectors.GP, 0);
        assertFault(() -> SystemInsns.movFromCr(cpu, 0), Vectors.GP, 0);
        t.protectedMode();
        assertFault(() -> SystemInsns.movToCr(cpu, 1, 0), Vectors.UD, -1);
        assertFault(() -> SystemInsns.movFromCr(cpu, 5), Vectors.UD, -1);
    }

    @Test
    void movToCr4_reservedOrPae_isGp0_supportedBitsStick() {
        assertFault(() -> SystemInsns.movToCr(cpu, 4, 0x20), Vectors.GP, 0);
        assertFault(() -> SystemInsns.movToCr(cpu, 4, 0x800), Vectors.GP, 0);
        SystemInsns.movToCr(cpu, 4, Cpu.CR4_PSE | Cpu.CR4_PGE);
        assertThat(cpu.cr4).isEqualTo(0x90);
    }

    @Test
    void movToCr3_andCr2_storeValues() {
        SystemInsns.movToCr(cpu, 3, 0x0012_3018);
        SystemInsns.movToCr(cpu, 2, 0xDEAD_BEEF);
        assertThat(SystemInsns.movFromCr(cpu, 3)).isEqualTo(0x0012_3018);
        assertThat(SystemInsns.movFromCr(cpu, 2)).isEqualTo(0xDEAD_BEEF);
    }

    @Test
    void lmsw_cannotClearPe_clts_clearsTs() {
        cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET | Cpu.CR0_TS);
        SystemInsns.lmsw(cpu, Cpu.CR0_MP);
        assertThat(cpu.cr0).isEqualTo(Cpu.CR0_PE | Cpu.CR0_ET | Cpu.CR0_MP);
        SystemInsns.lmsw(cpu, Cpu.CR0_TS);
        SystemInsns.clts(cpu);
        assertThat(cpu.cr0 & Cpu.CR0_TS).isZero();
    }

    // ---- debug registers ----

    @Test
    void dr4AliasesDr6_unlessDebugExtensions() {
        SystemInsns.movToDr(cpu, 0, 0x1234);
        assertThat(SystemInsns.movFromDr(cpu, 0)).isEqualTo(0x1234);
        SystemInsns.movToDr(cpu, 4, 0x1);
        assertThat(cpu.dr[6]).isEqualTo(0xFFFF_0FF1);
        assertThat(SystemInsns.movFromDr(cpu, 5)).isEqualTo(cpu.dr[7]);
        cpu.setCr4(Cpu.CR4_DE);
        assertFault(() -> SystemInsns.movFromDr(cpu, 4), Vectors.UD, -1);
    }

    @Test
    void generalDetect_raisesDebugAndSetsBd() {
        SystemInsns.movToDr(cpu, 7, 1 << 13);
        assertThat(cpu.dr[7]).isEqualTo(0x2400);
        assertFault(() -> SystemInsns.movFromDr(cpu, 0), Vectors.DB, -1);
        assertThat(cpu.dr[6] & (1 << 13)).isNotZero();
        assertThat(cpu.dr[7] & (1 << 13)).isZero();
    }

    // ---- MSRs ----

    @Test
    void sysenterMsrs_roundTrip() {
        cpu.regs[Cpu.ECX] = 0x175;
        cpu.regs[Cpu.EAX] = 0xC000_1000;
        cpu.regs[Cpu.EDX] = 0;
        SystemInsns.wrmsr(cpu);
        assertThat(cpu.sysenterEsp).isEqualTo(0xC000_1000);
        cpu.regs[Cpu.EAX] = 0;
        cpu.regs[Cpu.EDX] = 0x55;
        SystemInsns.rdmsr(cpu);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0xC000_1000);
        assertThat(cpu.regs[Cpu.EDX]).isZero();
    }

    @Test
    void tscAndApicBase_readBack() {
        t.clock.cycles = 0x1_2345_6789L;
        cpu.regs[Cpu.ECX] = 0x10;
        SystemInsns.rdmsr(cpu);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0x2345_6789);
        assertThat(cpu.regs[Cpu.EDX]).isEqualTo(1);
        cpu.regs[Cpu.ECX] = 0x1B;
        SystemInsns.rdmsr(cpu);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0xFEE0_0900);
        assertThat(cpu.regs[Cpu.EDX]).isZero();
    }

    @Test
    void unknownMsrOrCpl3_isGp0() {
        cpu.regs[Cpu.ECX] = 0xC000_0080;
        assertFault(() -> SystemInsns.rdmsr(cpu), Vectors.GP, 0);
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        t.protectedMode().ring3();
        cpu.regs[Cpu.ECX] = 0x174;
        assertFault(() -> SystemInsns.rdmsr(cpu), Vectors.GP, 0);
    }

    private long rdmsr(int index) {
        cpu.regs[Cpu.ECX] = index;
        cpu.regs[Cpu.EAX] = 0x5555_5555;
        cpu.regs[Cpu.EDX] = 0x5555_5555;
        SystemInsns.rdmsr(cpu);
        return (long) cpu.regs[Cpu.EDX] << 32 | cpu.regs[Cpu.EAX] & 0xFFFF_FFFFL;
    }

    private void wrmsr(int index, long value) {
        cpu.regs[Cpu.ECX] = index;
        cpu.regs[Cpu.EAX] = (int) value;
        cpu.regs[Cpu.EDX] = (int) (value >>> 32);
        SystemInsns.wrmsr(cpu);
    }

    @Test
    void p6Msrs_readTheirPowerOnValues() {
        assertThat(rdmsr(0x17)).as("IA32_PLATFORM_ID").isZero();
        assertThat(rdmsr(0x2A)).as("EBL_CR_POWERON").isZero();
        assertThat(rdmsr(0x8B)).as("IA32_BIOS_SIGN_ID: no microcode loaded").isZero();
        assertThat(rdmsr(0xC1)).as("PERFCTR0").isZero();
        assertThat(rdmsr(0x186)).as("PERFEVTSEL0").isZero();
    }

    @Test
    void microcodeSignature_linuxsSequence_writeZeroCpuidRead() {
        // early_init_intel: WRMSR 0x8B <- 0, CPUID 1, RDMSR 0x8B: the revision (EDX) is 0
        wrmsr(0x8B, 0);
        assertThat(rdmsr(0x8B)).isZero();
        wrmsr(0x8B, 0x1234_0000_0000L);
        assertThat(rdmsr(0x8B)).as("the CPU, not the write, sets the revision").isZero();
        wrmsr(0x79, 0x0001_0000);   // BIOS_UPDT_TRIG: accepted, no update taken
        assertThat(rdmsr(0x8B)).isZero();
        cpu.regs[Cpu.ECX] = 0x79;
        assertFault(() -> SystemInsns.rdmsr(cpu), Vectors.GP, 0);
    }

    @Test
    void eventSelectsAndCounters_storeWhatIsWritten_counterSignExtendsTo40Bits() {
        wrmsr(0x186, 0x0053_0079L);  // EN, INT off, USR+OS, event 79h
        assertThat(rdmsr(0x186)).isEqualTo(0x0053_0079L);
        wrmsr(0xC1, 0xFFFF_FFFF_8000_0000L);  // EDX ignored, EAX bit 31 extends to bit 39
        assertThat(rdmsr(0xC1)).isEqualTo(0xFF_8000_0000L);
        wrmsr(0xC2, 0x0000_00AB_0000_FFFFL);
        assertThat(rdmsr(0xC2)).isEqualTo(0xFFFFL);
        cpu.regs[Cpu.ECX] = 0;
        SystemOps.rdpmc(cpu);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0x8000_0000);
        assertThat(cpu.regs[Cpu.EDX]).isEqualTo(0xFF);
        cpu.reset();
        assertThat(rdmsr(0x186)).as("RESET").isZero();
        assertThat(rdmsr(0xC1)).as("RESET").isZero();
    }

    @Test
    void reservedBits_areGp0_andReadOnlyBitsAreIgnored() {
        cpu.regs[Cpu.ECX] = 0x186;
        cpu.regs[Cpu.EAX] = 0x0020_0000;   // bit 21 reserved
        cpu.regs[Cpu.EDX] = 0;
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        cpu.regs[Cpu.EAX] = 0;
        cpu.regs[Cpu.EDX] = 1;             // bits 63:32 reserved
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        assertThat(rdmsr(0x186)).as("a faulting write changes nothing").isZero();
        // EBL_CR_POWERON: bit 1 (data error checking) R/W, bit 9 (tri-state) read-only, bit 0 reserved
        wrmsr(0x2A, 0x0000_0202L);
        assertThat(rdmsr(0x2A)).isEqualTo(0x2L);
        cpu.regs[Cpu.ECX] = 0x2A;
        cpu.regs[Cpu.EAX] = 1;
        cpu.regs[Cpu.EDX] = 0;
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        // IA32_PLATFORM_ID is read-only: any write faults
        cpu.regs[Cpu.ECX] = 0x17;
        cpu.regs[Cpu.EAX] = 0;
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        // IA32_APIC_BASE: the base and enable bits are accepted and ignored, bits 0-7 reserved
        wrmsr(0x1B, 0xFEF0_0000L);
        assertThat(rdmsr(0x1B)).isEqualTo(0xFEE0_0900L);
        cpu.regs[Cpu.ECX] = 0x1B;
        cpu.regs[Cpu.EAX] = 0xFEE0_0901;
        assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
    }

    @Test
    void msrsTheModelLacks_areGp0() {
        // MTRRcap, MTRRdefType, MCG_CAP, MISC_ENABLE (no MTRR/MCA in CPUID, not a P6 MSR), P5_MC_ADDR (no MCE)
        for (int index : new int[] {0xFE, 0x2FF, 0x179, 0x17B, 0x1A0, 0x400, 0x00, 0x01, 0x3A, 0x1D9}) {
            cpu.regs[Cpu.ECX] = index;
            cpu.regs[Cpu.EAX] = 0;
            cpu.regs[Cpu.EDX] = 0;
            assertFault(() -> SystemInsns.rdmsr(cpu), Vectors.GP, 0);
            assertFault(() -> SystemInsns.wrmsr(cpu), Vectors.GP, 0);
        }
    }

    @Test
    void msrTable_followsCpuid() {
        assertThat(CpuModel.FEATURES_EDX & CpuModel.MCE).as("MCE not advertised").isZero();
        assertThat(ModelMsrs.find(0x00)).as("P5_MC_ADDR comes with MCE").isNull();
        assertThat(ModelMsrs.find(0x174).present()).isTrue();
        assertThat(ModelMsrs.TABLE).extracting(ModelMsrs.Msr::index).doesNotHaveDuplicates().isSorted();
    }

    // ---- SYSENTER / SYSEXIT ----

    @Test
    void sysenterThenSysexit_useFlatSegmentsDerivedFromSysenterCs() {
        t.protectedMode().ring3();
        cpu.sysenterCs = SystemTestSupport.CODE0;
        cpu.sysenterEsp = 0x8800;
        cpu.sysenterEip = 0xC0001000;
        cpu.setEflags(0x202);
        SystemInsns.sysenter(cpu);
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x08);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x10);
        assertThat(cpu.segLimit[Cpu.CS]).isEqualTo(0xFFFF_FFFF);
        assertThat(cpu.codeSize32()).isTrue();
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8800);
        assertThat(cpu.eip).isEqualTo(0xC0001000);
        assertThat(cpu.getEflags() & Cpu.IF).isZero();

        cpu.regs[Cpu.ECX] = 0x7000;
        cpu.regs[Cpu.EDX] = 0x401234;
        SystemInsns.sysexit(cpu);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x1B);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(Descriptor.arDpl(cpu.segAr[Cpu.SS])).isEqualTo(3);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7000);
        assertThat(cpu.eip).isEqualTo(0x401234);
    }

    @Test
    void sysenterWithNullCs_andSysexitOutsideRing0_areGp0() {
        t.protectedMode();
        assertFault(() -> SystemInsns.sysenter(cpu), Vectors.GP, 0);
        cpu.sysenterCs = 8;
        t.ring3();
        assertFault(() -> SystemInsns.sysexit(cpu), Vectors.GP, 0);
    }

    @Test
    void sysenterInRealMode_isGp0() {
        cpu.sysenterCs = 8;
        assertFault(() -> SystemInsns.sysenter(cpu), Vectors.GP, 0);
    }

    // ---- I/O permission ----

    private void userWithBitmap() {
        t.protectedMode().ring3();
        t.mem.write16(SystemTestSupport.TSS + 0x66, 0x68);
        t.mem.write8(SystemTestSupport.TSS + 0x68 + (0x3F8 >> 3), 1 << (0x3F8 & 7)); // deny 0x3F8
        t.mem.write8(SystemTestSupport.TSS + 0x68 + (0x400 >> 3), 1); // deny 0x400
    }

    @Test
    void realMode_andCplWithinIopl_alwaysAllowed() {
        SystemInsns.checkIoPermission(cpu, 0x3F8, 1);
        userWithBitmap();
        cpu.setEflags(cpu.getEflags() | Cpu.IOPL_MASK);
        SystemInsns.checkIoPermission(cpu, 0x3F8, 1);
    }

    @Test
    void bitmap_permissionMatrix() {
        userWithBitmap();
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x3F8, 1), Vectors.GP, 0);
        SystemInsns.checkIoPermission(cpu, 0x3F9, 1);
        SystemInsns.checkIoPermission(cpu, 0x3F9, 4);
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x3F7, 2), Vectors.GP, 0);
        SystemInsns.checkIoPermission(cpu, 0x3FC, 4);
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x3FE, 4), Vectors.GP, 0);
    }

    @Test
    void bitmap_portBeyondTssLimit_isDenied() {
        userWithBitmap();
        cpu.trLimit = 0x68 + (0x3F0 >> 3);
        // 0x3F0's byte is the last in the TSS, but the check reads two bytes.
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x3F0, 1), Vectors.GP, 0);
        cpu.trLimit = 0x68 + (0x3F0 >> 3) + 1;
        SystemInsns.checkIoPermission(cpu, 0x3F0, 1);
    }

    @Test
    void bitmap_baseBeyondLimit_deniesEverything() {
        userWithBitmap();
        t.mem.write16(SystemTestSupport.TSS + 0x66, 0xFFFF);
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x80, 1), Vectors.GP, 0);
    }

    @Test
    void v86Mode_usesBitmapEvenWithIopl3() {
        userWithBitmap();
        cpu.setEflags(Cpu.VM | Cpu.IOPL_MASK | 2);
        assertFault(() -> SystemInsns.checkIoPermission(cpu, 0x3F8, 1), Vectors.GP, 0);
        SystemInsns.checkIoPermission(cpu, 0x60, 1);
    }

    @Test
    void cpl0WithIopl0_isAllowedWithoutBitmap() {
        t.protectedMode();
        t.mem.write16(SystemTestSupport.TSS + 0x66, 0xFFFF);
        SystemInsns.checkIoPermission(cpu, 0x3F8, 1);
    }
}
