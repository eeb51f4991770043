package jx86.kernel.microkernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jx86.demo.CrashInspector;
import jx86.demo.CrashRunner;
import jx86.demo.MicrokernelScenario;
import jx86.demo.Outcome;
import jx86.demo.RunRecord;
import jx86.demo.RunSpec;
import jx86.demo.Scenario;
import jx86.demo.Sweep;
import jx86.harness.ConsoleLine;
import org.junit.jupiter.api.Test;

/**
 * A small {@code jx86 demo crash} sweep of the multi-server system (microkernel.img): canary in
 * the background, then the buggy driver with n = 1 and 4096 (the monolith's canary finds
 * corruption or its kernel dies from about N = 256 on). Whatever N, the driver's first wild write
 * is outside its own pages, so it is the only task that dies: the restart server restarts it, the
 * canary goes on and the shell answers at the end (class R). Run again on two threads, the sweep
 * gives the same records to the instruction. The burst stories are checked against addresses
 * worked out by hand from xorshift32 and buggy's memory map (restart.c: image, a 64 KiB stack
 * below 0xBE000000, the parameter page at 0x3F000000).
 */
class CrashDemoSweepTest {
    private static final Scenario SCENARIO = MicrokernelScenario.direct(MultiServerTest.IMAGE,
            Path.of("target/kernel.elf"), Path.of("target/user/buggy"));
    /** xorshift32 from this seed: the first word goes to 0xbdff11f8 (buggy's stack), the second to 0x5cfe7868. */
    private static final int STACK_SEED = 59449;

    @Test
    void smallSweep_onlyTheBuggyDriverDies_everyTime_andTheSameRecordsAgain() {
        CrashRunner runner = new CrashRunner(Path.of("."), 2.0);
        List<RunSpec> specs = new ArrayList<>(Sweep.specs(List.of("microkernel"), List.of(1, 4096), 2, 1, 3.0));
        specs.add(new RunSpec("microkernel", 4096, STACK_SEED, 1, 3.0));
        List<RunRecord> first = Sweep.run(runner, specs, k -> SCENARIO, 1, r -> { });
        List<RunRecord> second = Sweep.run(runner, specs, k -> SCENARIO, 2, r -> { });

        first.forEach(r -> System.out.printf("%s: %s (%s)%n", r.spec().name(), r.outcome().label(), r.reason()));
        assertThat(first).extracting(RunRecord::spec).isEqualTo(specs);
        for (RunRecord r : first) {
            String name = r.spec().name() + ": " + r.reason();
            assertThat(r.outcome()).as(name).isEqualTo(Outcome.RESTARTED);
            assertThat(r.reason()).as(name).matches("only the buggy driver died \\(\\dx, first: page fault at \\w+ .*")
                    .contains("the canary ran on (canary: ok ").endsWith("and the shell answered");
            assertThat(r.bursts()).as(name).isGreaterThanOrEqualTo(2);
            String firstWord = switch (r.spec().seed()) {
                case 1 -> "00042020";           // xorshift32(1) = 0x00042021
                case 2 -> "00084040";           // xorshift32(2) = 0x00084042
                default -> "5cfe7868";          // the stack seed's second word
            };
            String written = r.spec().seed() == STACK_SEED ? "1 of " : "0 of ";
            assertThat(r.story()).as(name).anyMatch(l -> l.startsWith("  burst 1 hit: ")
                    && l.contains("at virt 0x" + firstWord + ": not mapped in its address space -> page fault")
                    && l.contains("(" + written + r.spec().n() + " words written)"));
            String hex = firstWord.replaceFirst("^0+", "");
            assertThat(r.story()).as(name).anyMatch(l -> l.matches("\\[ *[\\d.]+\\] restart: buggy \\(pid 1100\\) died:"
                    + " page fault at " + hex + " \\(ip 800\\w+\\); restarted as pid 1101"));
            if (r.spec().seed() == STACK_SEED) {
                assertThat(r.story()).as(name).contains("  burst 1 hit: 1 stack, word 2 at virt 0x5cfe7868: not mapped in"
                        + " its address space -> page fault, the restart server refuses it and buggy dies (1 of 4096"
                        + " words written)", "    hit its own stack (virt 0xbdff11f8)");
            }
        }
        // the same sweep again, on more threads: every record identical but for its wall time
        assertThat(second.stream().map(RunRecord::withoutWallTime).toList())
                .containsExactlyElementsOf(first.stream().map(RunRecord::withoutWallTime).toList());
    }

    @Test
    void theBurstStory_namesWhatOfItsOwnMemoryEachWordHit_fromBuggysElf() {
        // seed 262178: the first word goes to 0x80000460, inside buggy's text (the user library's
        // system-call stubs); from then on the driver runs changed code, so the story stops there
        CrashInspector inspector = SCENARIO.inspector(Path.of("."));
        assertThat(inspector).isNotNull();
        inspector.onLine(line("memcorrupt: 3 words every 1 s over its own address space, seed 262178"), null);
        List<String> story = inspector.onLine(line("memcorrupt: burst 1, 3 words, first at virt 0x80000460"), null);
        assertThat(story).hasSize(3);
        assertThat(story.get(1)).matches("  burst 1 hit: 1 text, word 1 changed \\.text \\(l4_\\w+\\+0x\\w+\\): what the"
                + " driver does next is not replayed");
        assertThat(story.get(2)).matches("    hit its own \\.text \\(l4_\\w+\\+0x\\w+\\) \\(virt 0x80000460\\)");
        // the next burst of this driver is not replayed; a restart (its start line) replays again
        assertThat(inspector.onLine(line("memcorrupt: burst 2, 3 words, first at virt 0x12345678"), null))
                .last().asString().contains("not replayed");
        inspector.onLine(line("memcorrupt: 3 words every 1 s over its own address space, seed 488539"), null);
        // seed 488539: word 1 at 0x3f0000bc (the parameter page), word 2 at 0x0d00a1b8 (nothing)
        assertThat(inspector.onLine(line("memcorrupt: burst 1, 3 words, first at virt 0x3f0000bc"), null))
                .contains("  burst 1 hit: 1 parameter page, word 2 at virt 0x0d00a1b8: not mapped in its address space"
                        + " -> page fault, the restart server refuses it and buggy dies (1 of 3 words written)");
        // a first address that the replay does not give: nothing is claimed
        inspector.onLine(line("memcorrupt: 3 words every 1 s over its own address space, seed 1"), null);
        assertThat(inspector.onLine(line("memcorrupt: burst 1, 3 words, first at virt 0x00000010"), null))
                .last().asString().contains("do not match");
    }

    private static ConsoleLine line(String text) {
        return new ConsoleLine(0, text, 0, 0, 0);
    }
}
