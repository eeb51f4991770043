package jx86.bus;

/**
 * A device's port-I/O side. The bus calls it only with the widths the device registered, for a
 * port inside a range the device registered, so a device may rely on both.
 */
public interface IoDevice {
    /** Reads {@code size} (1, 2 or 4) bytes at {@code port}; the result is zero-extended. */
    int ioRead(int port, int size);

    /** Writes the low {@code size} bytes of {@code value} to {@code port}. */
    void ioWrite(int port, int size, int value);
}
