package jx86.harness;

/**
 * One line the guest wrote to COM1, stamped with the virtual time at which its newline was
 * transmitted. Carriage returns are dropped; bytes are ISO-8859-1 (one char per byte).
 *
 * @param index        0 for the first line of the run, then 1, 2, ...
 * @param text         the line without its line end
 * @param cycles       the machine's virtual clock when the newline was written
 * @param instructions guest instructions retired by then
 * @param virtualNanos {@code cycles} as virtual nanoseconds since power-on
 */
public record ConsoleLine(int index, String text, long cycles, long instructions, long virtualNanos) {

    /** Virtual seconds since power-on. */
    public double virtualSeconds() {
        return virtualNanos / 1e9;
    }

    /** {@code [   1.234567] text}, like a kernel log line. */
    @Override
    public String toString() {
        return String.format("[%4d.%06d] %s", virtualNanos / 1_000_000_000L, virtualNanos / 1000 % 1_000_000, text);
    }
}
