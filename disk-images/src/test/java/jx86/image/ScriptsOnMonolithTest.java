package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import jx86.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jx86 test} on the real kernel (kernel-monolithic's kernel.elf and its ext2 test disk,
 * which the reactor builds before this module): a file written before a reboot is read after it,
 * the disk image itself is never written, and a failing step shows the kernel's last lines.
 * The regression scripts in tests/scripts run after packaging (they need monolithic.img); these
 * run in the test phase.
 */
class ScriptsOnMonolithTest {
    private static final Path KERNEL_DIR = Path.of(System.getProperty("jx86.root", ".."), "kernel-monolithic/target")
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    private static Path built(String name) {
        Path p = KERNEL_DIR.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " missing: build kernel-monolithic first (mvn -B verify builds it)");
        }
        return p;
    }

    private Path script(String name, String steps) throws Exception {
        return Files.writeString(dir.resolve(name), "kernel " + built("kernel.elf") + "\nappend console=ttyS0 init=/bin/sh\n"
                + "disk " + built("disk.img") + "\nbudget 2s\n" + steps);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void filesSurviveAReboot_andTheImageIsNeverWritten() throws Exception {
        String before = sha256(built("disk.img"));
        Path s = script("persist.jx86", """
                prompt "/$ "
                send "echo kept across boots > /kept.txt"
                prompt "/$ "
                send "poweroff"
                expect-exit 0
                reboot
                prompt "/$ "
                send "cat /kept.txt"
                expect /^kept across boots$/
                """);
        assertThat(Main.execute("test", s.toString())).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("ok 5 expect-exit 0 ("));
        assertThat(lines).contains("ok 6 reboot (powered on again, same disks)");
        assertThat(lines).anyMatch(l -> l.startsWith("ok 9 expect /^kept across boots$/ ("));
        assertThat(lines).last().isEqualTo("1 passed, 0 failed");
        assertThat(sha256(built("disk.img"))).isEqualTo(before);

        // a new script starts again from the image: the file is not there
        out.reset();
        Path fresh = script("fresh.jx86", "prompt \"/$ \"\nsend \"cat /kept.txt\"\nexpect /^kept across boots$/ within 100ms\n");
        assertThat(Main.execute("test", fresh.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("cat: /kept.txt: ");
    }

    @Test
    void aFailingStep_showsTheBudgetAndTheKernelsLastLines() throws Exception {
        Path s = script("fail.jx86", """
                prompt "/$ "
                send "echo helo"
                expect /^hello$/ within 30ms
                """);
        assertThat(Main.execute("test", s.toString())).isEqualTo(1);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsSubsequence(
                "not ok 3 expect /^hello$/ within 30ms (line 7)",
                "#   expected: a console line matching /^hello$/ within 30 ms virtual",
                "#   last console lines:",
                "#     (unfinished) /$ ");
        assertThat(lines).anyMatch(l -> l.startsWith("FAIL fail: step 3 of 3 failed (line 7), "));
        assertThat(lines).last().isEqualTo("0 passed, 1 failed");
        assertThat(lines).anyMatch(l -> l.matches("#   got:      nothing matched before the budget ran out"
                + " \\(0\\.030 s virtual of 30 ms, at 0\\.\\d{3} s virtual since power-on\\)"));
        assertThat(lines).anyMatch(l -> l.matches("#     \\[   0\\.\\d{6}\\] helo"));
        assertThat(lines).anyMatch(l -> l.matches("#     \\[   0\\.\\d{6}\\] /\\$ echo helo"));
    }
}
