package jx86.host;

import java.nio.file.Path;

/**
 * The host side of an emulated serial port: where the guest's transmitted bytes go and where the
 * bytes it receives come from.
 *
 * <p>Threading: {@link #write}, {@link #read}, {@link #hasInput} and {@link #flush} are called by the
 * machine thread only. Implementations that take input from the host (stdin, a socket) fill a
 * thread-safe queue from their own daemon thread; the UART drains it at virtual-time instants it
 * chooses, so the guest sees the bytes at reproducible points once they have arrived.
 */
public interface SerialBackend extends AutoCloseable {
    /** Transmits one byte (the low 8 bits of {@code b}). May buffer; see {@link #flush}. */
    void write(int b);

    /** The next received byte (0-255), or -1 when none is waiting. Never blocks. */
    int read();

    /** Whether {@link #read} would return a byte now. */
    boolean hasInput();

    /**
     * Puts bytes the guest never read back in front of the pending input (the UART calls this when
     * the guest clears its receive FIFO). Back-ends without input drop them.
     */
    default void unread(byte[] data) {
    }

    /**
     * False for a back-end that never receives anything ({@code --serial none}): a UART on it stops
     * its character clock while nothing else needs it ({@code Uart16550}). True for every other,
     * even once its input has ended: the end is seen by a host thread at a host-chosen moment, and
     * the ticks of the clock are visible to the guest's instruction count (a REP string
     * instruction is resumed, and counted, at each clock event).
     */
    default boolean mayReceive() {
        return true;
    }

    /** Pushes buffered output to the host (the UART calls it when the line goes quiet). */
    default void flush() {
    }

    /**
     * The machine's hint, between slices, that the guest has been idle for a while with all earlier
     * input consumed: it is waiting for input. A back-end that paces scripted input (piped standard
     * input) hands over its next line now; others ignore it.
     */
    default void guestWaiting() {
    }

    /** Whether the host's input has ended (end of file) and every byte of it was handed over. */
    default boolean inputEnded() {
        return false;
    }

    /**
     * Blocks the calling (machine) thread for at most {@code millis} wall-clock milliseconds or until
     * input arrives; used only by the run loop when the guest is idle waiting for input. Flushes
     * pending output first so prompts are visible. Returns whether input is waiting.
     */
    default boolean awaitInput(long millis) {
        flush();
        return hasInput();
    }

    /** Flushes and releases host resources (restores the terminal, closes files and sockets). */
    @Override
    void close();

    /**
     * Builds a back-end from a command-line spec: {@code stdio}, {@code file:PATH}, {@code tcp:PORT},
     * QEMU's {@code tcp:[HOST]:PORT,server[,wait|,nowait]} (HOST empty, localhost or 127.0.0.1; the
     * default with {@code server} is {@code wait}: the run starts once a client has connected) or
     * {@code none}.
     *
     * @throws IllegalArgumentException with a one-line message for anything else
     */
    static SerialBackend parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("serial back-end missing: use stdio, file:PATH, tcp:PORT or none");
        }
        if (spec.equals("stdio")) {
            return new StdioSerial();
        }
        if (spec.equals("none")) {
            return new NullSerial();
        }
        if (spec.startsWith("file:") && spec.length() > 5) {
            return new FileSerial(Path.of(spec.substring(5)));
        }
        if (spec.startsWith("tcp:") && spec.indexOf(':', 4) >= 0) {
            return TcpSerial.fromQemuSpec(spec);
        }
        if (spec.startsWith("tcp:")) {
            int port;
            try {
                port = Integer.parseInt(spec.substring(4));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("bad serial spec '" + spec + "': tcp:PORT needs a port 0-65535");
            }
            return new TcpSerial(port);
        }
        throw new IllegalArgumentException(
                "unknown serial back-end '" + spec + "': use stdio, file:PATH, tcp:PORT or none");
    }
}
