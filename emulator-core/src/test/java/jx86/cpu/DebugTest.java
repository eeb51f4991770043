package jx86.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void instructionBreakpoint_matchesEnabledExecuteEntry() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.dr[1] = 0x1234;
        t.cpu.dr[7] = 1 << 2; // L1, R/W1 = 00
        assertThat(Debug.instructionHits(t.cpu, 0x1234)).isEqualTo(2);
        assertThat(Debug.instructionHits(t.cpu, 0x1235)).isZero();
    }

    @Test
    void instructionBreakpoint_disabledOrDataEntry_doesNotMatch() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.dr[0] = 0x1234;
        t.cpu.dr[7] = 0x1 | (1 << 16); // L0 but R/W0 = 01 (write)
        assertThat(Debug.instructionHits(t.cpu, 0x1234)).isZero();
        t.cpu.dr[7] = 0;
        assertThat(Debug.instructionHits(t.cpu, 0x1234)).isZero();
    }

    @Test
    void dataBreakpoint_writeOnly_ignoresReads_andHonoursLength() {
        CpuTestSupport t = CpuTestSupport.flat32();
        t.cpu.dr[2] = 0x2002; // LEN 4 -> aligned to 0x2000..0x2003
        t.cpu.dr[7] = (1 << 4) | (0b1101 << 24); // L2, R/W2 = 01, LEN2 = 11
        Debug.data(t.cpu, 0x2003, 1, false);
        assertThat(t.cpu.dataBreakHits).isZero();
        Debug.data(t.cpu, 0x1FFE, 4, true);
        assertThat(t.cpu.dataBreakHits).isEqualTo(4);
        t.cpu.dataBreakHits = 0;
        Debug.data(t.cpu, 0x2004, 4, true);
        assertThat(t.cpu.dataBreakHits).isZero();
    }

    @Test
    void dataBreakpoint_hitDuringRun_setsDr6AndTrapsAfterTheWrite() {
        CpuTestSupport t = CpuTestSupport.flat32().handler(1, 0x3000)
                .code(0xA3, 0x00, 0x00, 0x02, 0x00, 0xF4); // mov [0x20000], eax
        t.cpu.regs[Cpu.EAX] = 0x1234_5678;
        t.cpu.dr[3] = 0x20000;
        t.cpu.dr[7] = (1 << 6) | (0b0011 << 28); // L3, R/W3 = 11, LEN3 = 1
        assertThat(t.cpu.run(5)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.cpu.dr[6] & 0xF).isEqualTo(8);
        assertThat(t.read32(0x20000)).as("trap: the write completed").isEqualTo(0x1234_5678);
        int esp = t.cpu.regs[Cpu.ESP];
        assertThat(esp).isEqualTo(CpuTestSupport.STACK_TOP - 12);
        assertThat(t.read32(esp)).as("saved EIP: after the mov").isEqualTo(CpuTestSupport.CODE + 5);
        assertThat(t.cpu.eip).as("in the #DB handler").isEqualTo(0x3001);
    }

    @Test
    void trapFlag_trapsAfterOneInstruction_withDr6BsSet() {
        CpuTestSupport t = CpuTestSupport.flat32().handler(1, 0x3000).code(0x40, 0x40, 0xF4);
        t.cpu.setEflags(Cpu.TF | 2);
        assertThat(t.cpu.run(5)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.cpu.dr[6] & 0x4000).isEqualTo(0x4000);
        assertThat(t.cpu.regs[Cpu.EAX]).isEqualTo(1);
        int esp = t.cpu.regs[Cpu.ESP];
        assertThat(t.read32(esp)).as("saved EIP: after the first inc").isEqualTo(CpuTestSupport.CODE + 1);
        assertThat(t.read32(esp + 8) & Cpu.TF).as("saved EFLAGS.TF").isEqualTo(Cpu.TF);
        assertThat(t.cpu.getEflags() & Cpu.TF).as("TF cleared in the handler").isZero();
        assertThat(t.cpu.eip).isEqualTo(0x3001);
    }

    @Test
    void movSs_suppressesSingleStepTrapForOneInstruction() {
        CpuTestSupport t = CpuTestSupport.real().code(0x8E, 0xD0, 0x40, 0xF4); // mov ss, ax; inc ax
        t.mem.poke16(1 * 4, 0x2000);   // IVT[1] = 0000:2000, a HLT
        t.mem.poke16(1 * 4 + 2, 0);
        t.mem.poke8(0x2000, 0xF4);
        t.cpu.setEflags(Cpu.TF | 2);
        t.cpu.run(5);
        assertThat(t.cpu.regs[Cpu.EAX]).as("inc ran before the trap").isEqualTo(1);
        int sp = t.cpu.regs[Cpu.ESP] & 0xFFFF;
        assertThat(sp).isEqualTo(CpuTestSupport.STACK_TOP - 6);
        assertThat(t.mem.read16(sp)).as("saved IP: after inc, not after mov ss").isEqualTo(CpuTestSupport.CODE + 3);
        assertThat(t.cpu.eip).as("in the #DB handler").isEqualTo(0x2001);
    }

    @Test
    void movSs_instructionBreakpointOnNextInstruction_isNotTaken() {
        CpuTestSupport t = CpuTestSupport.real().code(0x8E, 0xD0, 0x40, 0xF4); // mov ss, ax; inc ax; hlt
        t.mem.poke16(1 * 4, 0x2000);
        t.mem.poke16(1 * 4 + 2, 0);
        t.mem.poke8(0x2000, 0xF4);
        t.cpu.dr[0] = CpuTestSupport.CODE + 2; // the inc
        t.cpu.dr[7] = 1; // L0, R/W0 = 00 (execute)
        t.cpu.run(5);
        assertThat(t.cpu.regs[Cpu.EAX]).as("inc ran").isEqualTo(1);
        assertThat(t.cpu.eip).as("halted after inc, no #DB").isEqualTo(CpuTestSupport.CODE + 4);
        assertThat(t.cpu.dr[6] & 0xF).isZero();
    }

    @Test
    void instructionBreakpoint_afterTheShadowedInstruction_isTaken() {
        CpuTestSupport t = CpuTestSupport.real().code(0x8E, 0xD0, 0x40, 0x40, 0xF4); // mov ss, ax; inc ax; inc ax
        t.mem.poke16(1 * 4, 0x2000);
        t.mem.poke16(1 * 4 + 2, 0);
        t.mem.poke8(0x2000, 0xF4);
        t.cpu.dr[0] = CpuTestSupport.CODE + 3; // the second inc
        t.cpu.dr[7] = 1;
        t.cpu.run(5);
        assertThat(t.cpu.regs[Cpu.EAX]).isEqualTo(1);
        assertThat(t.cpu.dr[6] & 0xF).isEqualTo(1);
        assertThat(t.cpu.eip).as("in the #DB handler").isEqualTo(0x2001);
    }

    @Test
    void popSs_dataBreakpointOnItsRead_isReportedAfterTheNextInstruction() {
        CpuTestSupport t = CpuTestSupport.real().code(0x17, 0x40, 0xF4); // pop ss; inc ax; hlt
        t.mem.poke16(1 * 4, 0x2000);
        t.mem.poke16(1 * 4 + 2, 0);
        t.mem.poke8(0x2000, 0xF4);
        t.mem.poke16(CpuTestSupport.STACK_TOP, 0); // SS = 0
        t.cpu.dr[0] = CpuTestSupport.STACK_TOP;
        t.cpu.dr[7] = 1 | (0b0111 << 16); // L0, R/W0 = 11 (read/write), LEN0 = 01 (2 bytes)
        t.cpu.run(5);
        assertThat(t.cpu.regs[Cpu.EAX]).as("inc ran before the #DB").isEqualTo(1);
        assertThat(t.cpu.dr[6] & 0xF).isEqualTo(1);
        int sp = t.cpu.regs[Cpu.ESP] & 0xFFFF;
        assertThat(sp).isEqualTo(CpuTestSupport.STACK_TOP + 2 - 6);
        assertThat(t.mem.read16(sp)).as("saved IP: after inc").isEqualTo(CpuTestSupport.CODE + 2);
        assertThat(t.cpu.eip).as("in the #DB handler").isEqualTo(0x2001);
    }

    @Test
    void popSs_holdsPendingNmiForOneInstruction() {
        CpuTestSupport t = CpuTestSupport.real().code(0x17, 0x40, 0x40, 0xF4); // pop ss; inc ax; inc ax
        t.mem.poke16(2 * 4, 0x2100);
        t.mem.poke16(2 * 4 + 2, 0);
        t.mem.poke8(0x2100, 0xF4);
        t.mem.poke16(CpuTestSupport.STACK_TOP, 0);
        assertThat(t.cpu.run(1)).isEqualTo(StopReason.BUDGET);
        t.cpu.raiseNmi();
        t.cpu.run(5);
        assertThat(t.cpu.regs[Cpu.EAX]).as("one inc ran in the shadow").isEqualTo(1);
        int sp = t.cpu.regs[Cpu.ESP] & 0xFFFF;
        assertThat(t.mem.read16(sp)).as("saved IP: after the first inc").isEqualTo(CpuTestSupport.CODE + 2);
        assertThat(t.cpu.eip).as("in the NMI handler").isEqualTo(0x2101);
    }
}
