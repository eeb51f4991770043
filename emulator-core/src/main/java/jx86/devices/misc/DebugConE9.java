package jx86.devices.misc;

import java.util.function.IntConsumer;
import jx86.bus.IoBus;
import jx86.bus.IoDevice;

/**
 * Port 0xE9, the Bochs/QEMU debug console ("port e9 hack"): every byte written is a character of
 * debug output. Reading returns 0xE9 so guests can detect the port, as Bochs does. Bytes go to the
 * sink given to the constructor and are also kept in a buffer for tests ({@link #output()}); the
 * buffer keeps the last {@value #BUFFER_LIMIT} characters so a chatty guest cannot exhaust the heap.
 */
public final class DebugConE9 implements IoDevice {
    static final int BUFFER_LIMIT = 1 << 20;

    private final IntConsumer sink;
    private final StringBuilder buffer = new StringBuilder();

    public DebugConE9() {
        this(b -> { });
    }

    /** @param sink receives each byte (0-255) written to the port */
    public DebugConE9(IntConsumer sink) {
        this.sink = sink;
    }

    /** Registers port 0xE9 (byte port). */
    public void attach(IoBus bus) {
        bus.register(0xE9, 1, "debug console (0xE9)", IoBus.W8, this);
    }

    /** Everything written so far, one char per byte (ISO-8859-1). */
    public String output() {
        return buffer.toString();
    }

    @Override
    public int ioRead(int port, int size) {
        return 0xE9;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        int b = value & 0xFF;
        if (buffer.length() >= BUFFER_LIMIT) {
            buffer.delete(0, BUFFER_LIMIT / 2);
        }
        buffer.append((char) b);
        sink.accept(b);
    }
}
