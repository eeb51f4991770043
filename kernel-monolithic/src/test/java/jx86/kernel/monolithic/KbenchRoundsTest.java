package jx86.kernel.monolithic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kbench as the kernel-heavy class of {@code jx86 bench --compare}: {@code kbench=N} on the kernel
 * command line runs N rounds of every phase without the counter reads, and {@code kbench=0} is the
 * zero-work variant. The checksum must be {@link KbenchModel}'s (a host-side re-implementation
 * of what the kernel hands back), on jx86 and, when installed, on QEMU.
 */
class KbenchRoundsTest {
    private static String append(int rounds) {
        return "console=ttyS0 init=/bin/kbench kbench=" + rounds;
    }

    private static String checksumLine(int rounds) {
        return String.format(Locale.ROOT, "kbench checksum=0x%08x", KbenchModel.checksum(rounds));
    }

    @Test
    void model_givesTheChecksumQemuPrintedForOneRound() {
        assertThat(checksumLine(1)).isEqualTo("kbench checksum=0x447ed194");   // KbenchTest's QEMU value
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void rounds_printTheModelsChecksumAndPowerOffOnJx86(int rounds) {
        RunResult r = PcMachine.run(MachineConfig.builder().kernel(Path.of("target/kernel.elf"))
                .append(append(rounds)).disk(Path.of("target/disk.img")).snapshot(true)
                .maxInstructions(500_000_000L).build());

        assertThat(r.event()).as(r.report()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).as(r.serial()).isZero();
        assertThat(r.serial().lines()).containsSubsequence("kbench: starting, " + rounds + " rounds",
                checksumLine(rounds), "reboot: power down");
        // rounds given: no counter report, so every emulator runs the same instructions
        assertThat(r.serial().lines().filter(l -> l.startsWith("kbench:")))
                .containsExactly("kbench: starting, " + rounds + " rounds");
    }

    @Test
    void rounds_printTheSameChecksumOnQemu() throws IOException, InterruptedException {
        Oracles.assumeInstalled("qemu-system-i386");
        Process p = new ProcessBuilder(List.of("qemu-system-i386", "-accel", "tcg", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", "target/kernel.elf", "-append", append(2),
                "-drive", "file=target/disk.img,format=raw,if=ide,index=0,snapshot=on"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        assertThat(out.lines()).containsSubsequence("kbench: starting, 2 rounds", checksumLine(2), "reboot: power down");
        assertThat(p.exitValue()).as("QEMU exit status (guest value 0):%n%s", out).isEqualTo(1);
    }
}
