package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent(), "mke2fs not installed");
        Files.copy(TestImages.testKernel(), dir.resolve("kernel.elf"));
        TestImages.write(dir, "mod.txt", "MODULE-A payload\n");
        TestImages.write(dir, "tree/etc/motd", "Welcome to jx86\n");
        TestImages.write(dir, "tree/usr/share/doc/readme", "x".repeat(5000));
        out = Files.createDirectory(dir.resolve("out")).resolve("disk.img");   // mkimage creates no directories
    }

    private Manifest manifest(String... extra) throws IOException {
        String text = "kernel = kernel.elf\nmodule = mod.txt a=1\ncmdline = root=/dev/hda1\nroot = tree\nsize = 8M\n"
                + String.join("\n", extra) + "\n";
        return ManifestParser.parse(TestImages.write(dir, "test.manifest", text));
    }

    @Test
    void build_writesMbrWithOneBootableLinuxPartitionAt1MiB() throws IOException {
        ImageBuilder.build(manifest(), out);
        assertThat(Files.size(out)).isEqualTo(8L << 20);
        ByteBuffer mbr = read(out, 0, 512);
        assertThat(mbr.get(510) & 0xFF).isEqualTo(0x55);
        assertThat(mbr.get(511) & 0xFF).isEqualTo(0xAA);
        assertThat(mbr.get(0x1BE) & 0xFF).isEqualTo(0x80);
        assertThat(mbr.get(0x1C2) & 0xFF).isEqualTo(0x83);
        assertThat(mbr.getInt(0x1C6)).isEqualTo(2048);
        assertThat(mbr.getInt(0x1CA)).isEqualTo(16384 - 2048);
        assertThat(mbr.get(0) & 0xFF).isEqualTo(0xFA);    // stage 1 starts with CLI
    }

    @Test
    void build_catalogAndExtentsHoldTheKernelAndModuleBytes() throws IOException {
        ImageBuilder.build(manifest(), out);
        byte[] kernel = Files.readAllBytes(dir.resolve("kernel.elf"));
        ByteBuffer cat = read(out, 60 * 512, 2048);
        assertThat(new String(cat.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("JX86BOOT");
        assertThat(cat.getInt(0x10)).isEqualTo(64);
        assertThat(cat.getInt(0x14)).isEqualTo(kernel.length);
        assertThat(read(out, 64 * 512, kernel.length).array()).isEqualTo(kernel);
        int moduleLba = cat.getInt(0x20);
        assertThat(moduleLba % 8).isZero();
        assertThat(new String(read(out, moduleLba * 512L, 17).array(), StandardCharsets.US_ASCII))
                .isEqualTo("MODULE-A payload\n");
    }

    @Test
    void build_fileSystemIsCleanAndHoldsTheTreeAndBoot() throws IOException {
        assumeTrue(Ext2Check.available(), "e2fsprogs (e2fsck, debugfs) not installed");
        ImageBuilder.build(manifest(), out);
        Ext2Check.assertClean(out);
        assertThat(new String(Ext2Check.readFile(out, "/etc/motd"), StandardCharsets.UTF_8)).isEqualTo("Welcome to jx86\n");
        assertThat(new String(Ext2Check.readFile(out, "/usr/share/doc/readme"), StandardCharsets.UTF_8))
                .isEqualTo("x".repeat(5000));
        assertThat(Ext2Check.readFile(out, "/boot/kernel.elf")).isEqualTo(Files.readAllBytes(dir.resolve("kernel.elf")));
        assertThat(new String(Ext2Check.readFile(out, "/boot/mod.txt"), StandardCharsets.UTF_8))
                .isEqualTo("MODULE-A payload\n");
    }

    @Test
    void build_superblockSaysRevision1WithTheRequestedBlockSize() throws IOException {
        ImageBuilder.build(manifest("block-size = 4096"), out);
        ByteBuffer sb = read(out, (1L << 20) + 1024, 1024);
        assertThat(sb.getShort(56) & 0xFFFF).isEqualTo(0xEF53);   // s_magic
        assertThat(sb.getInt(76)).isEqualTo(1);                    // s_rev_level
        assertThat(1024 << sb.getInt(24)).isEqualTo(4096);         // s_log_block_size
        assertThat(sb.getInt(4)).isEqualTo((7 << 20) / 4096);      // s_blocks_count: the 7 MiB partition
    }

    @Test
    void treeLargerThanTheImage_failsWithOneLineAndLeavesNoFile() throws IOException {
        Files.write(dir.resolve("tree/big.bin"), new byte[9 << 20]);
        Manifest m = manifest();
        assertThatThrownBy(() -> ImageBuilder.build(m, out))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("mkimage: the root tree (at least ")
                .hasMessageContaining("does not fit in the 7168K root partition: raise 'size'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void treeThatOnlyMke2fsFindsTooLarge_failsWithOneLineAndLeavesNoFile() throws IOException {
        // 7 files of 1000 KiB: their blocks (7000K) fit the 7168K partition, but not with ext2 metadata.
        // (Non-zero bytes: mke2fs -d stores all-zero blocks as holes.)
        byte[] data = new byte[1000 * 1024];
        Arrays.fill(data, (byte) 0x5A);
        for (int i = 0; i < 7; i++) {
            Files.write(dir.resolve("tree/f" + i), data);
        }
        Manifest m = manifest();
        assertThatThrownBy(() -> ImageBuilder.build(m, out))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("does not fit in the 7168K root partition: raise 'size' (mke2fs: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void kernelThatIsNotMultiboot_failsWithOneLineAndLeavesNoFile() throws IOException {
        TestImages.write(dir, "test.manifest", "kernel = mod.txt\n");
        Manifest m = ManifestParser.parse(dir.resolve("test.manifest"));
        assertThatThrownBy(() -> ImageBuilder.build(m, out))
                .hasMessage("mkimage: " + dir.resolve("mod.txt") + ": not a 32-bit i386 ELF file");
        assertThat(out.getParent()).isEmptyDirectory();
    }

    @Test
    void hostWithoutMke2fs_failsWithOneLineNamingThePackage() throws IOException {
        Manifest m = manifest();
        assertThatThrownBy(() -> ImageBuilder.build(m, out, Optional.empty()))
                .isInstanceOf(ImageException.class)
                .hasMessage("mkimage: mke2fs not found: install it with 'apt-get install e2fsprogs'");
        assertThat(out.getParent()).isEmptyDirectory();
    }

    @Test
    void failedRebuild_leavesThePreviousImageUntouched() throws IOException {
        ImageBuilder.build(manifest(), out);
        byte[] before = Files.readAllBytes(out);
        Files.write(dir.resolve("tree/big.bin"), new byte[9 << 20]);
        Manifest m = manifest();
        assertThatThrownBy(() -> ImageBuilder.build(m, out)).isInstanceOf(ImageException.class);
        assertThat(Arrays.equals(Files.readAllBytes(out), before)).isTrue();
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("disk.img");
        }
    }

    @Test
    void lockedTarget_isNotReplaced() throws IOException {
        ImageBuilder.build(manifest(), out);
        byte[] before = Files.readAllBytes(out);
        Manifest m = manifest();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            assertThat(lock.isValid()).isTrue();
            assertThatThrownBy(() -> ImageBuilder.build(m, out))
                    .isInstanceOf(ImageException.class)
                    .hasMessage("mkimage: " + out.toAbsolutePath()
                            + " is in use by a running jx86 (locked); stop it or choose another output");
        }
        assertThat(Arrays.equals(Files.readAllBytes(out), before)).isTrue();
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("disk.img");
        }
    }

    @Test
    void lockedCompanionLockFile_isHonouredButAStaleOneIsNot() throws IOException {
        ImageBuilder.build(manifest(), out);
        Path lockFile = out.resolveSibling("disk.img.lock");
        Files.write(lockFile, new byte[0]);
        Manifest m = manifest();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            assertThatThrownBy(() -> ImageBuilder.build(m, out))
                    .hasMessageEndingWith(" is in use by a running jx86 (locked); stop it or choose another output");
        }
        ImageBuilder.build(m, out);     // the lock file is still there, but nobody holds it
        assertThat(out).exists();
    }

    @Test
    void lockedByAnotherProcess_isNotReplaced() throws Exception {
        ImageBuilder.build(manifest(), out);
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot find this JVM's java command");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), out.toString()).redirectErrorStream(true).start();
        try {
            byte[] ready = holder.getInputStream().readNBytes(6);
            assertThat(new String(ready, StandardCharsets.US_ASCII)).isEqualTo("locked");
            Manifest m = manifest();
            assertThatThrownBy(() -> ImageBuilder.build(m, out))
                    .hasMessageEndingWith(" is in use by a running jx86 (locked); stop it or choose another output");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }

    @Test
    void rebuild_replacesAnUnlockedImage() throws IOException {
        ImageBuilder.build(manifest(), out);
        TestImages.write(dir, "test.manifest", "kernel = kernel.elf\nsize = 4M\n");
        ImageBuilder.build(ManifestParser.parse(dir.resolve("test.manifest")), out);
        assertThat(Files.size(out)).isEqualTo(4L << 20);
    }

    @Test
    void noRoot_givesAFileSystemWithOnlyBoot() throws IOException {
        assumeTrue(Ext2Check.available(), "e2fsprogs (e2fsck, debugfs) not installed");
        TestImages.write(dir, "test.manifest", "kernel = kernel.elf\nsize = 4M\n");
        ImageBuilder.build(ManifestParser.parse(dir.resolve("test.manifest")), out);
        Ext2Check.assertClean(out);
        assertThat(Ext2Check.readFile(out, "/boot/kernel.elf")).isEqualTo(Files.readAllBytes(dir.resolve("kernel.elf")));
    }

    @Test
    void rootIsTheManifestDirectory_andTheImageIsBuiltInsideIt() throws IOException {
        assumeTrue(Ext2Check.available(), "e2fsprogs (e2fsck, debugfs) not installed");
        Path m = TestImages.write(dir, "self.manifest", "kernel = kernel.elf\nroot = .\nsize = 4M\n");
        Path image = dir.resolve("self.img");
        ImageBuilder.build(ManifestParser.parse(m), image);
        Ext2Check.assertClean(image);
        assertThat(new String(Ext2Check.readFile(image, "/tree/etc/motd"), StandardCharsets.UTF_8))
                .isEqualTo("Welcome to jx86\n");
        assertThat(new String(Ext2Check.readFile(image, "/self.manifest"), StandardCharsets.UTF_8))
                .startsWith("kernel = kernel.elf");
        Path debugfs = HostTools.find("debugfs").orElseThrow();
        Path fs = dir.resolve("part.ext2");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            byte[] part = new byte[3 << 20];
            f.seek(1L << 20);
            f.readFully(part);
            Files.write(fs, part);
        }
        String listing = HostTools.run(List.of(debugfs.toString(), "-R", "ls /", fs.toString()), Map.of()).stdoutText();
        assertThat(listing).contains("self.manifest").doesNotContain(".self.img");   // no temporary files inside
    }

    private static ByteBuffer read(Path file, long pos, int len) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[len];
            f.seek(pos);
            f.readFully(b);
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
