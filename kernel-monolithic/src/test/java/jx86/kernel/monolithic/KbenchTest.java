package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jx86.cpu.Engine;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * {@code /bin/kbench} (user/kbench.c), the kernel-heavy benchmark that {@code jx86 bench
 * kernel-monolithic:kbench} times, booted from the test disk on jx86. The expected checksum is the
 * one QEMU printed for the same kernel and disk
 * ({@code tools/run-qemu.sh -a "console=ttyS0 init=/bin/kbench"}): QEMU is the independent oracle.
 * On jx86 the perf-counter device exists, so the per-phase lines carry figures; on QEMU they say
 * "counters: unavailable". Neither reaches the checksum.
 */
class KbenchTest {
    /** Printed by QEMU 7.2 (TCG) for this kernel and disk, 2026-11-21. */
    private static final String QEMU_CHECKSUM = "kbench checksum=0x447ed194";

    private static RunResult kbench(Engine engine) {
        return PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 init=/bin/kbench")
                .disk(Path.of("target/disk.img")).snapshot(true)
                .engine(engine)
                .maxInstructions(500_000_000L).build());
    }

    /**
     * System calls, context switches, page faults and CR3 loads at CPL 3 and 0: the runs with the
     * decoded-instruction cache and with the translator are the run of the plain interpreter, to
     * the instruction and cycle (the report lines carry per-phase instruction, cycle and CR3-load
     * counts read from the guest).
     */
    @Test
    void kbench_identicalOnEveryEngine() {
        RunResult decoded = kbench(Engine.INTERP);
        assertThat(decoded.serial()).contains(QEMU_CHECKSUM);
        for (Engine engine : new Engine[] {Engine.CACHE, Engine.JIT}) {
            RunResult r = kbench(engine);
            assertThat(r.serial()).as(engine.cliName()).isEqualTo(decoded.serial());
            assertThat(r.instructions()).as(engine.cliName()).isEqualTo(decoded.instructions());
            assertThat(r.cycles()).as(engine.cliName()).isEqualTo(decoded.cycles());
            assertThat(r.event()).as(engine.cliName()).isEqualTo(decoded.event());
        }
    }

    @Test
    void kbench_printsQemusChecksumReportsCountersAndPowersOff() {
        RunResult r = kbench(Engine.CACHE);

        assertThat(r.serial().lines()).containsSubsequence("kbench: starting", QEMU_CHECKSUM, "reboot: power down");
        assertThat(r.serial()).doesNotContain("FAIL").doesNotContain("unavailable");
        // every phase reports its cost per operation from /proc/jx86/counters and its TLB misses
        // from /proc/jx86/tlb (the kbench table of docs/kernel-microkernel.md)
        for (String phase : new String[] {"getpid", "pipe", "pingpong", "brk", "cow", "fork\\+exit"}) {
            assertThat(r.serial()).containsPattern("(?m)kbench: " + phase + " +\\d+ \\w+ +\\d+ instructions +\\d+ cycles each"
                    + ".*, \\d+ TLB misses \\(\\d+\\.\\d\\d each\\)$");
        }
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
