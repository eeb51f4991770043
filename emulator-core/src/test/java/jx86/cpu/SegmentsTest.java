package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static jx86.cpu.SystemTestSupport.seg;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    private final SystemTestSupport t = new SystemTestSupport();
    private final Cpu cpu = t.cpu;

    @Test
    void realMode_setsBaseFromSelector_keepsUnrealLimit() {
        cpu.segLimit[Cpu.DS] = 0xFFFF_FFFF;
        Segments.load(cpu, Cpu.DS, 0x1234);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(0x1234);
        assertThat(cpu.segBase[Cpu.DS]).isEqualTo(0x12340);
        assertThat(cpu.segLimit[Cpu.DS]).isEqualTo(0xFFFF_FFFF);
        assertThat(cpu.segAr[Cpu.DS] & 0xFF).isEqualTo(0x93);
    }

    @Test
    void realMode_afterNullSelectorInProtectedMode_segmentIsUsableAgain() {
        cpu.segAr[Cpu.ES] = 0;
        Segments.load(cpu, Cpu.ES, 0xB800);
        assertThat(cpu.segAr[Cpu.ES]).isEqualTo(0x93);
        assertThat(cpu.segBase[Cpu.ES]).isEqualTo(0xB8000);
    }

    @Test
    void v86Mode_loadsDpl3SixtyFourKilobyteSegment() {
        t.protectedMode();
        cpu.setEflags(cpu.getEflags() | Cpu.VM);
        cpu.setCpl(3);
        Segments.load(cpu, Cpu.SS, 0x2000);
        assertThat(cpu.segBase[Cpu.SS]).isEqualTo(0x20000);
        assertThat(cpu.segLimit[Cpu.SS]).isEqualTo(0xFFFF);
        assertThat(cpu.segAr[Cpu.SS]).isEqualTo(0xF3);
    }

    @Test
    void protectedMode_validData_loadsCacheAndSetsAccessedBit() {
        t.protectedMode();
        t.setGdt(6, seg(0x123456, 0xFFFF, 0x4092));
        Segments.load(cpu, Cpu.DS, 0x30);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(0x30);
        assertThat(cpu.segBase[Cpu.DS]).isEqualTo(0x123456);
        assertThat(cpu.segLimit[Cpu.DS]).isEqualTo(0xFFFF);
        assertThat(cpu.segAr[Cpu.DS]).isEqualTo(0x4093);
        assertThat(t.mem.read8(SystemTestSupport.GDT + 6 * 8 + 5)).isEqualTo(0x93);
    }

    @Test
    void granularLimit_isScaledToBytes() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xF, 0x8093));
        Segments.load(cpu, Cpu.ES, 0x30);
        assertThat(cpu.segLimit[Cpu.ES]).isEqualTo(0xFFFF);
    }

    @Test
    void nullSelector_makesDataRegisterUnusable() {
        t.protectedMode();
        Segments.load(cpu, Cpu.DS, 3);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(3);
        assertThat(cpu.segAr[Cpu.DS]).isZero();
    }

    @Test
    void nullSelector_inSs_isGp0() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.SS, 0), Vectors.GP, 0);
    }

    @Test
    void selectorBeyondGdtLimit_isGpWithSelectorIndex() {
        t.protectedMode();
        cpu.gdtrLimit = 0x2F;
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x33), Vectors.GP, 0x30);
        // The last byte of the descriptor must be within the limit, too.
        cpu.gdtrLimit = 0x36;
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x30), Vectors.GP, 0x30);
    }

    @Test
    void ldtSelector_withoutLdt_isGp() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x0C), Vectors.GP, 0x0C);
    }

    @Test
    void ldtSelector_readsTheLdt() {
        t.protectedMode();
        t.mem.write32(SystemTestSupport.LDT + 8, Descriptor.low(seg(0x50000, 0xFFF, 0x93)));
        t.mem.write32(SystemTestSupport.LDT + 12, Descriptor.high(seg(0x50000, 0xFFF, 0x93)));
        cpu.ldtrSel = 0x40;
        cpu.ldtrBase = SystemTestSupport.LDT;
        cpu.ldtrLimit = 0x0F;
        cpu.ldtrAr = 0x82;
        Segments.load(cpu, Cpu.FS, 0x0C);
        assertThat(cpu.segBase[Cpu.FS]).isEqualTo(0x50000);
        assertThat(cpu.segLimit[Cpu.FS]).isEqualTo(0xFFF);
    }

    @Test
    void ss_rplNotCpl_isGp() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.SS, 0x13), Vectors.GP, 0x10);
    }

    @Test
    void ss_dplNotCpl_isGp() {
        t.protectedMode().ring3();
        assertFault(() -> Segments.load(cpu, Cpu.SS, 0x13), Vectors.GP, 0x10);
    }

    @Test
    void ss_readOnlyData_isGp() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x91));
        assertFault(() -> Segments.load(cpu, Cpu.SS, 0x30), Vectors.GP, 0x30);
    }

    @Test
    void ss_codeSegment_isGp() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.SS, SystemTestSupport.CODE0), Vectors.GP, 0x08);
    }

    @Test
    void ss_notPresent_isSsFaultWithSelector() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x13));
        assertFault(() -> Segments.load(cpu, Cpu.SS, 0x30), Vectors.SS, 0x30);
    }

    @Test
    void ss_validAtRing3_loads() {
        t.protectedMode().ring3();
        cpu.setSegmentCache(Cpu.SS, 0, 0, 0, 0);
        Segments.load(cpu, Cpu.SS, SystemTestSupport.DATA3);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(cpu.segAr[Cpu.SS]).isEqualTo(SystemTestSupport.AR_DATA3);
    }

    @Test
    void data_executeOnlyCode_isGp() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x99));
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x30), Vectors.GP, 0x30);
    }

    @Test
    void data_systemDescriptor_isGp() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.DS, SystemTestSupport.TSS_SEL), Vectors.GP, 0x28);
    }

    @Test
    void data_moreprivilegedThanCpl_isGp() {
        t.protectedMode().ring3();
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x13), Vectors.GP, 0x10);
    }

    @Test
    void data_rplAboveDpl_isGp() {
        t.protectedMode();
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x11), Vectors.GP, 0x10);
    }

    @Test
    void data_notPresent_isNpWithSelector() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x13));
        assertFault(() -> Segments.load(cpu, Cpu.GS, 0x30), Vectors.NP, 0x30);
    }

    @Test
    void data_privilegeCheckPrecedesPresentCheck() {
        t.protectedMode().ring3();
        t.setGdt(6, seg(0, 0xFFFF, 0x13));
        assertFault(() -> Segments.load(cpu, Cpu.GS, 0x33), Vectors.GP, 0x30);
    }

    @Test
    void data_conformingReadableCode_isLoadableFromRing3() {
        t.protectedMode().ring3();
        t.setGdt(6, seg(0x7000, 0xFFFF, 0x9F));
        Segments.load(cpu, Cpu.DS, 0x33);
        assertThat(cpu.segBase[Cpu.DS]).isEqualTo(0x7000);
    }

    @Test
    void data_readableNonConformingCode_needsDplAtLeastCpl() {
        t.protectedMode().ring3();
        t.setGdt(6, seg(0, 0xFFFF, 0x9B));
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x33), Vectors.GP, 0x30);
        t.setGdt(7, seg(0, 0xFFFF, 0xFB));
        Segments.load(cpu, Cpu.DS, 0x3B);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(0x3B);
    }

    @Test
    void failedLoad_leavesRegisterUnchanged() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x13));
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x30), Vectors.NP, 0x30);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(SystemTestSupport.DATA0);
        assertThat(cpu.segAr[Cpu.DS]).isEqualTo(SystemTestSupport.AR_DATA0);
    }

    @Test
    void returnToOuterLevel_nullsOnlyInaccessibleDataSegments() {
        t.protectedMode();
        cpu.setSegmentCache(Cpu.FS, 0x30, 0, 0xFFFF, 0x9F); // conforming code DPL 0: kept
        cpu.setSegmentCache(Cpu.GS, 0x23, 0, 0xFFFF, 0xF3); // DPL 3 data: kept
        cpu.setCpl(3);
        Segments.nullInaccessibleDataSegments(cpu);
        assertThat(cpu.segSel[Cpu.DS]).isZero();
        assertThat(cpu.segAr[Cpu.ES]).isZero();
        assertThat(cpu.segSel[Cpu.FS]).isEqualTo(0x30);
        assertThat(cpu.segSel[Cpu.GS]).isEqualTo(0x23);
    }

    // ---- segment-load cost ----

    @Test
    void protectedModeMovDs_costsSegmentLoadCyclesExtra() {
        int price = t.mmu.costModel.segmentLoadCycles;
        assertThat(price).as("default cost model charges segment loads").isPositive();
        t.protectedMode();
        // mov ax, 0x10; mov ds, ax; hlt (32-bit code)
        t.mem.load(0x11000, new byte[] {0x66, (byte) 0xB8, 0x10, 0x00, (byte) 0x8E, (byte) 0xD8, (byte) 0xF4});
        cpu.eip = 0x11000;
        long before = t.clock.cycles;
        assertThat(cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.clock.cycles - before).as("3 instructions + one load").isEqualTo(3 + price);
        assertThat(cpu.segSel[Cpu.DS]).isEqualTo(SystemTestSupport.DATA0);
    }

    @Test
    void protectedModeNullSelectorLoad_isChargedToo() {
        t.protectedMode();
        long before = t.clock.cycles;
        Segments.load(cpu, Cpu.FS, 0);
        assertThat(t.clock.cycles - before).isEqualTo(t.mmu.costModel.segmentLoadCycles);
    }

    @Test
    void realModeMovDs_costsNothingExtra() {
        // mov ax, 0x1234; mov ds, ax; hlt (real mode, code at 0000:1000)
        t.mem.load(0x1000, new byte[] {(byte) 0xB8, 0x34, 0x12, (byte) 0x8E, (byte) 0xD8, (byte) 0xF4});
        cpu.setSegmentCache(Cpu.CS, 0, 0, 0xFFFF, 0x9B);
        cpu.eip = 0x1000;
        long before = t.clock.cycles;
        assertThat(cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.clock.cycles - before).isEqualTo(3);
        assertThat(cpu.segBase[Cpu.DS]).isEqualTo(0x12340);
    }

    @Test
    void faultingProtectedModeLoad_isNotCharged() {
        t.protectedMode();
        long before = t.clock.cycles;
        assertFault(() -> Segments.load(cpu, Cpu.DS, 0x7FF8), Vectors.GP, 0x7FF8);
        assertThat(t.clock.cycles).isEqualTo(before);
    }
}
