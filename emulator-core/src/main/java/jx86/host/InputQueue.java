package jx86.host;

import java.util.ArrayDeque;

/**
 * A thread-safe byte queue between a host reader thread (stdin, a socket) and the machine thread.
 * The machine thread polls it without blocking; only the idle wait ({@link #await}) blocks.
 */
final class InputQueue {
    private final ArrayDeque<Byte> bytes = new ArrayDeque<>();

    synchronized void put(int b) {
        bytes.addLast((byte) b);
        notifyAll();
    }

    synchronized void put(byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            bytes.addLast(data[off + i]);
        }
        notifyAll();
    }

    /** Puts {@code data} back at the head of the queue, in order. */
    synchronized void putFirst(byte[] data) {
        for (int i = data.length - 1; i >= 0; i--) {
            bytes.addFirst(data[i]);
        }
        notifyAll();
    }

    /** The next byte, or -1 when empty. */
    synchronized int poll() {
        Byte b = bytes.pollFirst();
        return b == null ? -1 : b & 0xFF;
    }

    synchronized boolean isEmpty() {
        return bytes.isEmpty();
    }

    synchronized int size() {
        return bytes.size();
    }

    /** Waits up to {@code millis} ms for a byte; returns whether one is waiting. */
    synchronized boolean await(long millis) {
        if (bytes.isEmpty() && millis > 0) {
            try {
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !bytes.isEmpty();
    }
}
