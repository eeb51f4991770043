package jx86.firmware;

import java.util.List;

/**
 * The physical memory map the firmware reports (INT 15h E820 and the multiboot mmap): the same
 * ranges a SeaBIOS PC reports, so guests see identical layouts on jx86 and on QEMU.
 */
public final class MemoryMap {
    public static final int TYPE_RAM = 1;
    public static final int TYPE_RESERVED = 2;

    /** Conventional memory ends where the 1 KiB extended BIOS data area starts. */
    public static final int EBDA_START = 0x9FC00;

    /** One E820 range. */
    public record Entry(long base, long length, int type) {
    }

    private MemoryMap() {
    }

    public static List<Entry> forRam(long ramBytes) {
        return List.of(
                new Entry(0, EBDA_START, TYPE_RAM),
                new Entry(EBDA_START, 0xA0000 - EBDA_START, TYPE_RESERVED),
                new Entry(0xF0000, 0x10000, TYPE_RESERVED),
                new Entry(0x100000, ramBytes - 0x100000, TYPE_RAM),
                new Entry(0xFEC00000L, 0x1000, TYPE_RESERVED),
                new Entry(0xFEE00000L, 0x1000, TYPE_RESERVED),
                new Entry(0xFFFE0000L, 0x20000, TYPE_RESERVED));
    }
}
