package jx86.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks at build time what the stage 2 loader will insist on at boot time, so a wrong kernel
 * fails in {@code jx86 mkimage} with one line instead of on the booted machine: a 32-bit i386 ELF
 * file (System V ABI: EI_CLASS 1, e_machine 3) whose Multiboot v1 header (magic 1BADB002h, flags,
 * checksum summing to 0) lies 4-aligned in its first 8 KiB, with the program headers there too.
 */
final class KernelCheck {
    static final int HEADER_SEARCH = 8192;
    private static final int MB_MAGIC = 0x1BADB002;

    private KernelCheck() {
    }

    static void check(String name, byte[] k) {
        ByteBuffer b = ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
        if (k.length < 52 || b.getInt(0) != 0x464C457F || k[4] != 1 || b.getShort(18) != 3) {
            throw new ImageException("mkimage: " + name + ": not a 32-bit i386 ELF file");
        }
        long phEnd = (b.getInt(28) & 0xFFFFFFFFL) + (long) (b.getShort(44) & 0xFFFF) * (b.getShort(42) & 0xFFFF);
        if (b.getShort(44) == 0 || phEnd > Math.min(k.length, HEADER_SEARCH)) {
            throw new ImageException("mkimage: " + name + ": ELF program headers are not within the first 8 KiB");
        }
        int limit = Math.min(k.length, HEADER_SEARCH);
        for (int off = 0; off + 12 <= limit; off += 4) {
            if (b.getInt(off) == MB_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                return;
            }
        }
        throw new ImageException("mkimage: " + name + ": not a Multiboot v1 kernel (no header in its first 8 KiB)");
    }
}
