package jx86.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Checks and reads the ext2 root partition of a jx86 disk image with the host's e2fsprogs, for
 * tests in any module (for example after a guest kernel wrote to its file system). The partition
 * is copied out of the image to a temporary file first, so this works with any e2fsprogs version
 * (the {@code image?offset=N} syntax needs a recent one).
 *
 * <p>Callers should skip their test when {@link #available()} is false (CI may lack e2fsprogs).
 */
public final class Ext2Check {
    private Ext2Check() {
    }

    /** Whether e2fsck and debugfs are installed. */
    public static boolean available() {
        return HostTools.find("e2fsck").isPresent() && HostTools.find("debugfs").isPresent();
    }

    /**
     * Runs {@code e2fsck -fn} on the image's first partition.
     *
     * @throws AssertionError with e2fsck's output when the file system is not clean
     */
    public static void assertClean(Path image) {
        Path e2fsck = tool("e2fsck");
        withPartition(image, fs -> {
            HostTools.Result r = HostTools.run(List.of(e2fsck.toString(), "-fn", fs.toString()), Map.of());
            if (r.exitCode() != 0) {
                throw new AssertionError("ext2 file system in " + image + " is not clean (e2fsck -fn exit "
                        + r.exitCode() + "):\n" + r.stdoutText() + r.stderr());
            }
            return null;
        });
    }

    /**
     * Reads one file of the image's root file system ({@code debugfs -R 'cat PATH'}).
     *
     * @throws AssertionError if the file does not exist
     */
    public static byte[] readFile(Path image, String path) {
        Path debugfs = tool("debugfs");
        return withPartition(image, fs -> {
            HostTools.Result stat = HostTools.run(
                    List.of(debugfs.toString(), "-R", "stat \"" + path + "\"", fs.toString()), Map.of());
            if (stat.exitCode() != 0 || stat.stderr().contains("not found") || stat.stdoutText().isBlank()) {
                throw new AssertionError("no file " + path + " in the file system of " + image);
            }
            return HostTools.run(List.of(debugfs.toString(), "-R", "cat \"" + path + "\"", fs.toString()), Map.of())
                    .stdout();
        });
    }

    /** Byte offset of the first partition, from the MBR partition table. */
    public static long partitionOffset(Path image) {
        return firstPartition(image)[0] * ImageLayout.SECTOR;
    }

    /** {start LBA, sector count} of the first partition entry. */
    static long[] firstPartition(Path image) {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer mbr = ByteBuffer.allocate(ImageLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(mbr, 0);
            if ((mbr.get(510) & 0xFF) != 0x55 || (mbr.get(511) & 0xFF) != 0xAA) {
                throw new AssertionError(image + " has no MBR signature");
            }
            long start = Integer.toUnsignedLong(mbr.getInt(Mbr.PARTITION_TABLE + 8));
            long count = Integer.toUnsignedLong(mbr.getInt(Mbr.PARTITION_TABLE + 12));
            if (count == 0) {
                throw new AssertionError(image + " has an empty first partition entry");
            }
            return new long[] {start, count};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface PartitionAction<T> {
        T apply(Path fs);
    }

    private static <T> T withPartition(Path image, PartitionAction<T> action) {
        long[] part = firstPartition(image);
        Path fs = null;
        try {
            fs = Files.createTempFile("jx86-ext2check-", ".img");
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(fs, StandardOpenOption.WRITE)) {
                long pos = part[0] * ImageLayout.SECTOR;
                long remaining = part[1] * ImageLayout.SECTOR;
                while (remaining > 0) {
                    long n = in.transferTo(pos, remaining, out);
                    if (n <= 0) {
                        break;
                    }
                    pos += n;
                    remaining -= n;
                }
            }
            return action.apply(fs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (fs != null) {
                try {
                    Files.deleteIfExists(fs);
                } catch (IOException e) {
                    // A leftover temporary copy is harmless.
                }
            }
        }
    }

    private static Path tool(String name) {
        return HostTools.find(name).orElseThrow(() -> new IllegalStateException(
                name + " not found: install it with 'apt-get install e2fsprogs' (check Ext2Check.available() first)"));
    }
}
