package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jx86.harness.TestGuests;
import jx86.script.JUnitReportTest;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** {@code jx86 test}: statuses 0, 1 and 2, the summary line, --junit and --jobs, on the harness tests' guests. */
class TestCommandTest {
    private static final int DELAY = 100_000;

    @TempDir
    Path dir;
    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out();
    private final ByteArrayOutputStream err = std.err();

    @BeforeEach
    void capture() throws IOException {
        TestGuests.ticker(dir, "ticker.elf", 3, DELAY);
        TestGuests.echo(dir, "echo.elf");
        TestGuests.spinner(dir, "spin.elf");
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path script(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path passing(String name) throws IOException {
        return script(name, "kernel ticker.elf\nmemory 4\nexpect /^boot$/\nexpect /^tick$/\nexpect-exit 7\n");
    }

    private Path failing(String name) throws IOException {
        return script(name, "kernel spin.elf\nmemory 4\nexpect /^spinning$/\nexpect /^never$/ within 3ms\n");
    }

    @Test
    void allScriptsPass_status0_andTheSummaryLine() throws IOException {
        Path a = passing("a.jx86");
        Path b = script("b.jx86", "kernel echo.elf\nmemory 4\nexpect /ready/\nsend-raw \"hi\\nq\"\n"
                + "expect /^hi$/ within 1ms\nexpect-exit 113 within 1ms\n");
        assertThat(Main.execute("test", a.toString(), b.toString())).isZero();
        List<String> lines = stdout().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("PASS a: 3 steps, 0\\.003 s virtual, 300,\\d{3} instructions"));
        assertThat(lines).anyMatch(l -> l.startsWith("PASS b: 4 steps, "));
        assertThat(lines).filteredOn(l -> l.startsWith("ok ")).hasSize(7);
        assertThat(lines).last().isEqualTo("2 passed, 0 failed");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aScriptFails_status1_withWhatWasExpectedAndTheLastLines() throws IOException {
        passing("a.jx86");
        failing("b.jx86");
        assertThat(Main.execute("test", dir.toString())).isEqualTo(TestCommand.EXIT_FAILED);
        List<String> lines = stdout().lines().toList();
        assertThat(lines).containsSubsequence(
                "# a (" + dir.resolve("a.jx86") + ")",
                "# b (" + dir.resolve("b.jx86") + ")",
                "ok 1 expect /^spinning$/ (0.000 s virtual of 10 s)",
                "not ok 2 expect /^never$/ within 3ms (line 4)",
                "#   expected: a console line matching /^never$/ within 3 ms virtual",
                "#   got:      nothing matched before the budget ran out (0.003 s virtual of 3 ms,"
                        + " at 0.003 s virtual since power-on)",
                "#   last console lines:");
        assertThat(lines).anyMatch(l -> l.matches("#     \\[   0\\.0000\\d\\d\\] spinning"));
        assertThat(lines).last().isEqualTo("1 passed, 1 failed");
    }

    @Test
    void malformedScripts_status2_fileLineMessages_andNothingRuns() throws IOException {
        passing("a.jx86");
        Path bad = script("b.jx86", "kernel ticker.elf\nexpect /^boot$/\nsnapshot booted\n");
        Path worse = script("c.jx86", "kernel ticker.elf\nexpect /unclosed\n");
        assertThat(Main.execute("test", dir.toString())).isEqualTo(2);
        assertThat(stderr().lines().toList()).containsExactly(
                bad + ":3: snapshot is not supported by this machine yet (jx86 has no machine snapshots;"
                        + " use 'reboot' to start again on the same disks)",
                worse + ":2: unterminated regex: a closing / is missing");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void memoryTheHeapCannotHold_isBadInputWithTheJx86JavaOptsHint() throws Exception {
        Path big = script("big.jx86", "kernel ticker.elf\nmemory 512\nexpect-exit 7\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "jx86.cli.Main", "test", big.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isEqualTo(2);
        assertThat(output.lines().toList()).as(output).hasSize(1).first().asString()
                .startsWith(big + ":1: memory 512: needs about 610 MiB of Java heap but the JVM has ")
                .endsWith("; raise it, e.g. JX86_JAVA_OPTS=-Xmx1g");
    }

    @Test
    void machinesThatCannotBeFound_orBooted_areBadInput() throws IOException {
        Path noImage = script("a.jx86", "machine nosuchimage\nexpect /x/\n");
        Path noKernel = script("b.jx86", "# c\nkernel missing/k.elf\nexpect /x/\n");
        Path notElf = script("c.jx86", "kernel c.jx86\nexpect /x/\n");
        Files.write(dir.resolve("disk.img"), new byte[1024]);
        Path moduleNoKernel = script("d.jx86", "machine disk.img\nmodule ticker.elf\nexpect /x/\n");
        Path appendNoKernel = script("e.jx86", "machine disk.img\nappend quiet\nexpect /x/\n");
        assertThat(Main.execute("test", dir.toString())).isEqualTo(2);
        List<String> errors = stderr().lines().toList();
        assertThat(errors).hasSize(5);
        assertThat(errors.get(0)).startsWith(noImage + ":1: image 'nosuchimage' not found");
        assertThat(errors.get(1)).isEqualTo(noKernel + ":2: kernel missing/k.elf: no such file"
                + " (relative paths start at the script's folder)");
        assertThat(errors.get(2)).startsWith(notElf + ":1: ");
        assertThat(errors.get(3)).isEqualTo(moduleNoKernel + ":2: 'module' needs a kernel"
                + " ('kernel ELF', or a machine that is an ELF file)");
        assertThat(errors.get(4)).startsWith(appendNoKernel + ":2: 'append' needs a kernel");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void anElfMachine_bootsAsTheKernel() throws IOException {
        Path s = script("a.jx86", "machine ./ticker.elf\nmemory 4\nexpect-exit 7\n");
        assertThat(Main.execute("test", s.toString())).isZero();
    }

    @Test
    void badArguments_status2_beforeAnythingRuns() throws IOException {
        Path a = passing("a.jx86");
        assertThat(Main.execute("test", dir.resolve("none.jx86").toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: " + dir.resolve("none.jx86") + ": no such file or folder\n");
        err.reset();
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(Main.execute("test", empty.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: " + empty + ": no *.jx86 scripts in this folder\n");
        err.reset();
        assertThat(Main.execute("test", "--jobs", "0", a.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("jx86: --jobs 0: expected 1 to 64\n");
        err.reset();
        assertThat(Main.execute("test", "--junit", dir.resolve("no/such/dir/r.xml").toString(), a.toString()))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("jx86: --junit " + dir.resolve("no/such/dir/r.xml"));
        err.reset();
        assertThat(Main.execute("test", "--junit", a.toString(), a.toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("jx86: --junit " + a);
        assertThat(Main.execute("test")).isEqualTo(2);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void junit_writesAValidReportWithTheCounts() throws Exception {
        passing("a.jx86");
        failing("b.jx86");
        passing("c.jx86");
        Path report = dir.resolve("report.xml");
        assertThat(Main.execute("test", "--junit", report.toString(), dir.toString())).isEqualTo(1);
        Document doc = JUnitReportTest.validated(Files.readString(report));
        var suite = (org.w3c.dom.Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(3);
        var failure = (org.w3c.dom.Element) doc.getElementsByTagName("failure").item(0);
        assertThat(((org.w3c.dom.Element) failure.getParentNode()).getAttribute("name")).isEqualTo("b");
        assertThat(failure.getTextContent()).contains("expected: a console line matching /^never$/ within 3 ms virtual",
                "] spinning");
    }

    @Test
    void parallelRuns_printTheSameLogAsSerialOnes() throws IOException {
        // different lengths, so the scripts finish in another order than they started
        script("a.jx86", "kernel ticker.elf\nmemory 4\nexpect-exit 7\n");
        failing("b.jx86");
        script("c.jx86", "kernel spin.elf\nmemory 4\nexpect /never/ within 40ms\n");
        passing("d.jx86");
        script("e.jx86", "kernel echo.elf\nmemory 4\nexpect /ready/\nsend-raw \"xq\"\nexpect-exit 113\n");
        assertThat(Main.execute("test", "--show-console", dir.toString())).isEqualTo(1);
        String serial = stdout();
        out.reset();
        assertThat(Main.execute("test", "--show-console", "--jobs", "3", dir.toString())).isEqualTo(1);
        assertThat(stdout()).isEqualTo(serial);
        assertThat(serial.lines().toList()).last().isEqualTo("3 passed, 2 failed");
    }

    @Test
    void help_listsTheTestCommand() {
        assertThat(Main.execute("--help")).isZero();
        assertThat(stdout()).contains("test");
        out.reset();
        assertThat(Main.execute("test", "--help")).isZero();
        assertThat(stdout()).contains("--junit", "--jobs", "Exit status: 0 every script passed, 1 a script failed, 2 bad input.");
    }
}
