package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jx86.testsupport.BootSectors;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A second --serial is COM2 (up to COM4), as QEMU's repeated -serial; bad combinations are refused in one line. */
class SecondSerialTest {
    /** mov al,'A'; mov dx,0x2f8; out dx,al; mov al,'B'; mov dx,0x3f8; out dx,al; mov al,0; out 0xf4,al; hlt */
    private static final byte[] CODE = {(byte) 0xB0, 'A', (byte) 0xBA, (byte) 0xF8, 0x02, (byte) 0xEE,
        (byte) 0xB0, 'B', (byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xEE, (byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4,
        (byte) 0xF4};

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

    @Test
    void eachPortToItsOwnFile() throws IOException {
        Path com1 = dir.resolve("com1.txt"), com2 = dir.resolve("com2.txt");
        assertThat(Main.execute("boot", image.toString(), "--serial", "file:" + com1, "--serial", "file:" + com2))
                .isZero();
        assertThat(Files.readString(com1)).isEqualTo("B");
        assertThat(Files.readString(com2)).isEqualTo("A");
    }

    @Test
    void badCombinationsAreRefused() {
        refused("at most four", "--serial", "none", "--serial", "none", "--serial", "none", "--serial", "none",
                "--serial", "none");
        refused("only one port can be stdio", "--serial", "stdio", "--serial", "stdio");
        refused("expected stdio, file:F, tcp:PORT", "--serial", "none", "--serial", "bogus");
    }

    private void refused(String expected, String... serial) {
        err.reset();
        String[] args = new String[serial.length + 2];
        args[0] = "boot";
        args[1] = image.toString();
        System.arraycopy(serial, 0, args, 2, serial.length);
        assertThat(Main.execute(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1).first().asString()
                .startsWith("jx86: ").contains(expected);
    }
}
