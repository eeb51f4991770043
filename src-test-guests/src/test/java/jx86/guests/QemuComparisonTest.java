package jx86.guests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.machine.MachineEvent;
import jx86.machine.RunResult;
import jx86.testsupport.Oracles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Boots the same guest on qemu-system-i386 (when installed; skipped otherwise) and on jx86 and compares
 * their COM1 output byte for byte. SeaBIOS writes nothing to COM1, so the whole output is the guest's.
 * Only guests whose output is fully architectural are listed: exceptions.elf prints QEMU-specific
 * "info" lines (TCG skips data-segment checks) and tlb.elf's stale reads differ by design.
 */
class QemuComparisonTest {
    private static final long QEMU_TIMEOUT_SECONDS = 60;

    private static boolean qemuAvailable() {
        try {
            Process p = new ProcessBuilder("qemu-system-i386", "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** QEMU's isa-debug-exit makes the process exit with (value << 1) | 1. */
    private record QemuRun(String serial, int exitCode) {
    }

    private static QemuRun runQemu(Path guest, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("qemu-serial.txt");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-display", "none", "-monitor", "none",
                "-serial", "stdio", "-no-reboot", "-m", "128",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"));
        if (guest.toString().endsWith(".img")) {
            cmd.addAll(List.of("-drive", "file=" + guest.toAbsolutePath() + ",format=raw,if=ide,index=0,snapshot=on"));
        } else {
            cmd.addAll(List.of("-kernel", guest.toAbsolutePath().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(QEMU_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new AssertionError("qemu-system-i386 did not finish " + guest);
        }
        return new QemuRun(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1), p.exitValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu/realmode-to-pm.img", "machine/bootsector-int13.img", "cpu/rings.elf",
        "cpu/segments.elf", "cpu/callgate.elf", "cpu/iobitmap.elf", "cpu/taskgate-df.elf", "mmu/pf-cr2.elf", "mmu/ad-bits.elf",
        "mmu/pse.elf", "mmu/straddle.elf", "machine/apic-nmi.elf"})
    void guest_serialOutputIsIdenticalToQemu(String relative, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Oracles.assume(qemuAvailable(), "qemu-system-i386 not installed (or it does not run)");
        Path guest = GuestHarness.guest(relative);
        QemuRun qemu = runQemu(guest, dir);
        assertThat(qemu.exitCode()).as("QEMU exit code (guest value 0):%n%s", qemu.serial()).isEqualTo(1);

        RunResult jx86 = relative.endsWith(".img")
                ? GuestHarness.run(b -> b.disk(copy(guest, dir)))
                : GuestHarness.run(b -> b.kernel(guest));
        assertThat(jx86.event()).as(jx86.report()).isEqualTo(MachineEvent.EXIT_PORT);
        assertThat(jx86.serial()).isEqualTo(qemu.serial());
        assertThat(jx86.exitPortValue()).isZero();
    }

    private static Path copy(Path image, Path dir) {
        try {
            Path c = dir.resolve("jx86-" + image.getFileName());
            Files.copy(image, c);
            return c;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
