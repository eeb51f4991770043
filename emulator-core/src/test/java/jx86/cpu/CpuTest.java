package jx86.cpu;

import static jx86.cpu.Cpu.EAX;
import static jx86.cpu.Cpu.ESP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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
    void fault_rollsBackEipAndEsp() {
        // push eax; div ebx (EBX = 0 -> #DE)
        CpuTestSupport t = CpuTestSupport.flat32().code(0x50, 0xF7, 0xF3);
        try {
            t.cpu.run(10);
        } catch (UnsupportedOperationException placeholder) {
            // TODO(integrator): the exception-delivery placeholder throws here; once Interrupts lands,
            // replace this test with one that checks the pushed EIP in a #DE handler.
            assertThat(t.cpu.eip).isEqualTo(CpuTestSupport.CODE + 1);
            assertThat(t.reg(ESP)).isEqualTo(CpuTestSupport.STACK_TOP - 4);
            return;
        }
        assumeThat(false).as("exception delivery implemented; covered elsewhere").isTrue();
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
        CpuTestSupport t = CpuTestSupport.real().poke16(0x80, 0x3000).poke16(0x82, 0).poke8(0x3000, 0xF4);
        t.cpu.setInterruptController(() -> {
            acks[0]++;
            return 0x20;
        });
        return t;
    }

    private static void runTolerantOfPlaceholder(CpuTestSupport t) {
        try {
            t.cpu.run(20);
        } catch (UnsupportedOperationException placeholder) {
            // TODO(integrator): remove once Interrupts.deliver lands; the interrupt is taken here.
        }
    }

    @Test
    void sti_interruptTakenOnlyAfterTheFollowingInstruction() {
        int[] acks = {0};
        CpuTestSupport t = realWithHandler(acks).code(0xFB, 0x40, 0x40, 0x40, 0xF4); // sti; inc ax x3
        t.cpu.setIntr(true);
        runTolerantOfPlaceholder(t);
        assertThat(acks[0]).isEqualTo(1);
        assertThat(t.reg(EAX)).isEqualTo(1);
    }

    @Test
    void intr_wakesHaltedCpu() {
        int[] acks = {0};
        CpuTestSupport t = realWithHandler(acks).code(0xF4);
        t.cpu.setEflags(Cpu.IF | 2);
        assertThat(t.cpu.run(10)).isEqualTo(StopReason.HALTED);
        t.cpu.setIntr(true);
        runTolerantOfPlaceholder(t);
        assertThat(acks[0]).isEqualTo(1);
        assertThat(t.cpu.eip).isNotEqualTo(CpuTestSupport.CODE);
    }
}
