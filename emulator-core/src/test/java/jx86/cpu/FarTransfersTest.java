package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static jx86.cpu.SystemTestSupport.gate;
import static jx86.cpu.SystemTestSupport.seg;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class FarTransfersTest {
    private static final int CALL_GATE = 0x40;
    private final SystemTestSupport t = new SystemTestSupport();
    private final Cpu cpu = t.cpu;

    // ---- real mode ----

    @Test
    void realMode_farJump_setsCsBaseAndIp() {
        FarTransfers.farJump(cpu, 0x1234, 0x10005678, false);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x1234);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0x12340);
        assertThat(cpu.eip).isEqualTo(0x5678);
    }

    @Test
    void realMode_farCallThenRetfImm_roundTrips() {
        cpu.setSegmentCache(Cpu.SS, 0x100, 0x1000, 0xFFFF, 0x93);
        cpu.regs[Cpu.ESP] = 0x200;
        cpu.setSegmentCache(Cpu.CS, 0x2000, 0x20000, 0xFFFF, 0x9B);
        cpu.eip = 0x0105;
        FarTransfers.farCall(cpu, 0x3000, 0x0040, false);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x1FC);
        assertThat(t.mem.read16(0x1000 + 0x1FC)).isEqualTo(0x0105);
        assertThat(t.mem.read16(0x1000 + 0x1FE)).isEqualTo(0x2000);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0x30000);
        assertThat(cpu.eip).isEqualTo(0x40);

        FarTransfers.farReturn(cpu, false, 4);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x2000);
        assertThat(cpu.eip).isEqualTo(0x0105);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x204);
    }

    @Test
    void realMode_iret_popsIpCsFlags() {
        cpu.setSegmentCache(Cpu.SS, 0, 0, 0xFFFF, 0x93);
        cpu.regs[Cpu.ESP] = 0x7000;
        t.mem.write16(0x7000, 0x1111);
        t.mem.write16(0x7002, 0x2222);
        t.mem.write16(0x7004, 0x3202 | Cpu.CF);
        FarTransfers.iret(cpu, false);
        assertThat(cpu.eip).isEqualTo(0x1111);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0x22220);
        assertThat(cpu.getEflags()).isEqualTo(0x3203);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7006);
    }

    // ---- protected mode, direct ----

    @Test
    void farJump_toNonConformingCodeAtCpl_loadsCs() {
        t.protectedMode();
        t.setGdt(6, seg(0x10000, 0xFFFF, 0x409A));
        FarTransfers.farJump(cpu, 0x30, 0x1234, true);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x30);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0x10000);
        assertThat(cpu.segAr[Cpu.CS]).isEqualTo(0x409B);
        assertThat(cpu.eip).isEqualTo(0x1234);
        assertThat(cpu.cpl()).isZero();
    }

    @Test
    void farJump_toOtherPrivilegeNonConforming_isGp() {
        t.protectedMode();
        assertFault(() -> FarTransfers.farJump(cpu, SystemTestSupport.CODE3, 0, true), Vectors.GP, 0x18);
    }

    @Test
    void farJump_rplAboveCpl_isGp() {
        t.protectedMode();
        assertFault(() -> FarTransfers.farJump(cpu, 0x0B, 0, true), Vectors.GP, 0x08);
    }

    @Test
    void farJump_toConformingInnerCode_keepsCpl3() {
        t.protectedMode().ring3();
        t.setGdt(6, seg(0, 0xFFFFF, 0xC09E));
        FarTransfers.farJump(cpu, 0x30, 0x4000, true);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x33);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.eip).isEqualTo(0x4000);
    }

    @Test
    void farJump_toConformingOuterCode_isGp() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFFF, 0xC0FE));
        assertFault(() -> FarTransfers.farJump(cpu, 0x30, 0, true), Vectors.GP, 0x30);
    }

    @Test
    void farJump_notPresent_isNp() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x1A));
        assertFault(() -> FarTransfers.farJump(cpu, 0x30, 0, true), Vectors.NP, 0x30);
    }

    @Test
    void farJump_beyondLimit_isGp0_andCsUnchanged() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFF, 0x9A));
        assertFault(() -> FarTransfers.farJump(cpu, 0x30, 0x1000, true), Vectors.GP, 0);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(SystemTestSupport.CODE0);
    }

    @Test
    void farJump_nullOrData_isGp() {
        t.protectedMode();
        assertFault(() -> FarTransfers.farJump(cpu, 0, 0, true), Vectors.GP, 0);
        assertFault(() -> FarTransfers.farJump(cpu, SystemTestSupport.DATA0, 0, true), Vectors.GP, 0x10);
    }

    @Test
    void farCall_sameLevel32_pushesCsAndEip() {
        t.protectedMode();
        cpu.eip = 0x11223344;
        FarTransfers.farCall(cpu, SystemTestSupport.CODE0, 0x5000, true);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 8);
        assertThat(t.read32(0x9000 - 8)).isEqualTo(0x11223344);
        assertThat(t.read32(0x9000 - 4)).isEqualTo(0x08);
        assertThat(cpu.eip).isEqualTo(0x5000);
    }

    @Test
    void farCall_expandDownStackOverflow_isSs0_andNothingChanges() {
        t.protectedMode();
        // Expand-down 32-bit stack: valid offsets are 0x1000..0xFFFFFFFF.
        t.setGdt(6, seg(0, 0x0FFF, 0x4097));
        Segments.load(cpu, Cpu.SS, 0x30);
        cpu.regs[Cpu.ESP] = 0x1004;
        assertFault(() -> FarTransfers.farCall(cpu, SystemTestSupport.CODE0, 0x5000, true), Vectors.SS, 0);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x1004);
        cpu.regs[Cpu.ESP] = 0x1008;
        FarTransfers.farCall(cpu, SystemTestSupport.CODE0, 0x5000, true);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x1000);
    }

    // ---- call gates ----

    private void userCallsGate(int params) {
        t.protectedMode().ring3();
        t.setGdt(8, gate(Descriptor.CALL_GATE32, 3, SystemTestSupport.CODE0, 0x5000, params));
        cpu.regs[Cpu.ESP] = 0x7000;
        t.mem.write32(0x7000, 0x11111111);
        t.mem.write32(0x7004, 0x22222222);
        cpu.eip = 0x400123;
    }

    @Test
    void callGateToRing0_switchesToTssStackAndCopiesParameters() {
        userCallsGate(2);
        FarTransfers.farCall(cpu, CALL_GATE | 3, 0xDEAD, true);
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x08);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x10);
        assertThat(cpu.eip).isEqualTo(0x5000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 24);
        assertThat(t.read32(0x7FE8)).as("EIP").isEqualTo(0x400123);
        assertThat(t.read32(0x7FEC)).as("CS").isEqualTo(0x1B);
        assertThat(t.read32(0x7FF0)).as("param 1").isEqualTo(0x11111111);
        assertThat(t.read32(0x7FF4)).as("param 2").isEqualTo(0x22222222);
        assertThat(t.read32(0x7FF8)).as("ESP").isEqualTo(0x7000);
        assertThat(t.read32(0x7FFC)).as("SS").isEqualTo(0x23);
    }

    @Test
    void retfImm_toRing3_restoresStackAndNullsRing0DataSegments() {
        userCallsGate(2);
        FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true);
        Segments.load(cpu, Cpu.DS, SystemTestSupport.DATA0);
        FarTransfers.farReturn(cpu, true, 8);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x1B);
        assertThat(cpu.eip).isEqualTo(0x400123);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7008);
        assertThat(cpu.segSel[Cpu.DS]).as("ring-0 DS nulled").isZero();
        assertThat(cpu.segAr[Cpu.DS]).isZero();
        assertThat(cpu.segSel[Cpu.ES]).as("ring-3 ES kept").isEqualTo(0x23);
    }

    @Test
    void sixteenBitCallGate_pushesWordsAndCopiesWordParameter() {
        t.protectedMode().ring3();
        t.setGdt(8, gate(Descriptor.CALL_GATE16, 3, SystemTestSupport.CODE0, 0x12345678, 1));
        cpu.regs[Cpu.ESP] = 0x7000;
        t.mem.write16(0x7000, 0xBEEF);
        cpu.eip = 0x0321;
        FarTransfers.farCall(cpu, CALL_GATE | 3, 0, false);
        assertThat(cpu.eip).isEqualTo(0x5678);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 10);
        assertThat(t.mem.read16(0x7FF6)).isEqualTo(0x0321);
        assertThat(t.mem.read16(0x7FF8)).isEqualTo(0x1B);
        assertThat(t.mem.read16(0x7FFA)).isEqualTo(0xBEEF);
        assertThat(t.mem.read16(0x7FFC)).isEqualTo(0x7000);
        assertThat(t.mem.read16(0x7FFE)).isEqualTo(0x23);
    }

    @Test
    void callGate_sameLevel_pushesOnCurrentStack() {
        t.protectedMode();
        t.setGdt(8, gate(Descriptor.CALL_GATE32, 0, SystemTestSupport.CODE0, 0x6000, 3));
        cpu.eip = 0x1234;
        FarTransfers.farCall(cpu, CALL_GATE, 0, true);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 8);
        assertThat(t.read32(0x9000 - 8)).isEqualTo(0x1234);
        assertThat(cpu.eip).isEqualTo(0x6000);
    }

    @Test
    void callGate_dplBelowCpl_isGpWithGateSelector() {
        userCallsGate(0);
        t.setGdt(8, gate(Descriptor.CALL_GATE32, 0, SystemTestSupport.CODE0, 0x5000, 0));
        assertFault(() -> FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true), Vectors.GP, CALL_GATE);
        assertThat(cpu.cpl()).isEqualTo(3);
    }

    @Test
    void callGate_notPresent_isNp() {
        userCallsGate(0);
        long g = gate(Descriptor.CALL_GATE32, 3, SystemTestSupport.CODE0, 0x5000, 0);
        t.setGdt(8, Descriptor.of(Descriptor.low(g), Descriptor.high(g) & ~0x8000));
        assertFault(() -> FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true), Vectors.NP, CALL_GATE);
    }

    @Test
    void callGate_nullRing0StackInTss_isTs0() {
        userCallsGate(0);
        t.mem.write16(SystemTestSupport.TSS + 8, 0);
        assertFault(() -> FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true), Vectors.TS, 0);
    }

    @Test
    void callGate_ring0StackNotPresent_isSsWithSelector_andStateUnchanged() {
        userCallsGate(0);
        t.setGdt(6, seg(0, 0xFFFFF, 0xC013));
        t.mem.write16(SystemTestSupport.TSS + 8, 0x30);
        assertFault(() -> FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true), Vectors.SS, 0x30);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7000);
    }

    @Test
    void callGate_ring0StackWithWrongDpl_isTs() {
        userCallsGate(0);
        t.mem.write16(SystemTestSupport.TSS + 8, SystemTestSupport.DATA3 & ~3);
        assertFault(() -> FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true), Vectors.TS, 0x20);
    }

    @Test
    void jumpThroughCallGate_toInnerNonConforming_isGpWithTarget() {
        userCallsGate(0);
        assertFault(() -> FarTransfers.farJump(cpu, CALL_GATE | 3, 0, true), Vectors.GP, 0x08);
    }

    // ---- RETF ----

    @Test
    void retf_sameLevel_popsEipCsAndImmediate() {
        t.protectedMode();
        t.mem.write32(0x9000, 0xABCD);
        t.mem.write32(0x9004, SystemTestSupport.CODE0);
        FarTransfers.farReturn(cpu, true, 0x10);
        assertThat(cpu.eip).isEqualTo(0xABCD);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9018);
    }

    @Test
    void retf_toMorePrivilegedCs_isGp() {
        t.protectedMode().ring3();
        cpu.regs[Cpu.ESP] = 0x7000;
        t.mem.write32(0x7000, 0x1000);
        t.mem.write32(0x7004, SystemTestSupport.CODE0);
        assertFault(() -> FarTransfers.farReturn(cpu, true, 0), Vectors.GP, 0x08);
    }

    @Test
    void retf_toOuterLevelWithBadSs_isGpWithSsSelector() {
        t.protectedMode();
        t.mem.write32(0x9000, 0x1000);
        t.mem.write32(0x9004, SystemTestSupport.CODE3);
        t.mem.write32(0x9008, 0x7000);
        t.mem.write32(0x900C, SystemTestSupport.DATA0 | 3);
        assertFault(() -> FarTransfers.farReturn(cpu, true, 0), Vectors.GP, 0x10);
        assertThat(cpu.cpl()).isZero();
    }

    // ---- IRET ----

    private void frame(int at, int... dwords) {
        for (int i = 0; i < dwords.length; i++) {
            t.mem.write32(at + 4 * i, dwords[i]);
        }
    }

    @Test
    void iret_sameLevel_restoresFlagsIncludingIopl() {
        t.protectedMode();
        frame(0x9000, 0x2000, SystemTestSupport.CODE0, 0x3202 | Cpu.ZF);
        FarTransfers.iret(cpu, true);
        assertThat(cpu.eip).isEqualTo(0x2000);
        assertThat(cpu.getEflags()).isEqualTo(0x3202 | Cpu.ZF);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x900C);
    }

    @Test
    void iret_toRing3_loadsOuterStackAndNullsDs() {
        t.protectedMode();
        frame(0x9000, 0x401000, SystemTestSupport.CODE3, 0x202, 0x7000, SystemTestSupport.DATA3);
        cpu.setSegmentCache(Cpu.ES, SystemTestSupport.DATA3, 0, 0xFFFF_FFFF, SystemTestSupport.AR_DATA3);
        FarTransfers.iret(cpu, true);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x1B);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7000);
        assertThat(cpu.eip).isEqualTo(0x401000);
        assertThat(cpu.getEflags() & Cpu.IF).isNotZero();
        assertThat(cpu.segSel[Cpu.DS]).isZero();
        assertThat(cpu.segSel[Cpu.ES]).isEqualTo(0x23);
    }

    @Test
    void iret_atCpl3_cannotChangeIoplOrIfWhenIoplBelowCpl() {
        t.protectedMode().ring3();
        cpu.setEflags(0x0002 | Cpu.IF);
        cpu.regs[Cpu.ESP] = 0x7000;
        frame(0x7000, 0x1000, SystemTestSupport.CODE3, 0x3002 | Cpu.CF);
        FarTransfers.iret(cpu, true);
        assertThat(cpu.iopl()).isZero();
        assertThat(cpu.getEflags() & Cpu.IF).as("IF kept").isNotZero();
        assertThat(cpu.getEflags() & Cpu.CF).isNotZero();
    }

    @Test
    void iret_atCpl0WithVm_entersV86Mode() {
        t.protectedMode();
        frame(0x9000, 0x12345, 0x1000, Cpu.VM | Cpu.IF | 0x3002, 0xFFFE, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000);
        FarTransfers.iret(cpu, true);
        assertThat(cpu.v86Mode()).isTrue();
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.eip).isEqualTo(0x2345);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0x10000);
        assertThat(cpu.segBase[Cpu.SS]).isEqualTo(0x20000);
        assertThat(cpu.segBase[Cpu.ES]).isEqualTo(0x30000);
        assertThat(cpu.segBase[Cpu.DS]).isEqualTo(0x40000);
        assertThat(cpu.segBase[Cpu.FS]).isEqualTo(0x50000);
        assertThat(cpu.segBase[Cpu.GS]).isEqualTo(0x60000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0xFFFE);
        assertThat(cpu.segAr[Cpu.DS]).isEqualTo(0xF3);
    }

    @Test
    void iret_inV86WithIoplBelow3_isGp0() {
        t.protectedMode();
        cpu.setEflags(Cpu.VM | 2);
        cpu.setCpl(3);
        assertFault(() -> FarTransfers.iret(cpu, false), Vectors.GP, 0);
    }

    @Test
    void iret_toNotPresentCode_isNp_andNothingChanges() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x1A));
        frame(0x9000, 0x2000, 0x30, 0x202);
        assertFault(() -> FarTransfers.iret(cpu, true), Vectors.NP, 0x30);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(SystemTestSupport.CODE0);
    }

    // ---- segment-load cost ----

    @Test
    void protectedModeFarJumpCallAndReturn_eachChargeOneCsLoad() {
        t.protectedMode();
        int price = t.mmu.costModel.segmentLoadCycles;
        long c0 = t.clock.cycles;
        FarTransfers.farJump(cpu, SystemTestSupport.CODE0, 0x5000, true);
        long c1 = t.clock.cycles;
        FarTransfers.farCall(cpu, SystemTestSupport.CODE0, 0x6000, true);
        long c2 = t.clock.cycles;
        FarTransfers.farReturn(cpu, true, 0);
        long c3 = t.clock.cycles;
        assertThat(new long[] {c1 - c0, c2 - c1, c3 - c2}).containsExactly(price, price, price);
        assertThat(cpu.eip).isEqualTo(0x5000);
    }

    @Test
    void callGateToRing0_chargesCsAndSsLoads() {
        userCallsGate(0);
        long before = t.clock.cycles;
        FarTransfers.farCall(cpu, CALL_GATE | 3, 0, true);
        assertThat(t.clock.cycles - before).isEqualTo(2L * t.mmu.costModel.segmentLoadCycles);
    }

    @Test
    void realModeFarJump_costsNothing() {
        long before = t.clock.cycles;
        FarTransfers.farJump(cpu, 0x1234, 0x10, false);
        assertThat(t.clock.cycles).isEqualTo(before);
    }
}
