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
    void qemuCommand_passesTheCommandLineAndTheDiskInSnapshotMode() {
        BenchSpec kb = new BenchSpec("kernel-monolithic:kbench", Path.of("k.elf"), "console=ttyS0 init=/bin/kbench",
                Path.of("d.img"), null, null);
        assertThat(new BenchCommand().qemuCommand(kb)).containsSubsequence("-kernel", "k.elf", "-append",
                "console=ttyS0 init=/bin/kbench", "-drive", "file=d.img,format=raw,if=ide,index=0,snapshot=on");
        BenchSpec elf = new BenchSpec("e", Path.of("e.elf"), null, null, null, null);
        assertThat(new BenchCommand().qemuCommand(elf)).doesNotContain("-append", "-drive")
                .containsSubsequence("-kernel", "e.elf", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
    }

    @Test
    void guestReport_keepsTheBenchmarksOwnLinesOnly() {
        assertThat(BenchCommand.guestReport("k", "ata: hda\r\nkbench: starting\r\nkbench: getpid 20000 calls 398 x\r\n"
                + "kbench checksum=0x1\r\nreboot: power down\r\n"))
                .containsExactly("k: kbench: getpid 20000 calls 398 x");
    }
}
