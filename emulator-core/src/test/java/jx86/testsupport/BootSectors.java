package jx86.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small raw disk images for tests that boot a few bytes of real-mode code. */
public final class BootSectors {
    private BootSectors() {
    }

    /** An 8-sector disk whose boot sector starts with {@code code} and ends with the 55AA signature. */
    public static byte[] disk(byte[] code) {
        byte[] s = new byte[512 * 8];
        System.arraycopy(code, 0, s, 0, code.length);
        s[510] = 0x55;
        s[511] = (byte) 0xAA;
        return s;
    }

    /** {@link #disk(byte[])} written to {@code file}, which is returned. */
    public static Path write(Path file, byte[] code) throws IOException {
        Files.write(file, disk(code));
        return file;
    }
}
