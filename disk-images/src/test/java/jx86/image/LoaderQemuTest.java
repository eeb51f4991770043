package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jx86.testsupport.Oracles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots an image built by {@link ImageBuilder} on QEMU (the oracle: SeaBIOS provides INT 13h and
 * E820) and checks, line by line, what the test kernel reports about the Multiboot hand-off.
 * Skipped when qemu-system-i386 is not installed.
 */
class LoaderQemuTest {
    private static final long SAFETY_LIMIT_SECONDS = 120;   // only to reap a hung QEMU; never asserted

    @TempDir
    Path dir;

    @Test
    void loader_bootsTheTestKernelWithCommandLineModulesAndMemoryMap() throws Exception {
        List<String> lines = boot(buildImage(TestImages.testKernel()));
        checkHandOff(lines);
    }

    @Test
    void kernelWithTwoSegmentsAndAGap_eachLoadedAtItsAddressAndModulesAfterTheHighest() throws Exception {
        Path split = TestImages.testKernel().resolveSibling("testkernel-split.elf");
        List<String> lines = boot(buildImage(split));
        checkHandOff(lines);
        assertThat(lines.get(8)).contains("] at 00303000 size");     // data+bss end at 0x302010
    }

    @Test
    void higherHalfKernel_virtualEntryIsTranslatedToItsPhysicalAddress() throws Exception {
        Oracles.assume(HostTools.find("qemu-system-i386").isPresent(), "qemu-system-i386 not installed");
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Files.copy(TestImages.testKernel().resolveSibling("higherhalf.elf"), dir.resolve("hh.elf"));
        Path manifest = TestImages.write(dir, "hh.manifest", "kernel = hh.elf\nsize = 2M\n");
        Path image = dir.resolve("hh.img");
        ImageBuilder.build(ManifestParser.parse(manifest), image);
        // Linked at 0xC0100000 (virtual) and 0x100000 (physical); _start follows the 12-byte header.
        assertThat(boot(image)).containsExactly("jx86-loader: kernel entry 0x0010000c, 0 module(s)", "higher-half: ok");
    }

    @Test
    void loaderWithoutInt13Extensions_bootsTheSameWayThroughChsReads() throws Exception {
        Path image = buildImage(TestImages.testKernel());
        // Swap in the FORCE_CHS build of stage 1 (code bytes only: the partition table stays) and stage 2.
        byte[] mbr = Files.readAllBytes(Path.of("target/loader-chs/mbr.bin"));
        byte[] stage2 = Files.readAllBytes(Path.of("target/loader-chs/stage2.bin"));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.write(mbr, 0, Mbr.CODE_LIMIT);
            f.seek(ImageLayout.SECTOR);
            f.write(stage2);
        }
        List<String> lines = boot(image);
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(0)).isEqualTo("jx86-loader: no INT 13h extensions, using CHS reads");
        checkHandOff(lines.subList(1, lines.size()));
    }

    private Path buildImage(Path kernelFile) throws IOException {
        Oracles.assume(HostTools.find("qemu-system-i386").isPresent(), "qemu-system-i386 not installed");
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");

        byte[] kernel = Files.readAllBytes(kernelFile);
        Files.write(dir.resolve("testkernel.elf"), kernel);   // same /boot name for every variant
        TestImages.write(dir, "hello.txt", "MODULE-A: hello from a boot module\n");
        byte[] pattern = new byte[100_000];          // larger than the loader's 32 KiB bounce buffer
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + 3);
        }
        Files.write(dir.resolve("pattern.bin"), pattern);
        TestImages.write(dir, "tree/etc/motd", "hi\n");
        Path manifest = TestImages.write(dir, "boot.manifest", String.join("\n",
                "kernel = testkernel.elf",
                "module = hello.txt greeting=hi two  words",
                "module = pattern.bin",
                "cmdline = console=ttyS0 root=/dev/hda1 test=\"a b\"",
                "root = tree",
                "size = 8M", ""));
        Path image = dir.resolve("boot.img");
        ImageBuilder.build(ManifestParser.parse(manifest), image);
        return image;
    }

    /** Boots the image on QEMU; returns the serial output's lines. */
    private List<String> boot(Path image) throws Exception {
        Path qemu = HostTools.find("qemu-system-i386").orElseThrow();

        Path serial = dir.resolve("serial.txt");
        Process p = new ProcessBuilder(qemu.toString(), "-drive", "file=" + image + ",format=raw,if=ide",
                "-m", "64", "-display", "none", "-monitor", "none", "-serial", "file:" + serial,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot", "-snapshot")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        if (!p.waitFor(SAFETY_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("QEMU did not exit; serial output:\n" + Files.readString(serial));
        }
        assertThat(p.exitValue()).as("QEMU exit status (0 << 1 | 1)").isEqualTo(1);
        return Files.readString(serial, StandardCharsets.ISO_8859_1).lines().map(String::stripTrailing).toList();
    }

    private void checkHandOff(List<String> lines) {
        Manifest m = ManifestParser.parse(dir.resolve("boot.manifest"));
        TestKernelOutput.assertHandOff(lines, m, null, -1);
        // Spelled out once, independently of TestKernelOutput:
        assertThat(lines.get(6)).isEqualTo("testkernel: cmdline [console=ttyS0 root=/dev/hda1 test=\"a b\"]");
        assertThat(lines.get(8)).startsWith("testkernel: module 0 [/boot/hello.txt greeting=hi two  words] at ")
                .endsWith(" size 35 bytes 4d 4f 44 55 4c 45 2d 41 sum " + hexSum(TestImages.bytes(dir.resolve("hello.txt"))));
        assertThat(lines.get(9)).startsWith("testkernel: module 1 [/boot/pattern.bin] at ")
                .endsWith(" size 100000 bytes 03 0a 11 18 1f 26 2d 34 sum " + hexSum(TestImages.bytes(dir.resolve("pattern.bin"))));
        int memUpper = Integer.parseInt(lines.get(3).substring(lines.get(3).lastIndexOf(' ') + 1));
        assertThat(memUpper).as("QEMU -m 64").isBetween(60 * 1024, 63 * 1024);
    }

    private static String hexSum(byte[] data) {
        int sum = 0;
        for (byte b : data) {
            sum += b & 0xFF;
        }
        return String.format("%08x", sum);
    }
}
