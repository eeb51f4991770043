package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.ESP;
import static org.assertj.core.api.Assertions.assertThat;

import jx86.clock.VirtualClock;
import org.junit.jupiter.api.Test;

class CpuTest {
    @Test
    void run_budgetExhausted_countsInstructionsAndCycles() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0xEB, 0xFE); // jmp $
        assertThat(t.cpu.run(100)).isEqualTo(StopReason.BUDGET);
        assertThat(t.cpu.instructions).isEqualTo(100);
        assertThat(t.clock.cycles).isEqualTo(100);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE);
    }

    @Test
    void hlt_withInterruptsDisabled_haltsForever() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0xF4);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(t.cpu.halted()).isTrue();
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 1);
    }

    @Test
    void hlt_withInterruptsEnabled_returnsHalted_andStaysHalted() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0xF4);
        t.cpu.setEflags(Cpu.IF | 2);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED);
        assertThat(t.cpu.instructions).isEqualTo(1);
    }

    @Test
    void requestStop_returnsRequested() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0xEB, 0xFE);
        t.cpu.requestStop();
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.REQUESTED);
        assertThat(t.cpu.instructions).isZero();
    }

    @Test
    void dueTimers_runBetweenInstructions() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0xEB, 0xFE);
        long[] firedAt = {-1};
        VirtualClock.Timer timer = t.clock.newTimer("t", () -> firedAt[0] = t.clock.cycles);
        timer.setDeadline(40);
        t.cpu.run(100);
        assertThat(firedAt[0]).isEqualTo(40);
    }

    @Test
    void pendingIntr_withIfClear_isNotAcknowledged() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0x40, 0x40, 0xF4);
        int[] acks = {0};
        t.cpu.setInterruptController(() -> {
            acks[0]++;
            return 0x20;
        });
        t.cpu.setIntr(true);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(acks[0]).isZero();
        assertThat(t.reg(EAX)).isEqualTo(2);
    }

    @Test
    void getEflags_materializesLazyFlags() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).exec(0x48); // dec eax
        assertThat(t.cpu.getEflags()).isEqualTo(Cpu.SF | Cpu.AF | Cpu.PF | 2);
    }

    @Test
    void setEflags_overridesLazyFlags() {
        CpuTestSupport t = CpuTestSupport.flat32().set(EAX, 0).exec(0x48);
        t.cpu.setEflags(Cpu.CF | 2);
        assertThat(t.cpu.getEflags()).isEqualTo(Cpu.CF | 2);
    }

    @Test
    void fault_rollsBackEipAndEsp_beforeDelivery() {
        // push eax; div ebx (EBX = 0 -> #DE, a fault: the saved EIP is the DIV's, ESP after the push)
        CpuTestSupport t = CpuTestSupport.flat32().handler(0, 0x3000).code(0x50, 0xF7, 0xF3);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED_FOREVER);
        int esp = t.reg(ESP);
        assertThat(esp).isEqualTo(CpuTestSupport.STACK_TOP - 4 - 12);
        assertThat(t.read32(esp)).as("saved EIP").isEqualTo(CpuTestSupport.CODE + 1);
        assertThat(t.read32(esp + 4)).as("saved CS").isEqualTo(0x08);
        assertThat(t.read32(esp + 8)).as("saved EFLAGS").isEqualTo(2);
        assertThat(t.cpu.eip).as("in the #DE handler").isEqualTo(0x3001);
        assertThat(t.cpu.instructions).as("push and the handler's hlt").isEqualTo(2);
    }

    @Test
    void fault_inRealMode_pushesFaultingIp() {
        // push ax; div bx (BX = 0 -> #DE)
        CpuTestSupport t = CpuTestSupport.real().handler(0, 0x3000).code(0x50, 0xF7, 0xF3);
        t.cpu.setEflags(Cpu.IF | 2);
        t.cpu.run(10);
        int sp = t.reg(ESP) & 0xFFFF;
        assertThat(sp).isEqualTo(CpuTestSupport.STACK_TOP - 2 - 6);
        assertThat(t.read16(sp)).as("saved IP").isEqualTo(CpuTestSupport.CODE + 1);
        assertThat(t.read16(sp + 2)).as("saved CS").isZero();
        assertThat(t.read16(sp + 4)).as("saved FLAGS").isEqualTo(Cpu.IF | 2);
        assertThat(t.cpu.getEflags() & Cpu.IF).as("IF cleared by delivery").isZero();
        assertThat(t.cpu.eip).isEqualTo(0x3001);
    }

    @Test
    void reset_restoresPowerOnState() {
        CpuTestSupport t = CpuTestSupport.flat32().exec(0x40);
        t.cpu.reset();
        assertThat(t.cpu.eip).isEqualTo(0xFFF0);
        assertThat(t.cpu.segBase[Cpu.CS]).isEqualTo(0xFFFF_0000);
        assertThat(t.cpu.getEflags()).isEqualTo(2);
        assertThat(t.cpu.protectedMode()).isFalse();
    }

    /** Real mode with an IVT entry for vector 0x20 pointing at a HLT at 0000:3000. */
    private static CpuTestSupport realWithHandler(int[] acks) {
        CpuTestSupport t = CpuTestSupport.real().handler(0x20, 0x3000);
        t.cpu.setInterruptController(() -> {
            acks[0]++;
            return 0x20;
        });
        return t;
    }

    @Test
    void sti_interruptTakenOnlyAfterTheFollowingInstruction() {
        int[] acks = {0};
        CpuTestSupport t = realWithHandler(acks).code(0xFB, 0x40, 0x40, 0x40, 0xF4); // sti; inc ax x3
        t.cpu.setIntr(true);
        assertThat(t.cpu.run(20)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(acks[0]).isEqualTo(1);
        assertThat(t.reg(EAX)).isEqualTo(1);
        int sp = t.reg(ESP) & 0xFFFF;
        assertThat(sp).isEqualTo(CpuTestSupport.STACK_TOP - 6);
        assertThat(t.read16(sp)).as("saved IP: after sti and one inc").isEqualTo(CpuTestSupport.CODE + 2);
        assertThat(t.read16(sp + 4) & Cpu.IF).as("saved FLAGS.IF").isEqualTo(Cpu.IF);
        assertThat(t.cpu.eip).isEqualTo(0x3001);
    }

    @Test
    void intr_wakesHaltedCpu() {
        int[] acks = {0};
        CpuTestSupport t = realWithHandler(acks).code(0xF4);
        t.cpu.setEflags(Cpu.IF | 2);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED);
        t.cpu.setIntr(true);
        assertThat(t.cpu.run(20)).isEqualTo(StopReason.HALTED_FOREVER);
        assertThat(acks[0]).isEqualTo(1);
        int sp = t.reg(ESP) & 0xFFFF;
        assertThat(t.read16(sp)).as("saved IP: after the hlt").isEqualTo(CpuTestSupport.CODE + 1);
        assertThat(t.cpu.eip).isEqualTo(0x3001);
    }

    @Test
    void enterShutdown_duringAnInstruction_stopsRunAfterIt() {
        // inc eax; out 0x80, al (the device enters shutdown); inc eax; jmp $
        CpuTestSupport t = CpuTestSupport.flat32().code(0x40, 0xE6, 0x80, 0x40, 0xEB, 0xFE);
        t.io.register(0x80, 1, "shutdown", 1, new jx86.bus.IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                return 0xFF;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                t.cpu.enterShutdown();
            }
        });
        assertThat(t.cpu.run(100)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(t.cpu.instructions).isEqualTo(2);
        assertThat(t.reg(EAX)).isEqualTo(1);
        assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 3);
    }

    @Test
    void enterShutdown_isStickyUntilReset() {
        CpuTestSupport t = CpuTestSupport.flat32().code(0x40, 0xEB, 0xFE);
        t.cpu.enterShutdown();
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(t.cpu.instructions).as("nothing runs in shutdown").isZero();
        t.cpu.reset();
        assertThat(t.cpu.inShutdown()).isFalse();
        assertThat(t.cpu.run(3)).isEqualTo(StopReason.BUDGET);
    }

    @Test
    void tripleFault_inRunLoop_isSticky() {
        // Flat32 with IDTR limit 0: #UD -> #GP -> #DF -> shutdown.
        CpuTestSupport t = CpuTestSupport.flat32().code(0x0F, 0x0B); // ud2
        t.cpu.idtrLimit = 0;
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.TRIPLE_FAULT);
        assertThat(t.cpu.inShutdown()).isTrue();
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.TRIPLE_FAULT);
    }
}
