package jx86.firmware;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format the Linux initramfs unpacker reads
 * (Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII header
 * ("070701" and 13 eight-digit hex fields), the NUL-terminated name and the data, each padded to 4
 * bytes; a "TRAILER!!!" entry ends it.
 */
final class CpioNewc {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int inode = 1;

    CpioNewc dir(String name) {
        return entry(name, 0040755, new byte[0], 0, 0);
    }

    CpioNewc file(String name, int perm, byte[] data) {
        return entry(name, 0100000 | perm, data, 0, 0);
    }

    CpioNewc charDevice(String name, int perm, int major, int minor) {
        return entry(name, 0020000 | perm, new byte[0], major, minor);
    }

    private CpioNewc entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int[] fields = {inode++, mode, 0, 0, (mode & 0170000) == 0040000 ? 2 : 1, 0, data.length, 0, 0,
            rdevMajor, rdevMinor, n.length, 0};
        StringBuilder h = new StringBuilder("070701");
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
        return this;
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    byte[] finish() {
        entry("TRAILER!!!", 0, new byte[0], 0, 0);
        return out.toByteArray();
    }
}
