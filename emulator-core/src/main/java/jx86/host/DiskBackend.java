package jx86.host;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The host side of an emulated disk: an array of 512-byte sectors. Called by the machine thread
 * only. I/O errors are reported as {@link IOException}s, which the disk controller turns into an
 * error status for the guest.
 */
public interface DiskBackend extends AutoCloseable {
    int SECTOR_SIZE = 512;

    /** Reads sector {@code sector} into {@code buf[off .. off+511]}. */
    void read(long sector, byte[] buf, int off) throws IOException;

    /** Writes {@code buf[off .. off+511]} to sector {@code sector}. */
    void write(long sector, byte[] buf, int off) throws IOException;

    /** Number of sectors (a partial last sector of the image counts as one, padded with zeros). */
    long sectorCount();

    /** Whether writes are refused (the controller then aborts write commands). */
    boolean readOnly();

    /** Makes every completed write durable (FLUSH CACHE). */
    void flush() throws IOException;

    /** Flushes and releases the image (and its lock). */
    @Override
    void close() throws IOException;

    /**
     * Opens an image for a drive: with {@code snapshot}, a copy-on-write overlay over the image
     * opened read-only (the file is never modified); otherwise the raw image, read-write unless
     * {@code readOnly}.
     *
     * @throws IllegalStateException   "disk image X is in use by another jx86" when locked
     * @throws IllegalArgumentException with a one-line message when the image cannot be opened
     */
    static DiskBackend open(Path image, boolean snapshot, boolean readOnly) {
        if (snapshot) {
            return new CowOverlayDisk(RawFileDisk.open(image, true));
        }
        return RawFileDisk.open(image, readOnly);
    }
}
