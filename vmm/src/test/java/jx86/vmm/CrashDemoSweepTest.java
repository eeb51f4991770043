package jx86.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.demo.CrashRunner;
import jx86.demo.Outcome;
import jx86.demo.RunRecord;
import jx86.demo.RunSpec;
import jx86.demo.Scenario;
import jx86.demo.Sweep;
import jx86.demo.VmmScenario;
import org.junit.jupiter.api.Test;

/**
 * A small {@code jx86 demo crash} sweep of the hypervisor (vmm.elf with kernel-monolithic's
 * kernel.elf and disk.img for both VMs, as the images are built only later): one word a second
 * leaves VM 0 running and VM 1 finishes; 16384 words a second make VM 0 fail (stopped by the
 * hypervisor, or its canary finds the corruption) while VM 1 finishes with its kernel code
 * unchanged (65536 words, which used to stall both VMs, are BurstStallTest's). Every run is classified, and the sweep run again on two threads gives the same records,
 * to the instruction.
 */
class CrashDemoSweepTest {
    private static final Scenario SCENARIO = VmmScenario.direct(Guest.HYPERVISOR, Guest.KERNEL, Guest.DISK);

    @Test
    void smallSweep_vm0FailsAlone_andTheSameRecordsAgain() {
        CrashRunner runner = new CrashRunner(Path.of("."), 2.0);
        List<RunSpec> specs = Sweep.specs(List.of("vmm"), List.of(1, 16384), 2, 1, 2.0);
        List<RunRecord> first = Sweep.run(runner, specs, k -> SCENARIO, 1, r -> { });
        List<RunRecord> second = Sweep.run(runner, specs, k -> SCENARIO, 2, r -> { });

        first.forEach(r -> System.out.printf("%s: %s (%s) %d instructions%n", r.spec().name(), r.outcome().label(),
                r.reason(), r.instructions()));
        assertThat(first).extracting(RunRecord::spec).isEqualTo(specs);
        for (RunRecord r : first) {
            if (r.spec().n() == 1) {
                assertThat(r.outcome()).as(r.spec().name() + ": " + r.reason()).isEqualTo(Outcome.SURVIVED);
                assertThat(r.bursts()).as(r.spec().name()).isPositive();
            }
            if (r.spec().n() == 16384) {   // (4096 may miss everything in 2 s: seed 1 did, once the kernel grew)
                assertThat(r.outcome()).as(r.spec().name() + ": " + r.reason())
                        .isIn(Outcome.VM_FAILED, Outcome.CORRUPTED);
            }
            // VM 1's console is part of every run's story
            assertThat(r.story()).contains("  VM 1 (COM2), last lines:");
            assertThat(r.story()).anyMatch(l -> l.equals("    reboot: power down"));
        }
        // the same sweep again, on more threads: every record identical but for its wall time
        assertThat(second.stream().map(RunRecord::withoutWallTime).toList())
                .containsExactlyElementsOf(first.stream().map(RunRecord::withoutWallTime).toList());
    }
}
