package jx86.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jx86.testsupport.BootSectors;
import jx86.testsupport.StdStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is refused before anything runs, with one line and status 2. No output path may clobber an input image, a device or a directory: every file a run writes is
 * checked before the guest starts (one line, status 2) and replaced files appear whole or not at all.
 */
class BootInputCheckTest {
    /** A boot sector that writes 0 to the exit port and halts: mov al,0; out 0xf4,al; hlt. */
    private static final byte[] EXIT_SECTOR = BootSectors.disk(new byte[] {(byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4});

    @TempDir
    Path dir;
    private Path image;
    @RegisterExtension
    final StdStreams std = new StdStreams();
    private final ByteArrayOutputStream err = std.err();

    @BeforeEach
    void setUp() throws IOException {
        image = dir.resolve("disk.img");
        Files.write(image, EXIT_SECTOR);
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
    void executionLog_badItemsRangesAndFiles_areRefused() throws IOException {
        assertRefused("unknown log item 'exec2'", "boot", image.toString(), "--serial", "none", "-d", "exec2");
        assertRefused("bad address range '0x10..q'",
                "boot", image.toString(), "--serial", "none", "-d", "exec", "--dfilter", "0x10..q");
        assertRefused("-D needs -d ITEMS", "boot", image.toString(), "--serial", "none", "-D", dir.resolve("x").toString());
        assertRefused("is an input of this run", "boot", image.toString(), "--serial", "none", "-d", "int", "-D", image.toString());
    }

    @Test
    void executionLog_isWrittenToTheFile() throws IOException {
        Path log = dir.resolve("jx86.log");
        assertThat(Main.execute("boot", image.toString(), "--serial", "none", "-d", "in_asm,cpu_reset",
                "--dfilter", "0x7c00+5", "-D", log.toString())).isZero();
        // the boot sector: mov al,0; out 0xf4,al; hlt -- disassembled as 16-bit code at 0x7c00
        assertThat(Files.readAllLines(log)).contains("CPU Reset (CPU 0)", "IN: ",
                "0x00007c00:  mov    $0x0,%al", "0x00007c02:  out    %al,$0xf4", "0x00007c04:  hlt");
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
    void unknownEngine_andAnEngineContradictingNoDecodeCache_areRefused() throws IOException {
        assertRefused("--engine tcg: expected interp, cache or jit", "boot", image.toString(), "--serial", "none",
                "--engine", "tcg");
        assertRefused("--no-decode-cache and --engine jit contradict", "boot", image.toString(), "--serial", "none",
                "--no-decode-cache", "--engine", "jit");
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
    void memoryAboveThreeGiB_isRefusedWithTheDocumentedRange() throws IOException {
        assertRefused("-m 3073: memory size must be between 2 and 3072 MiB",
                "boot", image.toString(), "--serial", "none", "-m", "3073");
    }

    @Test
    void noMemory_isRefusedWithTheDocumentedRange() throws IOException {
        assertRefused("-m 0: memory size must be between 2 and 3072 MiB", "boot", image.toString(), "--serial", "none", "-m", "0");
    }

    /** jx86 in a child JVM with {@code -Xmx64m}: its one line of output and its exit status. */
    private String runWithSmallHeap(int memoryMiB) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "jx86.cli.Main",
                "boot", image.toString(), "--serial", "none", "-m", Integer.toString(memoryMiB))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out.lines().filter(l -> !l.isBlank())).as(out).hasSize(1);
        return out.strip();
    }

    @Test
    void heapTooSmallForTheRam_isOneLineNamingJx86JavaOpts() throws Exception {
        assertThat(runWithSmallHeap(512)).startsWith("jx86: -m 512: needs about 610 MiB of Java heap but the JVM has ")
                .endsWith("; raise it, e.g. JX86_JAVA_OPTS=-Xmx1g");
    }

    @Test
    void hintedHeap_leavesRoomForTheLaunchersCollectorAtEveryMemorySize() {
        for (int m = 2; m <= 3072; m++) {
            long hinted = BootCommand.hintedHeapGiB(m) << 30;
            assertThat(hinted - BootCommand.heapNeeded(m)).as("-m %d", m).isGreaterThanOrEqualTo(BootCommand.HINT_MARGIN);
        }
    }

    @Test
    void hintedHeap_isAcceptedUnderTheLaunchersCollector() throws Exception {
        // -m 921 needs 1020 MiB; the parallel collector with the launcher's -Xmn64m has 1003 MiB
        // under -Xmx1g, so a hint of 1g would be refused again: the hint must name 2g
        int m = 921;
        assertThat(BootCommand.hintedHeapGiB(m)).isEqualTo(2);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xmn64m", "-Xmx" + BootCommand.hintedHeapGiB(m) + "g",
                "-cp", System.getProperty("java.class.path"), "jx86.cli.Main",
                "boot", image.toString(), "--serial", "none", "-m", Integer.toString(m))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isNotEqualTo(2);
        assertThat(out).contains("guest exited with value 0").doesNotContain("needs about");
    }

    @Test
    void heapTooSmallForThreeGiB_hintsTheSettingDocsMachineMdGives() throws Exception {
        // 3072 MiB of RAM + 12 MiB of code-write tracking + 96 MiB: docs/machine.md says -Xmx4g
        assertThat(runWithSmallHeap(3072)).startsWith("jx86: -m 3072: needs about 3180 MiB of Java heap but the JVM has ")
                .endsWith("; raise it, e.g. JX86_JAVA_OPTS=-Xmx4g");
    }
}
