package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import jx86.harness.Harness;
import jx86.harness.HarnessResult;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --screenshot that passed the start-up check but cannot be written when the run ends (its
 * folder was removed while the guest ran): the failure is one line on stderr, and the end of the
 * run still happens -- the disks are flushed and closed, so what the guest wrote before powering
 * off is in the image (docs/reliability.md). The run is driven step by step with the harness so
 * that the folder goes away at a known point: at the shell's prompt.
 */
class ScreenshotFailureTest {
    private static final String PROMPT = "/$ ";

    @TempDir
    Path tmp;

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream err = std.err();

    private static MachineConfig.Builder machine(Path disk) {
        return MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append("console=ttyS0 panic=exit init=/bin/sh").disk(disk);
    }

    @Test
    void screenshotFolderRemovedDuringTheRun_isOneLineOnStderr_andTheDiskStillHasTheGuestsWrites() throws Exception {
        Path img = tmp.resolve("disk.img");
        Files.copy(Path.of("target/disk.img"), img, StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectory(tmp.resolve("shots"));
        Path shot = shots.resolve("screen.png");

        HarnessResult end;
        try (Harness h = Harness.boot(machine(img).screenshot(shot).build())) {
            h.timeLimit(Duration.ofSeconds(30));
            assertThat(h.runUntilPrompt(PROMPT, Duration.ofSeconds(10)).matched()).as("first prompt").isTrue();
            Files.delete(shots);                 // after the start-up check, before the end of the run
            h.send("echo written before the end > /kept; poweroff\r");
            end = h.runToEnd();
        }
        assertThat(end.event()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(end.exitValue()).isZero();
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(stderr.lines()).as(stderr).hasSize(1).first().asString()
                .startsWith("jx86: --screenshot " + shot + ": cannot write");
        assertThat(shots).doesNotExist();

        RunResult next = PcMachine.run(machine(img).serialInput("cat /kept\rpoweroff\r")
                .maxInstructions(2_000_000_000L).build());
        assertThat(next.serial()).contains("written before the end").contains("reboot: power down");
    }
}
