package jx86.cpu;

import static jx86.cpu.SystemTestSupport.assertFault;
import static jx86.cpu.SystemTestSupport.gate;
import static jx86.cpu.SystemTestSupport.seg;
import static jx86.cpu.SystemTestSupport.system;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.arch.CpuFault;
import jx86.arch.Vectors;
import org.junit.jupiter.api.Test;

class TaskSwitchTest {
    private static final int TSS2 = 0x5000;
    private static final int TSS2_SEL = 0x30;
    private static final int TASK_GATE = 0x38;
    private final SystemTestSupport t = new SystemTestSupport().protectedMode();
    private final Cpu cpu = t.cpu;

    /** A second 32-bit task: ring 0, flat, stack at 0x6F00, entry at 0xD000. */
    private void secondTask(int ds) {
        t.setGdt(6, system(TSS2, 0x67, Descriptor.TSS32_AVAILABLE, 0));
        t.setGdt(7, gate(Descriptor.TASK_GATE, 0, TSS2_SEL, 0, 0));
        t.mem.write32(TSS2 + 0x1C, 0x0012_3000); // CR3
        t.mem.write32(TSS2 + 0x20, 0xD000); // EIP
        t.mem.write32(TSS2 + 0x24, 0x0002 | Cpu.CF); // EFLAGS
        for (int r = 0; r < 8; r++) {
            t.mem.write32(TSS2 + 0x28 + 4 * r, 0x100 + r);
        }
        t.mem.write32(TSS2 + 0x28 + 4 * Cpu.ESP, 0x6F00);
        t.mem.write16(TSS2 + 0x48, SystemTestSupport.DATA0); // ES
        t.mem.write16(TSS2 + 0x4C, SystemTestSupport.CODE0); // CS
        t.mem.write16(TSS2 + 0x50, SystemTestSupport.DATA0); // SS
        t.mem.write16(TSS2 + 0x54, ds); // DS
        t.mem.write16(TSS2 + 0x58, 0); // FS
        t.mem.write16(TSS2 + 0x5C, 0); // GS
        t.mem.write16(TSS2 + 0x60, 0); // LDT
        // The GDT TSS descriptor of the running task is busy (set up by protectedMode()).
        cpu.eip = 0x1234;
        cpu.regs[Cpu.EAX] = 0xAAAA;
        cpu.setEflags(0x202);
    }

    private int typeOf(int selector) {
        return t.mem.read8(SystemTestSupport.GDT + (selector & ~7) + 5) & 0xF;
    }

    @Test
    void doubleFaultThroughTaskGate_runsHandlerOnItsOwnStack() {
        secondTask(SystemTestSupport.DATA0);
        t.setIdt(Vectors.DF, gate(Descriptor.TASK_GATE, 0, TSS2_SEL, 0, 0));
        long np = gate(Descriptor.INTERRUPT_GATE32, 0, SystemTestSupport.CODE0, 0x6000, 0);
        t.setIdt(Vectors.NP, Descriptor.of(Descriptor.low(np), Descriptor.high(np) & ~0x8000));

        assertThat(Interrupts.raiseException(cpu, CpuFault.withCode(Vectors.NP, 0x40))).isTrue();

        assertThat(cpu.trSel).isEqualTo(TSS2_SEL);
        assertThat(cpu.eip).isEqualTo(0xD000);
        assertThat(cpu.regs[Cpu.ESP]).as("error code pushed on the new stack").isEqualTo(0x6F00 - 4);
        assertThat(t.read32(0x6F00 - 4)).isZero();
        assertThat(cpu.regs[Cpu.EBX]).isEqualTo(0x103);
        assertThat(cpu.cr3).isEqualTo(0x0012_3000);
        assertThat(cpu.getEflags() & (Cpu.NT | Cpu.CF)).isEqualTo(Cpu.NT | Cpu.CF);
        assertThat(cpu.cr0 & Cpu.CR0_TS).isNotZero();
        assertThat(t.mem.read16(TSS2)).as("back link").isEqualTo(SystemTestSupport.TSS_SEL);
        assertThat(typeOf(TSS2_SEL)).isEqualTo(Descriptor.TSS32_BUSY);
        assertThat(typeOf(SystemTestSupport.TSS_SEL)).as("old task stays busy").isEqualTo(Descriptor.TSS32_BUSY);
        // The old task's state was saved into its TSS.
        assertThat(t.read32(SystemTestSupport.TSS + 0x20)).isEqualTo(0x1234);
        assertThat(t.read32(SystemTestSupport.TSS + 0x28)).isEqualTo(0xAAAA);
        assertThat(t.read32(SystemTestSupport.TSS + 0x38)).as("saved ESP").isEqualTo(0x9000);
        assertThat(t.mem.read16(SystemTestSupport.TSS + 0x4C)).isEqualTo(SystemTestSupport.CODE0);
    }

    @Test
    void jumpToTss_clearsOldBusy_setsNewBusy_noNesting() {
        secondTask(SystemTestSupport.DATA0);
        FarTransfers.farJump(cpu, TSS2_SEL, 0, true);
        assertThat(cpu.trSel).isEqualTo(TSS2_SEL);
        assertThat(cpu.trBase).isEqualTo(TSS2);
        assertThat(cpu.eip).isEqualTo(0xD000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x6F00);
        assertThat(cpu.getEflags() & Cpu.NT).isZero();
        assertThat(typeOf(SystemTestSupport.TSS_SEL)).isEqualTo(Descriptor.TSS32_AVAILABLE);
        assertThat(typeOf(TSS2_SEL)).isEqualTo(Descriptor.TSS32_BUSY);
        assertThat(t.mem.read16(TSS2)).as("no back link").isZero();
        assertThat(cpu.segSel[Cpu.CS]).isEqualTo(SystemTestSupport.CODE0);
        assertThat(cpu.segAr[Cpu.SS]).isEqualTo(SystemTestSupport.AR_DATA0);
    }

    @Test
    void callThroughTaskGate_thenIret_returnsToCaller() {
        secondTask(SystemTestSupport.DATA0);
        FarTransfers.farCall(cpu, TASK_GATE, 0, true);
        assertThat(cpu.trSel).isEqualTo(TSS2_SEL);
        assertThat(cpu.getEflags() & Cpu.NT).isNotZero();
        cpu.regs[Cpu.EAX] = 0x5555;
        cpu.eip = 0xD010;

        FarTransfers.iret(cpu, true);

        assertThat(cpu.trSel).isEqualTo(SystemTestSupport.TSS_SEL);
        assertThat(cpu.eip).isEqualTo(0x1234);
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0xAAAA);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x9000);
        assertThat(cpu.getEflags()).isEqualTo(0x202);
        assertThat(typeOf(TSS2_SEL)).as("returned-from task no longer busy").isEqualTo(Descriptor.TSS32_AVAILABLE);
        assertThat(t.read32(TSS2 + 0x20)).as("callee state saved").isEqualTo(0xD010);
        assertThat(t.read32(TSS2 + 0x24) & Cpu.NT).as("NT cleared in saved image").isZero();
    }

    @Test
    void jumpToBusyTss_isGp() {
        assertFault(() -> FarTransfers.farJump(cpu, SystemTestSupport.TSS_SEL, 0, true), Vectors.GP, 0x28);
    }

    @Test
    void tssLimitTooSmall_isTs() {
        secondTask(SystemTestSupport.DATA0);
        t.setGdt(6, system(TSS2, 0x66, Descriptor.TSS32_AVAILABLE, 0));
        assertFault(() -> FarTransfers.farJump(cpu, TSS2_SEL, 0, true), Vectors.TS, TSS2_SEL);
        assertThat(cpu.trSel).isEqualTo(SystemTestSupport.TSS_SEL);
    }

    @Test
    void taskGateToNonTss_isGpWithTargetSelector() {
        secondTask(SystemTestSupport.DATA0);
        t.setGdt(7, gate(Descriptor.TASK_GATE, 0, SystemTestSupport.DATA0, 0, 0));
        assertFault(() -> FarTransfers.farJump(cpu, TASK_GATE, 0, true), Vectors.GP, 0x10);
    }

    @Test
    void badDataSegmentInNewTask_faultIsDeliveredInsideTheNewTask() {
        t.setGdt(8, seg(0, 0xFFFF, 0x13)); // not present data at 0x40
        secondTask(0x40);
        t.setIdt(Vectors.NP, gate(Descriptor.INTERRUPT_GATE32, 0, SystemTestSupport.CODE0, 0x0B00, 0));
        FarTransfers.farJump(cpu, TSS2_SEL, 0, true);
        assertThat(cpu.trSel).isEqualTo(TSS2_SEL);
        assertThat(cpu.eip).isEqualTo(0x0B00);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x6F00 - 16);
        assertThat(t.read32(0x6F00 - 16)).isEqualTo(0x40);
        assertThat(t.read32(0x6F00 - 12)).as("new task's EIP").isEqualTo(0xD000);
    }

    @Test
    void invalidLdtInNewTask_isTsWithLdtSelector_deliveredThroughTaskGateInNewTask() {
        secondTask(SystemTestSupport.DATA0);
        t.mem.write16(TSS2 + 0x60, SystemTestSupport.DATA0);
        // #TS handler is a third task (its own CS/SS), since the failed task's segments are unusable.
        int tss3 = 0x5400;
        t.setGdt(11, system(tss3, 0x67, Descriptor.TSS32_AVAILABLE, 0));
        t.mem.write32(tss3 + 0x20, 0xA000);
        t.mem.write32(tss3 + 0x24, 2);
        t.mem.write32(tss3 + 0x28 + 4 * Cpu.ESP, 0x6800);
        t.mem.write16(tss3 + 0x4C, SystemTestSupport.CODE0);
        t.mem.write16(tss3 + 0x50, SystemTestSupport.DATA0);
        t.setIdt(Vectors.TS, gate(Descriptor.TASK_GATE, 0, 0x58, 0, 0));

        FarTransfers.farJump(cpu, TSS2_SEL, 0, true);

        assertThat(cpu.trSel).isEqualTo(0x58);
        assertThat(cpu.eip).isEqualTo(0xA000);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0x6800 - 4);
        assertThat(t.read32(0x6800 - 4)).as("#TS(LDT selector)").isEqualTo(0x10);
        assertThat(t.mem.read16(tss3)).as("back link to the failed task").isEqualTo(TSS2_SEL);
    }

    @Test
    void newTaskLdt_isLoaded() {
        secondTask(SystemTestSupport.DATA0);
        t.setGdt(9, system(0x4000, 0x17, Descriptor.LDT, 0));
        t.mem.write16(TSS2 + 0x60, 0x48);
        FarTransfers.farJump(cpu, TSS2_SEL, 0, true);
        assertThat(cpu.ldtrSel).isEqualTo(0x48);
        assertThat(cpu.ldtrBase).isEqualTo(0x4000);
        assertThat(cpu.ldtrLimit).isEqualTo(0x17);
    }

    @Test
    void sixteenBitTss_switchLoadsWordRegisters() {
        int tss16 = 0x5800;
        t.setGdt(10, system(tss16, 0x2B, Descriptor.TSS16_AVAILABLE, 0));
        t.mem.write16(tss16 + 0x0E, 0x0777); // IP
        t.mem.write16(tss16 + 0x10, 0x0002); // FLAGS
        t.mem.write16(tss16 + 0x12, 0x1234); // AX
        t.mem.write16(tss16 + 0x1A, 0x6000); // SP
        t.mem.write16(tss16 + 0x22, SystemTestSupport.DATA0);
        t.mem.write16(tss16 + 0x24, SystemTestSupport.CODE0);
        t.mem.write16(tss16 + 0x26, SystemTestSupport.DATA0);
        t.mem.write16(tss16 + 0x28, SystemTestSupport.DATA0);
        t.mem.write16(tss16 + 0x14, 0x0C0C); // CX
        for (int r = 0; r < 8; r++) {
            cpu.regs[r] = 0x5A5A_0000 | r;
        }
        cpu.eip = 0x1234_5678;
        FarTransfers.farJump(cpu, 0x50, 0, true);
        assertThat(cpu.eip).as("IP zero-extended").isEqualTo(0x0777);
        assertThat(cpu.getEflags() >>> 16).as("upper EFLAGS word").isZero();
        // Intel leaves the upper words undefined; jx86 defines them as 0xFFFF, like Bochs.
        assertThat(cpu.regs[Cpu.EAX]).isEqualTo(0xFFFF_1234);
        assertThat(cpu.regs[Cpu.ECX]).isEqualTo(0xFFFF_0C0C);
        assertThat(cpu.regs[Cpu.ESP]).isEqualTo(0xFFFF_6000);
        assertThat(cpu.regs[Cpu.EDI]).isEqualTo(0xFFFF_0000);
        assertThat(cpu.trAr & 0xF).isEqualTo(Descriptor.TSS16_BUSY);
    }

    @Test
    void undeliverableFaultInNewTask_entersShutdown_runStopsWithTripleFault() {
        t.setGdt(8, seg(0, 0xFFFF, 0x13)); // not present data at 0x40: #NP(0x40) in the new task
        secondTask(0x40);
        // Empty IDT: #NP -> #GP (no gate) -> #DF -> #GP (no gate) -> shutdown.
        int jmp = 0x11000; // jmp far TSS2_SEL:0
        t.mem.load(jmp, new byte[] {(byte) 0xEA, 0, 0, 0, 0, (byte) TSS2_SEL, 0});
        cpu.eip = jmp;
        assertThat(cpu.run(10)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(cpu.inShutdown()).isTrue();
        assertThat(cpu.trSel).as("the switch committed").isEqualTo(TSS2_SEL);
        assertThat(cpu.instructions).as("the jmp retired").isEqualTo(1);
        assertThat(cpu.run(10)).as("shutdown is sticky").isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(cpu.instructions).isEqualTo(1);
    }

    @Test
    void taskSwitch_chargesEachSegmentRegisterLoad() {
        secondTask(SystemTestSupport.DATA0); // ES, CS, SS, DS loaded; FS, GS null (still loads)
        long before = t.clock.cycles;
        FarTransfers.farJump(cpu, TSS2_SEL, 0, true);
        assertThat(t.clock.cycles - before).isEqualTo(6L * t.mmu.costModel.segmentLoadCycles);
    }
}
