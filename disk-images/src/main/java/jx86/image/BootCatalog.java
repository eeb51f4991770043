package jx86.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the boot catalog the stage 2 loader reads (loader/stage2/loader.h, struct catalog):
 * 2048 bytes, little-endian.
 * <pre>
 * 00h  "JX86BOOT"            08h  version (1)          0Ch  module count (at most 16)
 * 10h  kernel LBA            14h  kernel size (bytes)  18h  command line offset
 * 1Ch  checksum: the 512 dwords of the catalog sum to 0 (mod 2^32)
 * 20h  16 module entries of 16 bytes: LBA, size, string offset, reserved (0)
 * 120h NUL-terminated strings (command line, module strings) up to the end
 * </pre>
 */
public final class BootCatalog {
    public static final int SIZE = ImageLayout.CATALOG_SECTORS * ImageLayout.SECTOR;
    static final int MODULES_OFFSET = 0x20;
    static final int STRINGS_OFFSET = MODULES_OFFSET + 16 * ImageLayout.MAX_MODULES;

    private BootCatalog() {
    }

    /**
     * Builds the catalog for the kernel extent, module extents (same order as {@code moduleStrings})
     * and the command line.
     *
     * @throws ImageException if the strings do not fit
     */
    public static byte[] encode(ImageLayout layout, String cmdline, List<String> moduleStrings) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put("JX86BOOT".getBytes(StandardCharsets.US_ASCII));
        b.putInt(1);
        b.putInt(moduleStrings.size());
        b.putInt((int) layout.kernel().lba());
        b.putInt((int) layout.kernel().bytes());
        int strings = STRINGS_OFFSET;
        b.putInt(0x18, strings);
        strings = putString(b, strings, cmdline);
        for (int i = 0; i < moduleStrings.size(); i++) {
            ImageLayout.Extent e = layout.modules().get(i);
            int entry = MODULES_OFFSET + 16 * i;
            b.putInt(entry, (int) e.lba());
            b.putInt(entry + 4, (int) e.bytes());
            b.putInt(entry + 8, strings);
            strings = putString(b, strings, moduleStrings.get(i));
        }
        int sum = 0;
        for (int i = 0; i < SIZE; i += 4) {
            sum += b.getInt(i);
        }
        b.putInt(0x1C, -sum);
        return b.array();
    }

    private static int putString(ByteBuffer b, int at, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        // The last byte of the catalog stays 0: the loader relies on it as a terminator.
        if (at + bytes.length + 1 > SIZE - 1) {
            throw new ImageException("mkimage: the command line and module strings are too long (at most "
                    + (SIZE - 1 - STRINGS_OFFSET) + " bytes together)");
        }
        for (byte c : bytes) {
            if (c == 0) {
                throw new ImageException("mkimage: NUL character in the command line or a module string");
            }
        }
        b.put(at, bytes);
        return at + bytes.length + 1;
    }
}
