package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.testsupport.BootSectors;
import jx86.testsupport.StdStreams;
import jx86.host.SerialBackend;
import jx86.host.TcpSerial;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** QEMU's option spellings (issue #22): -hda, -hdb, -serial x4, -M, -nographic, -no-reboot, -append. */
class QemuOptionsTest {
    /**
     * Boot sector: 'A' to COM2, 'B' to COM1, 'C' to COM3, 'D' to COM4 (mov al,c; mov dx,port; out dx,al),
     * then 0 to the exit port and hlt.
     */
    private static final byte[] CODE = {
        (byte) 0xB0, 'A', (byte) 0xBA, (byte) 0xF8, 0x02, (byte) 0xEE,
        (byte) 0xB0, 'B', (byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xEE,
        (byte) 0xB0, 'C', (byte) 0xBA, (byte) 0xE8, 0x03, (byte) 0xEE,
        (byte) 0xB0, 'D', (byte) 0xBA, (byte) 0xE8, 0x02, (byte) 0xEE,
        (byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};

    @TempDir
    Path dir;
    private Path image;
    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream err = std.err();

    @BeforeEach
    void setUp() throws IOException {
        image = BootSectors.write(dir.resolve("disk.img"), CODE);
    }

    private String file(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void hdaIsTheFirstDisk_notHelp_andFourSerialsAreComOneToFour() throws IOException {
        Path[] com = {dir.resolve("c1"), dir.resolve("c2"), dir.resolve("c3"), dir.resolve("c4")};
        assertThat(Main.execute("boot", "-hda", image.toString(), "-serial", "file:" + com[0], "-serial",
                "file:" + com[1], "--serial", "file:" + com[2], "-serial", "file:" + com[3])).isZero();
        assertThat(file(com[0])).isEqualTo("B");
        assertThat(file(com[1])).isEqualTo("A");
        assertThat(file(com[2])).isEqualTo("C");
        assertThat(file(com[3])).isEqualTo("D");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("guest exited with value 0");
    }

    @Test
    void qemuDebugExit_givesStatusOne_forValueZero() {
        assertThat(Main.execute("boot", "-hda", image.toString(), "-serial", "none", "-M", "pc,debug-exit=qemu"))
                .isEqualTo(1);
        assertThat(Main.execute("boot", "-hda", image.toString(), "-serial", "none", "-M", "debug-exit=jx86"))
                .isZero();
    }

    @Test
    void nographicNoRebootAndAppendForADisk_areAccepted() {
        assertThat(Main.execute("boot", "-hda", image.toString(), "-serial", "none", "-nographic", "-no-reboot",
                "-append", "quiet", "-M", "out2-gates-irq=on")).isZero();
    }

    @Test
    void hdbIsTheSecondDisk_andNeedsAFirst() throws IOException {
        Path second = dir.resolve("second.img");
        Files.write(second, new byte[512]);
        assertThat(Main.execute("boot", "-hda", image.toString(), "-hdb", second.toString(), "-serial", "none"))
                .isZero();
        refused("-hdb " + second + ": needs a first disk", "-hdb", second.toString());
    }

    @Test
    void badCombinations_areOneLineAndStatusTwo() {
        refused("-hda " + image + ": the first disk is already", image.toString(), "-hda", image.toString());
        refused("at most four", "-hda", image.toString(), "-serial", "none", "-serial", "none", "-serial", "none",
                "-serial", "none", "-serial", "none");
        refused("only one port can be stdio", "-hda", image.toString(), "-serial", "stdio", "-serial", "stdio");
        refused("unknown machine option", "-hda", image.toString(), "-serial", "none", "-M", "q35");
        refused("expected 'on' or 'off'", "-hda", image.toString(), "-serial", "none", "-M", "out2-gates-irq=maybe");
        refused("expected 'protected' or 'real'", "-hda", image.toString(), "-serial", "none", "-M", "linux-entry=16");
        refused("expected stdio, file:F", "-hda", image.toString(), "-serial", "tcp:example.org:4444,server");
        refused("expected stdio, file:F", "-hda", image.toString(), "-serial", "tcp::4444");
        refused("-nographic and --display text", "-hda", image.toString(), "-serial", "none", "-nographic",
                "--display", "text");
    }

    private void refused(String message, String... args) {
        err.reset();
        String[] all = new String[args.length + 1];
        all[0] = "boot";
        System.arraycopy(args, 0, all, 1, args.length);
        assertThat(Main.execute(all)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())).hasSize(1).first()
                .asString().startsWith("jx86: ").contains(message);
    }

    @Test
    void qemuTcpSpec_listensOnLoopback_nowaitDoesNotBlock() {
        try (SerialBackend s = SerialBackend.parse("tcp::0,server,nowait")) {
            assertThat(s).isInstanceOf(TcpSerial.class);
            assertThat(((TcpSerial) s).port()).isPositive();
        }
        try (SerialBackend s = SerialBackend.parse("tcp:127.0.0.1:0,server=on,wait=off")) {
            assertThat(s).isInstanceOf(TcpSerial.class);
        }
        assertThatThrownBy(() -> SerialBackend.parse("tcp:10.0.0.1:0,server,nowait"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1 only");
        assertThatThrownBy(() -> SerialBackend.parse("tcp::0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add ,server");
    }
}
