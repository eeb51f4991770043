package jx86.script;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Private copies of a script's disk images in a temporary folder, for the life of one script:
 * every boot of the script (a {@code reboot} too) uses them, so writes persist from one boot to
 * the next, the images themselves are never written, and scripts running in parallel never
 * contend for an image's lock. Copies are sparse: blocks of zeros are skipped, so a 32 MiB image
 * with 3 MiB of data costs 3 MiB of writing.
 */
final class DiskCopies implements AutoCloseable {
    private static final int BLOCK = 64 * 1024;

    private final Path dir;
    private final List<Path> paths;

    private DiskCopies(Path dir, List<Path> paths) {
        this.dir = dir;
        this.paths = List.copyOf(paths);
    }

    /** Copies {@code images} (nothing is created when there are none). */
    static DiskCopies of(List<Path> images) throws IOException {
        if (images.isEmpty()) {
            return new DiskCopies(null, List.of());
        }
        Path dir = Files.createTempDirectory("jx86-test-");
        DiskCopies copies = new DiskCopies(dir, names(dir, images));
        try {
            for (int i = 0; i < images.size(); i++) {
                sparseCopy(images.get(i), copies.paths.get(i));
            }
        } catch (IOException | RuntimeException e) {
            copies.close();
            throw e;
        }
        return copies;
    }

    private static List<Path> names(Path dir, List<Path> images) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            out.add(dir.resolve(i + "-" + images.get(i).getFileName()));
        }
        return out;
    }

    List<Path> paths() {
        return paths;
    }

    /** Copies {@code from} to the new file {@code to}, leaving holes where {@code from} has blocks of zeros. */
    static void sparseCopy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            long pos = 0;
            for (;;) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n < 0) {
                    break;
                }
                buf.flip();
                if (!allZero(buf)) {
                    long at = pos;
                    while (buf.hasRemaining()) {
                        at += out.write(buf, at);
                    }
                }
                pos += n;
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(to.toFile(), "rw")) {
            f.setLength(Files.size(from));      // the trailing hole, if the image ends in zeros
        }
    }

    private static boolean allZero(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes the copies and their folder, as far as it can: a copy left in the temporary folder
     * is not the script's failure.
     */
    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        try {
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // left for the system's temporary-file cleaning
        }
    }
}
