package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private static RunResult run(MachineEvent event, int value, String serial, long instructions) {
        return new RunResult(event, value, serial, "", instructions, instructions);
    }

    @Test
    void checksumLine_findsTheLastChecksumLine() {
        assertThat(BenchCommand.checksumLine("ok\nbench checksum=0x1\nbench checksum=0xAbC9\ndone\n"))
                .isEqualTo("bench checksum=0xAbC9");
        assertThat(BenchCommand.checksumLine("ok\ndone\n")).isNull();
    }

    @Test
    void median_ofOddAndEvenCounts() {
        assertThat(BenchCommand.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(BenchCommand.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void verify_acceptsMatchingRunsAndReturnsTheChecksum() {
        String c = BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 5), null, -1);
        assertThat(BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 5), c, 5))
                .isEqualTo("bench checksum=0x12");
    }

    @Test
    void verify_rejectsMissingOrDifferentChecksumsAndFailedRuns() {
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "done\n", 5), null, -1))
                .isInstanceOf(UserError.class).hasMessageContaining("no 'bench checksum");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x13\n", 5),
                "bench checksum=0x12", 5)).isInstanceOf(UserError.class).hasMessageContaining("differs");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 0, "bench checksum=0x12\n", 6),
                "bench checksum=0x12", 5)).isInstanceOf(UserError.class).hasMessageContaining("instruction count");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.EXIT_PORT, 3, "bench checksum=0x12\n", 5),
                null, -1)).isInstanceOf(UserError.class).hasMessageContaining("run failed");
        assertThatThrownBy(() -> BenchCommand.verify("b", run(MachineEvent.TRIPLE_FAULT, 0, "bench checksum=0x12\n", 5),
                null, -1)).isInstanceOf(UserError.class);
    }

    @Test
    void checksumLine_takesTheWholeKbenchLine() {
        assertThat(BenchCommand.checksumLine("kbench: total 5\nkbench checksum=0x447ed194\nreboot: power down\n"))
                .isEqualTo("kbench checksum=0x447ed194");
    }

    private static final BenchSpec BOOT = new BenchSpec("boot:x", null, null, Path.of("x.img"), "poweroff\n", "/$ ");

    private static BenchCommand.Run bootRun(MachineEvent event, int value, long prompt) {
        return new BenchCommand.Run(run(event, value, "/$ ", 900), prompt, 0.1, 0.1, 500);
    }

    @Test
    void verifyBoot_needsThePromptTheSameCountEveryRunAndAPowerOff() {
        assertThat(BenchCommand.verify(BOOT, bootRun(MachineEvent.EXIT_PORT, 0, 700), null, -1, -1))
                .isEqualTo("prompt '/$ ' seen");
        assertThat(BenchCommand.verify(BOOT, bootRun(MachineEvent.EXIT_PORT, 0, 700), null, 900, 700))
                .isEqualTo("prompt '/$ ' seen");
        assertThatThrownBy(() -> BenchCommand.verify(BOOT, bootRun(MachineEvent.EXIT_PORT, 0, -1), null, -1, -1))
                .isInstanceOf(UserError.class).hasMessageContaining("never appeared");
        assertThatThrownBy(() -> BenchCommand.verify(BOOT, bootRun(MachineEvent.EXIT_PORT, 0, 701), null, 900, 700))
                .isInstanceOf(UserError.class).hasMessageContaining("differ");
        assertThatThrownBy(() -> BenchCommand.verify(BOOT, bootRun(MachineEvent.INSTRUCTION_LIMIT, 0, 700), null, -1, -1))
                .isInstanceOf(UserError.class).hasMessageContaining("run failed");
    }

    @Test
    void bootNote_reportsInstructionsAndTheFirstRunsTimeAfterJvmStart() {
        BenchCommand.Run cold = new BenchCommand.Run(run(MachineEvent.EXIT_PORT, 0, "", 2_000_000), 942_000, 0.281,
                0.2, 658);
        assertThat(BenchCommand.bootNote("boot:m", 942_000, cold, true, 0.125)).isEqualTo(
                "boot:m: boot to prompt: 942,000 instructions, 658 ms after JVM start (first run in this JVM; "
                        + "281 ms of it from machine construction); warm runs: 125 ms from machine construction (median)");
        assertThat(BenchCommand.bootNote("boot:m", 942_000, cold, false, 0.125)).contains("not available");
    }

    @Test
    void guestReport_keepsTheBenchmarksOwnLinesOnly() {
        assertThat(BenchCommand.guestReport("k", "ata: hda\r\nkbench: starting\r\nkbench: getpid 20000 calls 398 x\r\n"
                + "kbench checksum=0x1\r\nreboot: power down\r\n"))
                .containsExactly("k: kbench: getpid 20000 calls 398 x");
    }

    private static BenchCommand parse(String... args) {
        BenchCommand cmd = new BenchCommand();
        new picocli.CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void compare_defaultsToTheThreeClassesWithTheirFullCounts() {
        assertThat(parse("--compare").compareChoices()).containsExactly(
                new BenchWorkload.Choice(BenchWorkload.CPU_BOUND, 6),
                new BenchWorkload.Choice(BenchWorkload.KERNEL_HEAVY, 8),
                new BenchWorkload.Choice(BenchWorkload.MEMORY_HEAVY, 24));
        assertThat(parse("--compare", "memory-heavy:2", "cpu-bound").compareChoices()).containsExactly(
                new BenchWorkload.Choice(BenchWorkload.MEMORY_HEAVY, 2),
                new BenchWorkload.Choice(BenchWorkload.CPU_BOUND, 6));
    }

    @Test
    void compare_badClassesAndCountsAreUsageErrors() {
        for (String bad : new String[] {"gpu-bound", "cpu-bound:0", "cpu-bound:x", "cpu-bound:", "bench/cpu-bound"}) {
            assertThatThrownBy(() -> BenchWorkload.parse(bad)).isInstanceOf(UserError.class)
                    .hasMessageContaining("--compare");
        }
        assertThat(Main.execute("bench", "--compare", "gpu-bound")).isEqualTo(2);
        assertThat(Main.execute("bench", "--compare", "--runs", "0")).isEqualTo(2);
        assertThat(Main.execute("bench", "--compare", "-m", "512")).isEqualTo(2);
    }

    @Test
    void compare_zeroWorkVariantIsTheSameGuestWithCountZero() {
        Path root = Path.of("/r");
        String cpu = BenchWorkload.CPU_BOUND.manifest(root, 0);
        assertThat(cpu.lines()).contains("kernel = /r/src-test-guests/target/guests/bench/cpu-bound.elf",
                "cmdline = iters=0", "size = 4M");
        assertThat(BenchWorkload.CPU_BOUND.manifest(root, 6).lines()).contains("cmdline = iters=6");
        assertThat(BenchWorkload.MEMORY_HEAVY.manifest(root, 0).lines()).contains(
                "kernel = /r/src-test-guests/target/guests/bench/mem-walk.elf", "cmdline = iters=0");
        String kernel = BenchWorkload.KERNEL_HEAVY.manifest(root, 0);
        assertThat(kernel.lines()).contains("kernel = /r/kernel-monolithic/target/kernel.elf",
                "cmdline = console=ttyS0 init=/bin/kbench kbench=0", "root = /r/kernel-monolithic/target/root");
        assertThat(BenchWorkload.KERNEL_HEAVY.manifest(root, 8).lines())
                .contains("cmdline = console=ttyS0 init=/bin/kbench kbench=8");
        assertThat(BenchWorkload.KERNEL_HEAVY.endLine).isEqualTo("reboot: power down");
        assertThat(BenchWorkload.CPU_BOUND.endLine).isEqualTo("done");
    }

    @Test
    void compare_missingGuestIsAUserErrorBeforeAnythingRuns(@org.junit.jupiter.api.io.TempDir Path root) {
        assertThatThrownBy(() -> BenchWorkload.KERNEL_HEAVY.requireBuilt(root)).isInstanceOf(UserError.class)
                .hasMessageContaining("kernel.elf not found");
    }

    @Test
    void compare_unbuiltGuestIsStatus2BeforeAnythingRuns(@org.junit.jupiter.api.io.TempDir Path root) {
        String saved = System.getProperty("jx86.root");
        System.setProperty("jx86.root", root.toString());
        try {
            assertThat(Main.execute("bench", "--compare", "--runs", "1", "memory-heavy:1")).isEqualTo(2);
        } finally {
            if (saved == null) {
                System.clearProperty("jx86.root");
            } else {
                System.setProperty("jx86.root", saved);
            }
        }
    }

    @Test
    void compare_engineIsPassedToTheJx86Child() {
        Path root = Path.of("/r");
        assertThat(parse("--compare").compareEmulators(root).get(0).label).isEqualTo("jx86 --engine jit"); // the default
        assertThat(parse("--compare", "--engine", "cache").compareEmulators(root).get(0).label)
                .isEqualTo("jx86 --engine cache");
        assertThat(parse("--compare", "--engine", "jit").compareEmulators(root).get(0).label)
                .isEqualTo("jx86 --engine jit");
        assertThat(parse("--compare", "--no-decode-cache").compareEmulators(root).get(0).label)
                .isEqualTo("jx86 --engine interp");
        assertThat(parse("--compare").compareEmulators(root)).extracting(e -> e.name)
                .containsExactly("jx86", "qemu", "bochs");
    }
}
