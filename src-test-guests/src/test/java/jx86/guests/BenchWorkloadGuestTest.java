package jx86.guests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The workload guests of {@code jx86 bench --compare} (bench/cpu-bound, the CPU-bound class, and
 * bench/mem-walk, the memory-heavy class) with small iteration counts on their multiboot command
 * line: each prints the checksum that {@link BenchModels} (a host-side re-implementation of the
 * guest's arithmetic) computes, on jx86 and, when installed, on QEMU. Iteration count 0 is the
 * zero-work variant the benchmark subtracts.
 */
class BenchWorkloadGuestTest {
    private static String checksumLine(int value) {
        return String.format(Locale.ROOT, "bench checksum=0x%08x", value);
    }

    private static RunResult jx86(String guest, int iterations) {
        return GuestHarness.run(b -> b.kernel(GuestHarness.guest(guest)).memoryMiB(128)
                .append("iters=" + iterations).maxInstructions(400_000_000L));
    }

    @Test
    void models_giveTheChecksumQemuPrintedForOneIterationAndTheEmptyHashForNone() {
        // cpu-bound with one iteration is the guest as it was before it took a count (BenchGuestTest)
        assertThat(checksumLine(BenchModels.cpuBound(1))).isEqualTo("bench checksum=0xeb98aa2a");
        assertThat(BenchModels.cpuBound(0)).isEqualTo(0x811c9dc5);
        assertThat(BenchModels.memWalk(0)).isEqualTo(0x811c9dc5);
    }

    @ParameterizedTest
    @CsvSource({"bench/cpu-bound.elf, 0", "bench/cpu-bound.elf, 2", "bench/mem-walk.elf, 0", "bench/mem-walk.elf, 1"})
    void guest_printsTheModelsChecksumOnJx86(String guest, int iterations) {
        RunResult r = jx86(guest, iterations);

        int expected = guest.contains("cpu-bound") ? BenchModels.cpuBound(iterations) : BenchModels.memWalk(iterations);
        assertThat(r.event()).as(r.report()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).as(r.serial()).isZero();
        assertThat(GuestHarness.lines(r)).containsSubsequence("info iterations=" + iterations,
                checksumLine(expected), "done");
        assertThat(GuestHarness.lines(r)).noneMatch(l -> l.startsWith("FAIL"));
    }

    @Test
    void iterations_scaleTheWorkAndZeroIsAlmostNothing() {
        // the zero-work variant must be a small part of a run, and each iteration about the same work
        long zero = jx86("bench/mem-walk.elf", 0).instructions();
        long one = jx86("bench/mem-walk.elf", 1).instructions();
        long two = jx86("bench/mem-walk.elf", 2).instructions();
        assertThat(zero).isLessThan((one - zero) / 10);
        assertThat(two - one).isBetween((one - zero) * 99 / 100, (one - zero) * 101 / 100);
    }

    @ParameterizedTest
    @CsvSource({"bench/cpu-bound.elf, 2", "bench/mem-walk.elf, 1"})
    void guest_printsTheSameChecksumOnQemu(String guest, int iterations) throws IOException, InterruptedException {
        Oracles.assumeInstalled("qemu-system-i386");
        Path elf = GuestHarness.guest(guest).toAbsolutePath();
        Process p = new ProcessBuilder(List.of("qemu-system-i386", "-accel", "tcg", "-m", "128", "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", elf.toString(), "-append", "iters=" + iterations))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {   // a hang guard, not a timing assertion
            p.destroyForcibly();
        }
        int expected = guest.contains("cpu-bound") ? BenchModels.cpuBound(iterations) : BenchModels.memWalk(iterations);
        assertThat(out.replace("\r", "").lines()).containsSubsequence("info iterations=" + iterations,
                checksumLine(expected), "done");
        assertThat(p.exitValue()).as("QEMU exit status (guest value 0):%n%s", out).isEqualTo(1);
    }
}
