package jx86.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ext2CheckTest {
    @TempDir
    Path dir;
    Path image;

    @BeforeEach
    void build() throws IOException {
        assumeTrue(HostTools.find("mke2fs").isPresent() && Ext2Check.available(), "e2fsprogs not installed");
        Files.copy(TestImages.testKernel(), dir.resolve("k.elf"));
        TestImages.write(dir, "tree/hello.txt", "hello\n");
        Path m = TestImages.write(dir, "t.manifest", "kernel = k.elf\nroot = tree\nsize = 4M\n");
        image = dir.resolve("t.img");
        ImageBuilder.build(ManifestParser.parse(m), image);
    }

    @Test
    void partitionOffset_isReadFromThePartitionTable() {
        assertThat(Ext2Check.partitionOffset(image)).isEqualTo(1L << 20);
    }

    @Test
    void assertClean_freshImage_passes() {
        Ext2Check.assertClean(image);
    }

    @Test
    void assertClean_zeroedBlockBitmap_failsWithE2fsckOutput() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            long part = 1L << 20;
            byte[] gd = new byte[4];
            f.seek(part + 2048);               // 1 KiB blocks: group descriptors in block 2
            f.readFully(gd);
            long bitmapBlock = ByteBuffer.wrap(gd).order(ByteOrder.LITTLE_ENDIAN).getInt();
            f.seek(part + bitmapBlock * 1024);
            f.write(new byte[1024]);
        }
        assertThatThrownBy(() -> Ext2Check.assertClean(image))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is not clean")
                .hasMessageContaining("Block bitmap differences");
    }

    @Test
    void readFile_returnsTheBytes_andFailsForAMissingFile() {
        assertThat(Ext2Check.readFile(image, "/hello.txt")).containsExactly("hello\n".getBytes());
        assertThatThrownBy(() -> Ext2Check.readFile(image, "/nope.txt"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("no file /nope.txt in the file system of " + image);
    }
}
