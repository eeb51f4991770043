package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * The demo pair (user/ping.c as root task, user/pong.c as a second boot task): they find each
 * other through the KIP, exchange messages, and ping prints the IPC figures read from jx86's
 * performance counters. The figures themselves are reports, never asserted; their shape is.
 */
class DemoTest {
    @Test
    void pingPong_exchangeMessagesAndReportIpcFigures() {
        RunResult r = Mk.boot(100_000_000L, "ping", "pong");

        assertThat(r.serial().lines()).containsSubsequence(
                "ping: hello, I am 44001; pong is 48001",
                "pong: message 0 from 44001: label 40, 1 words, MR1 0",
                "ping: reply 0: label 41, MR1 1",
                "ping: reply 1: label 42, MR1 101",
                "ping: reply 2: label 43, MR1 201",
                "ping: done");
        for (String what : new String[] {"other space, 2 words, fast path", "same space, 2 words, fast path",
            "other space, 2 words, general path", "same space, 2 words, general path", "other space, 8 words \\(UTCB\\)"}) {
            assertThat(r.serial()).containsPattern(
                    "ping: " + what + " +\\d+ instructions +\\d+ cycles +\\d+\\.\\d TLB misses per round trip");
        }
        assertThat(r.serial()).containsPattern("ping: null system call +\\d+ instructions +\\d+ cycles per call");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }

    @Test
    void kernelPanic_printsReasonRegistersAndBacktraceThenExits1() {
        // a root task that is not an ELF file: the kernel refuses it with a panic
        RunResult r = Mk.boot(10_000_000L, "../notelf");

        assertThat(r.serial()).contains("panic: boot module 1 (target/user/../notelf) is not an i386 ELF executable");
        assertThat(r.serial()).contains("cr0 ", "backtrace (addr2line -e kernel.elf):");
        assertThat(r.exitPortValue()).isEqualTo(1);
    }

    @Test
    void kernelPageFault_panicsWithTrapRegistersAndCr2() {
        RunResult r = jx86.machine.PcMachine.run(jx86.machine.MachineConfig.builder().kernel(Mk.KERNEL)
                .append("crashtest").module(Mk.USER.resolve("sigma0")).module(Mk.USER.resolve("hello"))
                .maxInstructions(10_000_000L).build());

        assertThat(r.serial()).contains("panic: page fault (trap 14, err 2) at eip c0", "cr2 00001000",
                "<- faulting instruction", "backtrace (addr2line -e kernel.elf):");
        assertThat(r.serial()).doesNotContain("mk: task 0");
        assertThat(r.exitPortValue()).isEqualTo(1);
    }
}
