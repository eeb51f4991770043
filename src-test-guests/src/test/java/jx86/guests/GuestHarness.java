package jx86.guests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import jx86.machine.MachineConfig;
import jx86.machine.MachineEvent;
import jx86.machine.PcMachine;
import jx86.machine.RunResult;

/**
 * Finds the guests that {@code make} built (Maven runs it in generate-resources into target/guests)
 * and boots them on jx86. The guests print one line per check ({@code ok <name>}, {@code FAIL <name> ...},
 * {@code info <name>=<value>}) and a final {@code done}, then write 0 (all passed) or 1 to port 0xF4.
 */
final class GuestHarness {
    /** Safety bound for every guest run; the conformance guests need far fewer instructions. */
    static final long MAX_INSTRUCTIONS = 50_000_000L;

    private GuestHarness() {
    }

    /** The guests' output directory: the module's target/guests (surefire's working directory is the module). */
    static Path guestsDir() {
        Path local = Path.of("target", "guests");
        if (Files.isDirectory(local)) {
            return local;
        }
        String root = System.getProperty("jx86.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        return base.resolve("src-test-guests").resolve("target").resolve("guests");
    }

    /** A built guest, e.g. {@code cpu/rings.elf}; fails clearly when make has not run. */
    static Path guest(String relative) {
        Path p = guestsDir().resolve(relative);
        assertThat(p).as("guest %s (build it with: make -C src-test-guests)", relative).isRegularFile();
        return p;
    }

    static RunResult runKernel(String relative) {
        return run(b -> b.kernel(guest(relative)));
    }

    static RunResult run(UnaryOperator<MachineConfig.Builder> setup) {
        MachineConfig.Builder b = MachineConfig.builder().maxInstructions(MAX_INSTRUCTIONS);
        return PcMachine.run(setup.apply(b).build());
    }

    /** The serial output split into lines, carriage returns removed. */
    static List<String> lines(RunResult r) {
        return Arrays.asList(r.serial().replace("\r", "").split("\n"));
    }

    /** Asserts that every named check printed "ok", none printed "FAIL", and the guest exited with 0. */
    static void assertAllOk(RunResult r, String... checks) {
        List<String> lines = lines(r);
        String log = r.serial();
        for (String check : checks) {
            assertThat(lines).as("check %s in output:%n%s", check, log).contains("ok " + check);
        }
        assertThat(lines).as("failed checks in output:%n%s", log).noneMatch(l -> l.startsWith("FAIL"));
        assertThat(lines).as("guest finished:%n%s", log).contains("done");
        assertThat(r.event()).as("run ended by (%s):%n%s", r.report(), log).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(r.exitPortValue()).as("exit value:%n%s", log).isZero();
    }

    /** The value of an {@code info <name>=<value>} line. */
    static String info(RunResult r, String name) {
        Optional<String> line = lines(r).stream().filter(l -> l.startsWith("info " + name + "=")).findFirst();
        assertThat(line).as("info %s in output:%n%s", name, r.serial()).isPresent();
        return line.get().substring(("info " + name + "=").length());
    }

    /** A raw disk image guest copied into a scratch directory (guests may write to their disk). */
    static Path diskCopy(String relative, Path dir) throws java.io.IOException {
        Path copy = dir.resolve(Path.of(relative).getFileName());
        Files.copy(guest(relative), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }
}
