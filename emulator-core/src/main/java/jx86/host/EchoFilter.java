package jx86.host;

import java.util.ArrayDeque;

/**
 * Drops the guest's echo of paced input from what the guest transmits, so a log of a scripted run
 * shows what the guest printed and not the script a second time ({@code jx86 boot} without
 * {@code --echo-input}). Given each line as it is handed to the guest, it expects the echo a Unix
 * terminal line discipline (and kernel-monolithic's console) writes back: printable bytes as
 * they are, a newline or carriage return as CR LF, Ctrl-C as {@code ^C} CR LF, Ctrl-D as nothing.
 * Transmitted bytes that match the expectation are dropped; the first byte that does not match
 * ends the expectation (the guest echoes differently, or not at all), so no output is ever lost
 * beyond the echo itself. {@link #clear} forgets an echo that never came.
 */
final class EchoFilter {
    private final ArrayDeque<Integer> expected = new ArrayDeque<>();

    /** The guest is about to receive {@code line}. */
    void expect(byte[] line) {
        for (byte value : line) {
            int b = value & 0xFF;
            switch (b) {
                case '\n', '\r' -> {
                    expected.add((int) '\r');
                    expected.add((int) '\n');
                }
                case 0x03 -> {
                    for (int c : new int[] {'^', 'C', '\r', '\n'}) {
                        expected.add(c);
                    }
                }
                case 0x04, 0x08, 0x7F -> { }   // end of file, erase: no echo we can predict
                default -> expected.add(b);
            }
        }
    }

    /** Whether the transmitted byte {@code b} is the expected echo (and so is to be dropped). */
    boolean swallow(int b) {
        Integer next = expected.peekFirst();
        if (next == null) {
            return false;
        }
        if (next == (b & 0xFF)) {
            expected.pollFirst();
            return true;
        }
        expected.clear();
        return false;
    }

    void clear() {
        expected.clear();
    }
}
