package jx86.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A script's private disk copies: byte-for-byte equal, independent of the image, deleted at the end. */
class DiskCopiesTest {
    @TempDir
    Path dir;

    /** An 8 MiB image with data at its start, in its middle and in its last (partial) block. */
    private Path image() throws Exception {
        Path img = dir.resolve("disk.img");
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("boot sector".getBytes()), 0);
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 3 * 1024 * 1024 + 17);
            ch.write(ByteBuffer.wrap(new byte[] {9}), 8 * 1024 * 1024 - 1);
        }
        return img;
    }

    @Test
    void copies_areEqual_privateAndRemovedOnClose() throws Exception {
        Path img = image();
        Path zeros = dir.resolve("zeros.img");
        Files.write(zeros, new byte[100_000]);            // all holes, and not a whole number of blocks
        byte[] before = Files.readAllBytes(img);
        Path copyDir;
        try (DiskCopies copies = DiskCopies.of(List.of(img, zeros))) {
            List<Path> paths = copies.paths();
            assertThat(paths).hasSize(2);
            assertThat(paths.get(0).getFileName()).hasToString("0-disk.img");
            assertThat(Files.readAllBytes(paths.get(0))).isEqualTo(before);
            assertThat(Files.readAllBytes(paths.get(1))).isEqualTo(new byte[100_000]);
            Files.write(paths.get(0), new byte[] {42}, StandardOpenOption.WRITE);     // the guest writes its copy
            copyDir = paths.get(0).getParent();
        }
        assertThat(Files.readAllBytes(img)).isEqualTo(before);                        // the image is untouched
        assertThat(copyDir).doesNotExist();
    }

    @Test
    void noDisks_noFolder() throws Exception {
        try (DiskCopies copies = DiskCopies.of(List.of())) {
            assertThat(copies.paths()).isEmpty();
        }
    }
}
