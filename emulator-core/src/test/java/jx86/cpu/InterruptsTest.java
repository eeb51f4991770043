package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static jx86.cpu.SystemTestSupport.gate;
import static jx86.cpu.SystemTestSupport.seg;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class InterruptsTest {
    private final SystemTestSupport t = new SystemTestSupport();
    private final Cpu cpu = t.cpu;

    private void handler(int vector, int type, int dpl, int offset) {
        t.setIdt(vector, gate(type, dpl, SystemTestSupport.CODE0, offset, 0));
    }

    private void userMode() {
        t.protectedMode().ring3();
        cpu.regs[Cpu.ESP] = 0x7000;
        cpu.setEflags(0x202);
        cpu.eip = 0x401000;
    }

    // ---- real mode ----

    @Test
    void realMode_usesIvtAndPushesFlagsCsIp() {
        t.mem.write16(0x21 * 4, 0x0100);
        t.mem.write16(0x21 * 4 + 2, 0xF000);
        cpu.setSegmentCache(Cpu.CS, 0x1000, 0x10000, 0xFFFF, 0x9B);
        cpu.setSegmentCache(Cpu.SS, 0, 0, 0xFFFF, 0x93);
        cpu.regs[Cpu.ESP] = 0x500;
        cpu.eip = 0x0042;
        cpu.setEflags(0x0302 | Cpu.AC); // IF, TF
        Interrupts.deliver(cpu, 0x21, Interrupts.SOFTWARE, -1);
        assertThat(cpu.segBase[Cpu.CS]).isEqualTo(0xF0000);
        assertThat(cpu.eip).isEqualTo(0x100);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x4FA);
        assertThat(t.mem.read16(0x4FA)).isEqualTo(0x0042);
        assertThat(t.mem.read16(0x4FC)).isEqualTo(0x1000);
        assertThat(t.mem.read16(0x4FE)).isEqualTo(0x0302);
        assertThat(cpu.getEflags() & (Cpu.IF | Cpu.TF | Cpu.AC)).isZero();
    }

    // ---- protected mode ----

    @Test
    void interruptGateFromRing3_buildsInnerFrameOnTssStack() {
        userMode();
        handler(0x80, Descriptor.INTERRUPT_GATE32, 3, 0x6000);
        Interrupts.deliver(cpu, 0x80, Interrupts.SOFTWARE, -1);
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x08);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x10);
        assertThat(cpu.eip).isEqualTo(0x6000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 20);
        assertThat(t.read32(0x7FEC)).as("EIP").isEqualTo(0x401000);
        assertThat(t.read32(0x7FF0)).as("CS").isEqualTo(0x1B);
        assertThat(t.read32(0x7FF4)).as("EFLAGS").isEqualTo(0x202);
        assertThat(t.read32(0x7FF8)).as("ESP").isEqualTo(0x7000);
        assertThat(t.read32(0x7FFC)).as("SS").isEqualTo(0x23);
        assertThat(cpu.getEflags() & Cpu.IF).as("interrupt gate clears IF").isZero();
    }

    @Test
    void trapGate_keepsIf_clearsTfNtRf() {
        userMode();
        cpu.setEflags(0x202 | Cpu.TF | Cpu.NT | Cpu.RF);
        handler(0x81, Descriptor.TRAP_GATE32, 3, 0x6000);
        Interrupts.deliver(cpu, 0x81, Interrupts.SOFTWARE, -1);
        assertThat(cpu.getEflags()).isEqualTo(0x202);
        assertThat(t.read32(0x7FF4)).isEqualTo(0x202 | Cpu.TF | Cpu.NT | Cpu.RF);
    }

    @Test
    void exceptionWithErrorCode_fromRing3_pushesErrorCodeLast() {
        userMode();
        handler(Vectors.GP, Descriptor.INTERRUPT_GATE32, 0, 0x6100);
        Interrupts.deliver(cpu, Vectors.GP, Interrupts.EXCEPTION, 0x1234);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 24);
        assertThat(t.read32(0x7FE8)).isEqualTo(0x1234);
        assertThat(t.read32(0x7FEC)).isEqualTo(0x401000);
    }

    @Test
    void sameLevelInterrupt_pushesOnCurrentStack() {
        t.protectedMode();
        cpu.eip = 0x3000;
        handler(0x20, Descriptor.INTERRUPT_GATE32, 0, 0x6200);
        Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 12);
        assertThat(t.read32(0x9000 - 12)).isEqualTo(0x3000);
        assertThat(t.read32(0x9000 - 8)).isEqualTo(0x08);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x10);
    }

    @Test
    void sixteenBitInterruptGate_pushesWords() {
        t.protectedMode();
        cpu.eip = 0x3000;
        cpu.setEflags(0x246);
        handler(0x20, Descriptor.INTERRUPT_GATE16, 0, 0x7654_6200);
        Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1);
        assertThat(cpu.eip).isEqualTo(0x6200);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 6);
        assertThat(t.mem.read16(0x9000 - 6)).isEqualTo(0x3000);
        assertThat(t.mem.read16(0x9000 - 4)).isEqualTo(0x08);
        assertThat(t.mem.read16(0x9000 - 2)).isEqualTo(0x246);
    }

    @Test
    void softwareIntThroughRing0Gate_fromRing3_isGpWithIdtIndex() {
        userMode();
        handler(0x80, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        assertFault(() -> Interrupts.deliver(cpu, 0x80, Interrupts.SOFTWARE, -1), Vectors.GP, 0x80 * 8 + 2);
        assertFault(() -> Interrupts.deliver(cpu, 0x80, Interrupts.SOFTWARE_TRAP, -1), Vectors.GP, 0x80 * 8 + 2);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7000);
    }

    @Test
    void externalInterruptThroughRing0Gate_fromRing3_isDelivered() {
        userMode();
        handler(0x20, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1);
        assertThat(cpu.cpl()).isZero();
    }

    @Test
    void vectorBeyondIdtLimit_isGpWithExtForExternal() {
        t.protectedMode();
        cpu.idtrLimit = 0x20 * 8 - 1;
        assertFault(() -> Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1), Vectors.GP, 0x20 * 8 + 3);
        assertFault(() -> Interrupts.deliver(cpu, 0x20, Interrupts.SOFTWARE, -1), Vectors.GP, 0x20 * 8 + 2);
    }

    @Test
    void gateNotPresent_isNpWithIdtIndex() {
        t.protectedMode();
        long g = gate(Descriptor.INTERRUPT_GATE32, 3, SystemTestSupport.CODE0, 0x6000, 0);
        t.setIdt(0x30, Descriptor.of(Descriptor.low(g), Descriptor.high(g) & ~0x8000));
        assertFault(() -> Interrupts.deliver(cpu, 0x30, Interrupts.SOFTWARE, -1), Vectors.NP, 0x30 * 8 + 2);
    }

    @Test
    void callGateInIdt_isGp() {
        t.protectedMode();
        t.setIdt(0x31, gate(Descriptor.CALL_GATE32, 3, SystemTestSupport.CODE0, 0x6000, 0));
        assertFault(() -> Interrupts.deliver(cpu, 0x31, Interrupts.SOFTWARE, -1), Vectors.GP, 0x31 * 8 + 2);
    }

    @Test
    void gateToNotPresentCode_isNpWithTargetAndExt() {
        t.protectedMode();
        t.setGdt(6, seg(0, 0xFFFF, 0x1A));
        t.setIdt(0x20, gate(Descriptor.INTERRUPT_GATE32, 0, 0x30, 0x100, 0));
        assertFault(() -> Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1), Vectors.NP, 0x31);
    }

    @Test
    void ring0StackNotPresent_externalInterrupt_isSsWithExt() {
        userMode();
        t.setGdt(6, seg(0, 0xFFFFF, 0xC013));
        t.mem.write16(SystemTestSupport.TSS + 8, 0x30);
        handler(0x20, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        assertFault(() -> Interrupts.deliver(cpu, 0x20, Interrupts.EXTERNAL, -1), Vectors.SS, 0x31);
        assertThat(cpu.cpl()).isEqualTo(3);
    }

    @Test
    void interruptFromV86_savesAndNullsDataSegments() {
        t.protectedMode();
        cpu.setEflags(Cpu.VM | Cpu.IF | 2);
        cpu.setCpl(3);
        Segments.load(cpu, Cpu.ES, 0x1111);
        Segments.load(cpu, Cpu.DS, 0x2222);
        Segments.load(cpu, Cpu.FS, 0x3333);
        Segments.load(cpu, Cpu.GS, 0x4444);
        Segments.load(cpu, Cpu.SS, 0x5555);
        Segments.loadRealCs(cpu, 0x6666);
        cpu.regs[Cpu.ESP] = 0xFFF0;
        cpu.eip = 0x0123;
        handler(0x0D, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        Interrupts.deliver(cpu, 0x0D, Interrupts.EXCEPTION, 0);
        assertThat(cpu.v86Mode()).isFalse();
        assertThat(cpu.cpl()).isZero();
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x8000 - 40);
        int[] expected = {0, 0x0123, 0x6666, Cpu.VM | Cpu.IF | 2, 0xFFF0, 0x5555, 0x1111, 0x2222, 0x3333, 0x4444};
        for (int i = 0; i < expected.length; i++) {
            assertThat(t.read32(0x8000 - 40 + 4 * i)).as("slot %d", i).isEqualTo(expected[i]);
        }
        assertThat(cpu.segSel[Cpu.DS]).isZero();
        assertThat(cpu.segSel[Cpu.GS]).isZero();
        assertThat(cpu.segAr[Cpu.ES]).isZero();
    }

    @Test
    void softwareIntInV86WithIoplBelow3_isGp0() {
        t.protectedMode();
        cpu.setEflags(Cpu.VM | 2);
        cpu.setCpl(3);
        handler(0x21, Descriptor.INTERRUPT_GATE32, 3, 0x6000);
        assertFault(() -> Interrupts.deliver(cpu, 0x21, Interrupts.SOFTWARE, -1), Vectors.GP, 0);
    }

    @Test
    void interruptThenIret_returnsToRing3() {
        userMode();
        handler(0x80, Descriptor.INTERRUPT_GATE32, 3, 0x6000);
        Interrupts.deliver(cpu, 0x80, Interrupts.SOFTWARE, -1);
        FarTransfers.iret(cpu, true);
        assertThat(cpu.cpl()).isEqualTo(3);
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(0x1B);
        assertThat(cpu.segSel[Cpu.SS]).isEqualTo(0x23);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x7000);
        assertThat(cpu.eip).isEqualTo(0x401000);
        assertThat(cpu.getEflags()).isEqualTo(0x202);
    }

    // ---- double fault and shutdown ----

    private void notPresent(int vector) {
        long g = gate(Descriptor.INTERRUPT_GATE32, 0, SystemTestSupport.CODE0, 0x6000, 0);
        t.setIdt(vector, Descriptor.of(Descriptor.low(g), Descriptor.high(g) & ~0x8000));
    }

    @Test
    void contributoryDuringContributory_becomesDoubleFaultWithCode0() {
        t.protectedMode();
        notPresent(Vectors.NP);
        handler(Vectors.DF, Descriptor.INTERRUPT_GATE32, 0, 0xDF00);
        cpu.eip = 0x3000;
        assertThat(Interrupts.raiseException(cpu, CpuFault.withCode(Vectors.NP, 0x30))).isTrue();
        assertThat(cpu.eip).isEqualTo(0xDF00);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 16);
        assertThat(t.read32(0x9000 - 16)).as("#DF error code").isZero();
        assertThat(t.read32(0x9000 - 12)).isEqualTo(0x3000);
    }

    @Test
    void benignThenContributory_deliversTheSecondSerially() {
        t.protectedMode();
        notPresent(Vectors.UD);
        handler(Vectors.NP, Descriptor.INTERRUPT_GATE32, 0, 0x0B00);
        assertThat(Interrupts.raiseException(cpu, CpuFault.ud())).isTrue();
        assertThat(cpu.eip).isEqualTo(0x0B00);
        assertThat(t.read32(0x9000 - 16)).as("#NP(IDT index, IDT bit, EXT)").isEqualTo(Vectors.UD * 8 + 3);
    }

    @Test
    void pageFaultDuringPageFault_isDoubleFault_andSetsCr2() {
        t.protectedMode();
        handler(Vectors.DF, Descriptor.INTERRUPT_GATE32, 0, 0xDF00);
        // The #PF gate points to a code segment that is not present: #NP during #PF -> #DF.
        t.setGdt(6, seg(0, 0xFFFF, 0x1A));
        t.setIdt(Vectors.PF, gate(Descriptor.INTERRUPT_GATE32, 0, 0x30, 0x100, 0));
        assertThat(Interrupts.raiseException(cpu, CpuFault.pageFault(Vectors.PF_W, 0xCAFE000))).isTrue();
        assertThat(cpu.cr2).isEqualTo(0xCAFE000);
        assertThat(cpu.eip).isEqualTo(0xDF00);
    }

    @Test
    void pageFaultThenBenign_isNotEscalated() {
        assertThat(Interrupts.isDoubleFault(Vectors.PF, Vectors.DB)).isFalse();
        assertThat(Interrupts.isDoubleFault(Vectors.PF, Vectors.PF)).isTrue();
        assertThat(Interrupts.isDoubleFault(Vectors.GP, Vectors.PF)).isFalse();
        assertThat(Interrupts.isDoubleFault(Vectors.DE, Vectors.TS)).isTrue();
        assertThat(Interrupts.isDoubleFault(Vectors.NMI, Vectors.GP)).isFalse();
    }

    @Test
    void faultWhileDeliveringDoubleFault_isTripleFault() {
        t.protectedMode();
        notPresent(Vectors.GP);
        notPresent(Vectors.DF);
        assertThat(Interrupts.raiseException(cpu, CpuFault.gp(0))).isFalse();
    }

    @Test
    void exceptionWithoutCodeInFault_stillPushesZeroForGp() {
        t.protectedMode();
        handler(Vectors.GP, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        cpu.eip = 0x1111;
        Interrupts.raiseException(cpu, CpuFault.of(Vectors.GP));
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 16);
        assertThat(t.read32(0x9000 - 16)).isZero();
    }

    @Test
    void exceptionWithoutErrorCode_pushesNone() {
        t.protectedMode();
        handler(Vectors.UD, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        Interrupts.raiseException(cpu, CpuFault.ud());
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000 - 12);
    }

    // ---- segment-load cost ----

    @Test
    void sameLevelGate_chargesOneCsLoad_ring3Gate_chargesCsAndSs_realModeNothing() {
        int price = t.mmu.costModel.segmentLoadCycles;
        long c0 = t.clock.cycles;
        t.mem.write16(0x21 * 4, 0x0100);
        cpu.setSegmentCache(Cpu.SS, 0, 0, 0xFFFF, 0x93);
        cpu.regs[Cpu.ESP] = 0x500;
        Interrupts.deliver(cpu, 0x21, Interrupts.SOFTWARE, -1);
        long c1 = t.clock.cycles;

        t.protectedMode();
        handler(0x40, Descriptor.INTERRUPT_GATE32, 0, 0x6000);
        Interrupts.deliver(cpu, 0x40, Interrupts.SOFTWARE, -1);
        long c2 = t.clock.cycles;

        userMode();
        handler(0x80, Descriptor.INTERRUPT_GATE32, 3, 0x6000);
        Interrupts.deliver(cpu, 0x80, Interrupts.SOFTWARE, -1);
        long c3 = t.clock.cycles;
        assertThat(new long[] {c1 - c0, c2 - c1, c3 - c2}).containsExactly(0, price, 2L * price);
    }
}
