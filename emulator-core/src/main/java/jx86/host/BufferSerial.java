package jx86.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * An in-memory back-end for tests and scripted runs: captures everything the guest transmits and
 * feeds it scripted input. Input given up front (or later with {@link #feed}) is handed to the UART
 * byte by byte as it polls, so a scripted run consumes it at the same virtual instants every time.
 * Thread-safe, so a test thread may feed input while a machine runs.
 */
public final class BufferSerial extends QueuedInputSerial {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Sees every transmitted byte on the machine thread, as the guest writes it (jx86.harness). */
    private IntConsumer outputListener;

    public BufferSerial() {
    }

    /** A back-end whose input starts with {@code script} (ISO-8859-1: one char per byte). */
    public BufferSerial(String script) {
        this(script, false);
    }

    /**
     * The same; {@code paced} hands the input to the guest a line at a time, each when the guest
     * waits for input (see {@link QueuedInputSerial}), as {@code jx86 boot} does with piped input.
     */
    public BufferSerial(String script, boolean paced) {
        super(paced);
        feed(script);
    }

    /** Appends bytes to the input (ISO-8859-1: one char per byte). */
    public void feed(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        receive(b, 0, b.length);
    }

    public void feed(byte[] data) {
        receive(data, 0, data.length);
    }

    /** Everything transmitted so far, one char per byte (ISO-8859-1). */
    public synchronized String output() {
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    public synchronized byte[] outputBytes() {
        return out.toByteArray();
    }

    /** No more input will be fed: once the guest has taken the rest, {@link #inputEnded} is true. */
    public void endInput() {
        endOfInput();
    }

    /** Input bytes not yet consumed by the guest (held-back lines of paced input included). */
    public int pendingInput() {
        return pendingBytes();
    }

    /** Calls {@code listener} with each byte the guest transmits from now on, on the machine thread. */
    public synchronized void setOutputListener(IntConsumer listener) {
        this.outputListener = listener;
    }

    @Override
    public synchronized void write(int b) {
        out.write(b & 0xFF);
        if (outputListener != null) {
            outputListener.accept(b & 0xFF);
        }
    }

    @Override
    public void close() {
    }
}
