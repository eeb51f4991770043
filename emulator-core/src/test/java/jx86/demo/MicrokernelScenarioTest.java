package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The microkernel scenario's parts that need no image: what it types, how it puts the servers'
 * lines back out of the programs' lines, and that the command knows it. Its classes are in
 * {@link ClassifierTest} (the {@code mk-*} and {@code restarted} transcripts); its runs in
 * kernel-microkernel's CrashDemoSweepTest.
 */
class MicrokernelScenarioTest {
    private final MicrokernelScenario scenario = new MicrokernelScenario();

    @Test
    void typesCanaryAndInsmodOfTheBuggyDriver_thenEchoAtTheEnd() {
        RunSpec spec = new RunSpec("microkernel", 4096, 7, 1, 8);
        assertThat(scenario.startCommands(spec)).containsExactly("canary &\r", "insmod /sbin/buggy n=4096 period=1 seed=7\r");
        assertThat(scenario.aliveCommand()).isEqualTo("echo shell alive\r");
        assertThat(scenario.aliveReply().matcher("shell alive").find()).isTrue();
        assertThat(scenario.aliveReply().matcher("/$ echo shell alive").find()).isFalse();
        assertThat(scenario.artifacts()).containsExactly("disk-images/target/images/microkernel.img",
                "kernel-microkernel/target/kernel.elf", "kernel-microkernel/target/user/buggy");
    }

    @Test
    void isRegistered_andReportedNotBuiltWhereItsImageIsMissing(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThat(Scenarios.of("microkernel")).get().isInstanceOf(MicrokernelScenario.class);
        assertThat(Scenarios.unavailable("microkernel", empty))
                .contains("not built (disk-images/target/images/microkernel.img missing)");
    }

    @Test
    void untangle_putsAServerLineOnItsOwn_andJoinsTheProgramsTextAroundIt() {
        List<String> raw = List.of(
                "shellmemcorrupt: 8 words every 1 s over its own address space, seed 1",
                " alive",
                "/$ memcorrupt: burst 1, 8 words, first at virt 0x00042020",
                "canary: ok 4",
                "canary: CORrestart: buggy (pid 1100) died: page fault at 42020 (ip 80001499); restarted as pid 1101",
                "RUPT /canary.3",
                "restart: buggy (pid 1101) died: page fault at 42020 (ip 80001499); restarted as pid 1102");
        assertThat(MicrokernelScenario.untangle(raw)).containsExactly(
                "memcorrupt: 8 words every 1 s over its own address space, seed 1",
                "shell alive",
                "memcorrupt: burst 1, 8 words, first at virt 0x00042020",
                "canary: ok 4",
                "restart: buggy (pid 1100) died: page fault at 42020 (ip 80001499); restarted as pid 1101",
                "canary: CORRUPT /canary.3",
                "restart: buggy (pid 1101) died: page fault at 42020 (ip 80001499); restarted as pid 1102");
    }

    @Test
    void theDriversStartLine_isFoundBehindAPieceOfAProgramsLine() {
        // the run waits for it on the console's raw lines
        assertThat(scenario.classifier().loaded()
                .matcher("canary: omemcorrupt: 8 words every 1 s over its own address space, seed 1").find()).isTrue();
        assertThat(scenario.classifier().loaded()
                .matcher("memcorrupt: 8 words every 1 s over 32768 KiB of RAM, seed 1").find()).isFalse();
    }

    @Test
    void untangle_keepsAnUnfinishedFragmentAsTheLastLine() {
        assertThat(MicrokernelScenario.untangle(List.of("canary: omemcorrupt: burst 2, 8 words, first at virt 0x1")))
                .containsExactly("memcorrupt: burst 2, 8 words, first at virt 0x1", "canary: o");
    }

    @Test
    void aRunThatNeverLoadedTheDriver_isUnclassified() {
        Classification c = MicrokernelScenario.classify(List.of("/$ canary &", "canary: ok 4"), RunEnd.DURATION);
        assertThat(c.outcome()).isEqualTo(Outcome.UNCLASSIFIED);
        assertThat(c.reason()).isEqualTo("the buggy component never reported that it started");
    }
}
