package jx86.host;

import java.io.ByteArrayOutputStream;

/**
 * Scripted input (standard input from a pipe or a file) held back until the guest asks for it: a
 * reader thread {@link #add adds} bytes as they arrive and {@link #end ends} the input at end of
 * file; the machine thread takes one line at a time ({@link #nextLine}) when the guest is waiting
 * for input. A guest therefore sees a script the way it sees typing: each line after the prompt
 * that asks for it, never echoed into the boot banner or into the previous command's output.
 *
 * <p>A line ends after a newline, a carriage return, Ctrl-C, Ctrl-D, Ctrl-Z or Ctrl-\ (the bytes a
 * terminal's line discipline acts on); the unterminated rest of the input is one line once the input has ended.
 */
final class PacedInput {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean ended;

    /** Reader thread: more bytes arrived. */
    synchronized void add(byte[] data, int off, int len) {
        pending.write(data, off, len);
        notifyAll();
    }

    /** Reader thread: end of file (or a read error); nothing more will arrive. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The next complete line, or null when none is complete yet (or the input is used up). */
    synchronized byte[] nextLine() {
        byte[] all = pending.toByteArray();
        int end = -1;
        for (int i = 0; i < all.length && end < 0; i++) {
            int b = all[i];
            if (b == '\n' || b == '\r' || b == 0x03 || b == 0x04 || b == 0x1a || b == 0x1c) {
                end = i + 1;
            }
        }
        if (end < 0) {
            if (!ended || all.length == 0) {
                return null;
            }
            end = all.length;
        }
        byte[] line = java.util.Arrays.copyOf(all, end);
        pending.reset();
        pending.write(all, end, all.length - end);
        return line;
    }

    /** Bytes held back. */
    synchronized int size() {
        return pending.size();
    }

    /** Whether the input has ended and every byte of it was taken. */
    synchronized boolean usedUp() {
        return ended && pending.size() == 0;
    }

    /** Waits up to {@code millis} ms for a complete line or the end of the input. */
    synchronized void await(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!ended && !hasNewline()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean hasNewline() {
        byte[] all = pending.toByteArray();
        for (byte b : all) {
            if (b == '\n' || b == '\r' || b == 0x03 || b == 0x04) {
                return true;
            }
        }
        return false;
    }
}
