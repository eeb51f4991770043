package jx86.host;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * {@code --serial file:PATH}: transmitted bytes are appended to a file (flushed at each newline and
 * when the line goes quiet); nothing is ever received. A write error after opening (disk full) stops
 * the logging but never the guest.
 */
public final class FileSerial implements SerialBackend {
    private final Path path;
    private OutputStream out;

    /** @throws IllegalArgumentException with a one-line message when the file cannot be opened */
    public FileSerial(Path path) {
        this.path = path;
        try {
            out = new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 8192);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open serial log file " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void write(int b) {
        if (out == null) {
            return;
        }
        try {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            out = null;
        }
    }

    @Override
    public int read() {
        return -1;
    }

    @Override
    public boolean hasInput() {
        return false;
    }

    @Override
    public void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                out = null;
            }
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to do with a log we cannot finish writing
            } finally {
                out = null;
            }
        }
    }
}
