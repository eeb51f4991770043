package jx86.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jx86.cli.Main;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line: bad options are one line and status 2; kernels not built are reported, not errors. */
class CrashCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out();
    private final ByteArrayOutputStream err = std.err();
    private String oldRoot;

    @BeforeEach
    void capture() {
        oldRoot = System.getProperty("jx86.root");
        System.setProperty("jx86.root", dir.toString());      // an empty checkout: nothing is built
    }

    @AfterEach
    void restore() {
        if (oldRoot == null) {
            System.clearProperty("jx86.root");
        } else {
            System.setProperty("jx86.root", oldRoot);
        }
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badOptions_areOneLineAndStatus2() {
        String[][] cases = {
            {"--kernels", "linux"}, {"--n", "0"}, {"--n", "two"}, {"--seeds", "0"}, {"--duration", "-1"},
            {"--jobs", "0"}, {"--period", "0"}, {"--hang", "0"},
        };
        for (String[] c : cases) {
            err.reset();
            String[] args = new String[c.length + 2];
            args[0] = "demo";
            args[1] = "crash";
            System.arraycopy(c, 0, args, 2, c.length);
            assertThat(Main.execute(args)).as(String.join(" ", c)).isEqualTo(2);
            assertThat(err().lines().count()).as(err()).isEqualTo(1);
            assertThat(err()).startsWith("jx86: ");
        }
    }

    @Test
    void reportOntoADirectory_orOutInAMissingFolder_isOneLineAndStatus2_beforeAnythingRuns() throws IOException {
        Path o = dir.resolve("o");
        Files.createDirectories(o.resolve("crash-demo.json"));   // a report's name taken by a directory
        assertThat(Main.execute("demo", "crash", "--kernels", "microkernel", "--out", o.toString())).isEqualTo(2);
        assertThat(err().lines()).as(err()).hasSize(1).first().asString()
                .startsWith("jx86: --out ").endsWith("crash-demo.json: is a directory");
        assertThat(o.resolve("crash-demo.csv")).doesNotExist();

        err.reset();
        Path missing = dir.resolve("no/such/out");
        assertThat(Main.execute("demo", "crash", "--kernels", "microkernel", "--out", missing.toString())).isEqualTo(2);
        assertThat(err().lines()).as(err()).hasSize(1).first().asString().startsWith("jx86: --out ").contains("does not exist");
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void aKernelNotBuilt_isReportedAndTheCommandGoesOn() {
        int status = Main.execute("demo", "crash", "--kernels", "microkernel,vmm", "--out", dir.resolve("o").toString());
        assertThat(status).isZero();
        assertThat(err()).contains("microkernel: not built (disk-images/target/images/microkernel.img missing)")
                .contains("vmm: not built (vmm/target/vmm.elf missing)");
    }

    @Test
    void theVmmsDefaultSweep_isSmaller_unlessNOrSeedsAreGiven() {
        CrashCommand c = parse();
        List<RunSpec> specs = c.specs(List.of("monolithic", "vmm"), CrashCommand.defaultNs());
        assertThat(specs.stream().filter(r -> r.kernel().equals("monolithic"))).hasSize(17 * 6);
        assertThat(specs.stream().filter(r -> r.kernel().equals("vmm")).map(r -> r.n() + "/" + r.seed()))
                .containsExactly("1/1", "1/2", "16/1", "16/2", "256/1", "256/2", "4096/1", "4096/2");
        c = parse("--n", "8,64", "--seeds", "3");
        assertThat(c.specs(List.of("vmm"), List.of(8, 64))).hasSize(6);
        c = parse("--seeds", "1");
        assertThat(c.specs(List.of("vmm"), CrashCommand.defaultNs())).extracting(RunSpec::n).containsExactly(1, 16, 256, 4096);
        c = parse("--n", "32");
        assertThat(c.specs(List.of("vmm"), List.of(32))).extracting(RunSpec::seed).containsExactly(1, 2);
    }

    private static CrashCommand parse(String... args) {
        CrashCommand c = new CrashCommand();
        new picocli.CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void theMonolithNotBuilt_namesTheMissingImage() {
        assertThat(Main.execute("demo", "crash", "--kernels", "monolithic")).isZero();
        assertThat(err()).contains("monolithic: not built (disk-images/target/images/monolithic.img missing)");
    }
}
