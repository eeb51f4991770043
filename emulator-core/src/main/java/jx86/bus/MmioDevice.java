package jx86.bus;

/** A device's memory-mapped side (the local APIC, the I/O APIC ...): physical addresses, never linear. */
public interface MmioDevice {
    /** Reads {@code size} (1, 2 or 4) bytes at physical address {@code address}. */
    int mmioRead(int address, int size);

    /** Writes the low {@code size} bytes of {@code value} at physical address {@code address}. */
    void mmioWrite(int address, int size, int value);
}
