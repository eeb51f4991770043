package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream out = std.out();
    private final ByteArrayOutputStream err = std.err();

    private String errLines() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_printsUsageAndSucceeds() {
        assertThat(Main.execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: jx86").contains("boot");
    }

    /** The full help lists every subcommand in order, though a named one registers only itself. */
    @Test
    void help_listsEverySubcommandInOrder() {
        assertThat(Main.execute("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        String commands = help.substring(help.indexOf("Commands:"));
        // a command's line is indented by two spaces; its wrapped description by more
        assertThat(commands.lines().filter(l -> l.startsWith("  ") && !l.startsWith("   "))
                .map(l -> l.strip().split("\\s+")[0]).toList())
                .startsWith("boot", "bench", "test", "demo", "help");
    }

    @Test
    void helpSubcommand_andSubcommandHelp_printTheSubcommandsUsage() {
        assertThat(Main.execute("help", "boot")).isZero();
        String viaHelp = out.toString(StandardCharsets.UTF_8);
        assertThat(viaHelp).startsWith("Usage: jx86 boot ");
        out.reset();
        assertThat(Main.execute("boot", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(viaHelp);
    }

    @Test
    void unknownSubcommand_isOneLineAndStatus2() {
        assertThat(Main.execute("frobnicate")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1).first().asString().startsWith("jx86: Unmatched argument")
                .contains("frobnicate");
    }

    @Test
    void version_namesTheProject() {
        assertThat(Main.execute("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("jx86 ");
    }

    @Test
    void unknownOption_isOneLineAndStatus2() {
        assertThat(Main.execute("boot", "--frobnicate")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1).first().asString().startsWith("jx86: Unknown option");
    }

    @Test
    void missingKernel_isOneLineAndStatus2() {
        assertThat(Main.execute("boot", "--kernel", dir.resolve("none.elf").toString(), "--serial", "none")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1).first().asString().contains("none.elf: no such file");
    }

    @Test
    void malformedKernel_isOneLineAndStatus2() throws IOException {
        Path bad = dir.resolve("bad.elf");
        Files.write(bad, new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
        assertThat(Main.execute("boot", "--kernel", bad.toString(), "--serial", "none")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1).first().asString().startsWith("jx86: ").contains("bad.elf");
    }

    @Test
    void unbootableDisk_isOneLineAndStatus2AndLeavesTheImageUntouched() throws IOException {
        Path img = dir.resolve("blank.img");
        byte[] content = new byte[4096];
        content[7] = 42;
        Files.write(img, content);
        assertThat(Main.execute("boot", img.toString(), "--serial", "none")).isEqualTo(2);
        assertThat(errLines()).contains("not bootable");
        assertThat(Files.readAllBytes(img)).isEqualTo(content);
    }

    @Test
    void badMemorySize_isRejected() {
        assertThat(Main.execute("boot", "-m", "1", "--serial", "none")).isEqualTo(2);
        assertThat(errLines()).contains("-m 1");
    }

    @Test
    void textDisplayWithStdioSerial_isRejectedBecauseBothWantTheTerminal() {
        assertThat(Main.execute("boot", "--display", "text")).isEqualTo(2);
        assertThat(errLines()).contains("--display text draws on the terminal");
    }

    @Test
    void badSerialSpec_isRejected() throws IOException {
        Path img = dir.resolve("x.img");
        Files.write(img, new byte[512]);
        assertThat(Main.execute("boot", img.toString(), "--serial", "carrier-pigeon")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1);
    }

    @Test
    void exitOnEofWithoutStdioSerial_isRejectedBecauseItWatchesStandardInput() {
        assertThat(Main.execute("boot", "--exit-on-eof", "--serial", "none")).isEqualTo(2);
        assertThat(errLines().lines()).hasSize(1).first().asString()
                .isEqualTo("jx86: --exit-on-eof watches standard input: it needs --serial stdio");
    }
}
