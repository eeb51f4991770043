package jx86.host;

/**
 * The receive side shared by the back-ends whose input arrives from elsewhere (a reader thread,
 * a socket, a test script): a thread-safe {@link InputQueue} the machine thread drains.
 */
abstract class QueuedInputSerial implements SerialBackend {
    /** Filled by the back-end (or its reader thread), drained by the UART. */
    protected final InputQueue in = new InputQueue();

    @Override
    public final int read() {
        return in.poll();
    }

    @Override
    public final void unread(byte[] data) {
        in.putFirst(data);
    }

    @Override
    public final boolean hasInput() {
        return !in.isEmpty();
    }

    /** Flushes output first, so a prompt is visible while the guest waits for its answer. */
    @Override
    public final boolean awaitInput(long millis) {
        flush();
        return in.await(millis);
    }
}
