package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jx86.demo.CrashRunner;
import jx86.demo.MonolithicScenario;
import jx86.demo.Outcome;
import jx86.demo.RunRecord;
import jx86.demo.RunSpec;
import jx86.demo.Scenario;
import jx86.demo.Sweep;
import org.junit.jupiter.api.Test;

/**
 * A small {@code jx86 demo crash} sweep of this kernel (booted from target/kernel.elf with
 * target/disk.img, as the image is built only after this module): one word a second never brings
 * it down within two seconds, 65536 words a second always do, every run is classified, and the
 * sweep run again on two threads gives the same records, to the instruction.
 */
class CrashDemoSweepTest {
    private static final Scenario SCENARIO =
            MonolithicScenario.direct(Path.of("target/kernel.elf"), Path.of("target/disk.img"));

    @Test
    void smallSweep_givesTheDocumentedOutcomes_andTheSameRecordsAgain() {
        CrashRunner runner = new CrashRunner(Path.of("."), 2.0);
        List<RunSpec> specs = Sweep.specs(List.of("monolithic"), List.of(1, 4096, 65536), 2, 1, 2.0);
        List<RunRecord> first = Sweep.run(runner, specs, k -> SCENARIO, 1, r -> { });
        List<RunRecord> second = Sweep.run(runner, specs, k -> SCENARIO, 2, r -> { });

        first.forEach(r -> System.out.printf("%s: %s (%s)%n", r.spec().name(), r.outcome().label(), r.reason()));
        assertThat(first).extracting(RunRecord::spec).isEqualTo(specs);
        for (RunRecord r : first) {
            assertThat(r.outcome()).as(r.spec().name() + ": " + r.reason()).isNotEqualTo(Outcome.UNCLASSIFIED);
            if (r.spec().n() == 1) {
                assertThat(r.outcome()).as(r.spec().name()).isEqualTo(Outcome.SURVIVED);
                assertThat(r.bursts()).isEqualTo(2);
            }
            if (r.spec().n() == 4096 && r.bursts() > 0) {
                // what the first burst hit, read from the kernel's memory and symbols
                assertThat(r.story()).anyMatch(l -> l.matches("  burst 1 hit: \\d+ free, .*"));
            }
            if (r.spec().n() == 65536) {
                assertThat(r.outcome()).as(r.spec().name() + ": " + r.reason())
                        .isIn(Outcome.PANIC, Outcome.TRIPLE_FAULT, Outcome.CORRUPTED, Outcome.HANG);
                assertThat(r.outcomeSeconds()).isLessThan(2.0);
            }
        }
        // the same sweep again, on more threads: every record identical but for its wall time
        assertThat(second.stream().map(RunRecord::withoutWallTime).toList())
                .containsExactlyElementsOf(first.stream().map(RunRecord::withoutWallTime).toList());
    }
}
