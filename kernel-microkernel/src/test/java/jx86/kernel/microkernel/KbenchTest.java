package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

/**
 * kernel-monolithic's /bin/kbench (the same file) from the multi-server system's shell: every
 * phase reports its cost per operation -- guest instructions, modelled cycles, CR3 loads and TLB
 * misses -- through the personality's /proc/jx86/counters and /proc/jx86/tlb, which is how the
 * kbench table of docs/kernel-microkernel.md is measured on this side.
 */
class KbenchTest {

    @Test
    void kbench_reportsEveryPhasesCostsThroughThePersonality() {
        RunResult r = PcMachine.run(MachineConfig.builder().disk(MultiServerTest.IMAGE).snapshot(true)
                .serialInput("kbench\rpoweroff\r").maxInstructions(4_000_000_000L).build());
        String serial = r.serial();

        assertThat(serial).doesNotContain("FAIL").doesNotContain("unavailable").doesNotContain("panic");
        for (String phase : new String[] {"getpid", "pipe", "pingpong", "brk", "fork\\+exit"}) {
            assertThat(serial).containsPattern("(?m)^kbench: " + phase + " +\\d+ \\w+ +\\d+ instructions +\\d+ cycles each,"
                    + " \\d+ CR3 loads, \\d+ TLB misses \\(\\d+\\.\\d\\d each\\)$");
        }
        assertThat(serial).containsPattern("(?m)^kbench: cow +3200 faults +\\d+ instructions +\\d+ cycles each"
                + " \\(in the child, incl\\. the write\\), \\d+ TLB misses \\(\\d+\\.\\d\\d each\\)$");
        assertThat(serial).containsPattern("(?m)^kbench checksum=0x[0-9a-f]{8}$");
        assertThat(r.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).isZero();
    }
}
