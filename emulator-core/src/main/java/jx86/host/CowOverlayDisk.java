package jx86.host;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --snapshot}: a copy-on-write overlay. Reads come from the base image (opened read-only)
 * unless the sector was written in this run; written sectors live in memory and are lost at exit.
 * The image file is never modified. The overlay grows by 512 bytes per distinct sector written.
 */
public final class CowOverlayDisk implements DiskBackend {
    private final DiskBackend base;
    private final Map<Long, byte[]> written = new HashMap<>();

    public CowOverlayDisk(DiskBackend base) {
        this.base = base;
    }

    /** How many distinct sectors the guest has written. */
    public int dirtySectors() {
        return written.size();
    }

    @Override
    public void read(long sector, byte[] buf, int off) throws IOException {
        byte[] data = written.get(sector);
        if (data != null) {
            System.arraycopy(data, 0, buf, off, SECTOR_SIZE);
        } else {
            base.read(sector, buf, off);
        }
    }

    @Override
    public void write(long sector, byte[] buf, int off) throws IOException {
        if (sector < 0 || sector >= base.sectorCount()) {
            throw new IOException("sector " + sector + " outside the disk");
        }
        byte[] data = written.computeIfAbsent(sector, s -> new byte[SECTOR_SIZE]);
        System.arraycopy(buf, off, data, 0, SECTOR_SIZE);
    }

    @Override
    public long sectorCount() {
        return base.sectorCount();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void flush() {
        // the overlay is volatile by design: nothing to make durable
    }

    @Override
    public void close() throws IOException {
        written.clear();
        base.close();
    }
}
