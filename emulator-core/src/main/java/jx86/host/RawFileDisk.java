package jx86.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file: sector n is at byte offset n*512. Writes go straight to the file (the OS
 * may cache them until {@link #flush}, which forces them to the device).
 *
 * <p>Locking: a read-write open takes an exclusive {@link FileLock} on the whole file, so a second
 * jx86 (another process, or another machine in this JVM) cannot open the same image for writing;
 * it fails with "disk image X is in use by another jx86". A read-only open takes a shared lock, so
 * it fails while a writer holds the image and blocks writers while it is open. Within one JVM the
 * lock table cannot share a region between two channels, so a second read-only open of an image
 * already open in this JVM proceeds without a lock (it cannot tell a reader from a writer there).
 *
 * <p>An image whose size is not a multiple of 512 has a partial last sector: it reads padded with
 * zeros, and writing it extends the file to a whole sector.
 */
public final class RawFileDisk implements DiskBackend {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean readOnly;
    private final long sectors;

    private RawFileDisk(Path path, FileChannel channel, FileLock lock, boolean readOnly, long size) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.readOnly = readOnly;
        this.sectors = (size + SECTOR_SIZE - 1) / SECTOR_SIZE;
    }

    /**
     * Opens {@code path}, read-write unless {@code readOnly}.
     *
     * @throws IllegalStateException    when another jx86 holds the image
     * @throws IllegalArgumentException when it is missing or cannot be opened
     */
    public static RawFileDisk open(Path path, boolean readOnly) {
        FileChannel ch;
        try {
            ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("disk image " + path + " does not exist");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new IllegalArgumentException("cannot open disk image " + path + ": " + e.getMessage());
        }
        try {
            FileLock lock = acquire(ch, path, readOnly);
            return new RawFileDisk(path, ch, lock, readOnly, ch.size());
        } catch (IOException e) {
            closeQuietly(ch);
            throw new IllegalArgumentException("cannot open disk image " + path + ": " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static FileLock acquire(FileChannel ch, Path path, boolean shared) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            if (shared) {
                return null; // already open in this JVM: see the class comment
            }
            throw inUse(path);
        }
        if (lock == null) {
            throw inUse(path);
        }
        return lock;
    }

    private static IllegalStateException inUse(Path path) {
        return new IllegalStateException("disk image " + path + " is in use by another jx86");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void read(long sector, byte[] buf, int off) throws IOException {
        checkRange(sector);
        ByteBuffer bb = ByteBuffer.wrap(buf, off, SECTOR_SIZE);
        long pos = sector * SECTOR_SIZE;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, pos);
            if (n < 0) {
                while (bb.hasRemaining()) {
                    bb.put((byte) 0); // the padded tail of a partial last sector
                }
                break;
            }
            pos += n;
        }
    }

    @Override
    public void write(long sector, byte[] buf, int off) throws IOException {
        if (readOnly) {
            throw new IOException("disk image " + path + " is read-only");
        }
        checkRange(sector);
        ByteBuffer bb = ByteBuffer.wrap(buf, off, SECTOR_SIZE);
        long pos = sector * SECTOR_SIZE;
        while (bb.hasRemaining()) {
            pos += channel.write(bb, pos);
        }
    }

    private void checkRange(long sector) throws IOException {
        if (sector < 0 || sector >= sectors) {
            throw new IOException("sector " + sector + " outside " + path + " (" + sectors + " sectors)");
        }
    }

    @Override
    public long sectorCount() {
        return sectors;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            flush();
        } finally {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            channel.close();
        }
    }
}
