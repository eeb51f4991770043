package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused before anything runs, with one line and status 2. No output path may clobber an input image, a device or a directory: every file a run writes is
 * checked before the guest starts (one line, status 2) and replaced files appear whole or not at all.
 */
class BootInputCheckTest {
    /** A boot sector that writes 0 to the exit port and halts: mov al,0; out 0xf4,al; hlt. */
    private static final byte[] EXIT_SECTOR = bootSector(new byte[] {(byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4});

    @TempDir
    Path dir;
    private Path image;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void setUp() throws IOException {
        oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        image = dir.resolve("disk.img");
        Files.write(image, EXIT_SECTOR);
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
    }

    private static byte[] bootSector(byte[] code) {
        byte[] s = new byte[512 * 8];
        System.arraycopy(code, 0, s, 0, code.length);
        s[510] = 0x55;
        s[511] = (byte) 0xAA;
        return s;
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertRefused(String expected, String... args) throws IOException {
        err.reset();
        assertThat(Main.execute(args)).isEqualTo(2);
        assertThat(errText().lines()).hasSize(1).first().asString().startsWith("jx86: ").contains(expected);
        assertThat(Files.readAllBytes(image)).isEqualTo(EXIT_SECTOR);
    }

    @Test
    void screenshotOntoTheDiskImage_isRefusedAndTheImageIsUntouched() throws IOException {
        assertRefused("is an input of this run", "boot", image.toString(), "--serial", "none", "--screenshot", image.toString());
        assertRefused("is an input of this run",
                "boot", image.toString(), "--snapshot", "--serial", "none", "--screenshot", image.toString());
    }

    @Test
    void serialLogOntoTheDiskImage_isRefused() throws IOException {
        assertRefused("is an input of this run", "boot", image.toString(), "--serial", "file:" + image);
    }

    @Test
    void screenshotOntoADirectory_isRefusedAndTheDirectoryStays() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("shots"));
        Files.writeString(sub.resolve("keep.txt"), "x");
        assertRefused("is a directory", "boot", image.toString(), "--serial", "none", "--screenshot", sub.toString());
        assertThat(sub.resolve("keep.txt")).hasContent("x");
    }

    @Test
    void screenshotOntoADevice_isRefused() throws IOException {
        Path devNull = Path.of("/dev/null");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devNull), "no /dev/null on this host");
        assertRefused("not a regular file", "boot", image.toString(), "--serial", "none", "--screenshot", devNull.toString());
        assertThat(Files.isRegularFile(devNull)).isFalse();
    }

    @Test
    void screenshotInAMissingDirectory_isRefusedAndNothingIsCreated() throws IOException {
        Path missing = dir.resolve("no/such/dir/shot.png");
        assertRefused("does not exist", "boot", image.toString(), "--serial", "none", "--screenshot", missing.toString());
        assertThat(dir.resolve("no")).doesNotExist();
    }

    @Test
    void screenshotOntoAnOldFile_replacesItWholeAndLeavesNoTemporaryFile() throws IOException {
        Path shot = dir.resolve("shot.png");
        Files.writeString(shot, "old");
        Files.setPosixFilePermissions(shot, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Main.execute("boot", image.toString(), "--serial", "none", "--screenshot", shot.toString())).isZero();
        byte[] png = Files.readAllBytes(shot);
        if (shot.getFileSystem().supportedFileAttributeViews().contains("posix")) {   // as the file it replaced
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shot)))
                    .isEqualTo("rw-r--r--");
        }
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("disk.img", "shot.png");
        }
    }

    // values outside their documented ranges are refused the same way (issue: "-5 runs unlimited")

    @Test
    void negativeInstructionLimit_isRefused() throws IOException {
        assertRefused("--max-instructions -5", "boot", image.toString(), "--serial", "none", "--max-instructions", "-5");
    }

    @Test
    void negativeTimeout_isRefused() throws IOException {
        assertRefused("--timeout -3", "boot", image.toString(), "--serial", "none", "--timeout", "-3");
    }

    @Test
    void initrdWithoutKernel_isRefused() throws IOException {
        assertRefused("-initrd needs -kernel", "boot", image.toString(), "--serial", "none", "-initrd", "x");
    }

    @Test
    void memoryAboveWhatOneArrayHolds_isRefusedWithTheRealLimit() throws IOException {
        assertRefused("between 2 and 2047 MiB", "boot", image.toString(), "--serial", "none", "-m", "3000");
    }

    @Test
    void heapTooSmallForTheRam_isOneLineNamingJx86JavaOpts() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "jx86.cli.Main",
                "boot", image.toString(), "--serial", "none", "-m", "512")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out.lines().filter(l -> !l.isBlank())).hasSize(1).first().asString()
                .startsWith("jx86: -m 512: needs about").contains("JX86_JAVA_OPTS=-Xmx");
    }
}
