package jx86.host;

/**
 * The receive side shared by the back-ends whose input arrives from elsewhere (a reader thread,
 * a socket, a test script): a thread-safe {@link InputQueue} the machine thread drains.
 *
 * <p>A back-end made {@code paced} holds its input back in a {@link PacedInput} and hands it to the
 * guest a line at a time, when the machine reports the guest waiting for input ({@link #guestWaiting},
 * or {@link #awaitInput} while the guest is halted with nothing else to wake it): a script then
 * reaches the guest the way typing would, each line after the prompt that asks for it.
 */
abstract class QueuedInputSerial implements SerialBackend {
    /** Filled by the back-end (or its reader thread), drained by the UART. */
    protected final InputQueue in = new InputQueue();
    /** Input waiting for the guest to ask for it, or null when it goes straight to {@link #in}. */
    private final PacedInput paced;
    private volatile boolean ended;

    protected QueuedInputSerial() {
        this(false);
    }

    protected QueuedInputSerial(boolean paced) {
        this.paced = paced ? new PacedInput() : null;
    }

    /** Input from the host: to the guest at once, or held back when paced. Any thread. */
    protected final void receive(byte[] data, int off, int len) {
        if (paced != null) {
            paced.add(data, off, len);
        } else {
            in.put(data, off, len);
        }
    }

    /** The host's input has ended: nothing more will be {@link #receive}d. Any thread. */
    protected final void endOfInput() {
        ended = true;
        if (paced != null) {
            paced.end();
        }
    }

    /** Called on the machine thread with each paced line just before the guest can read it. */
    protected void released(byte[] line) {
    }

    protected final boolean isPaced() {
        return paced != null;
    }

    /** Bytes received but not yet read by the guest, held back ones included. */
    protected final int pendingBytes() {
        return in.size() + (paced == null ? 0 : paced.size());
    }

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

    @Override
    public void guestWaiting() {
        if (paced == null || !in.isEmpty()) {
            return;
        }
        byte[] line = paced.nextLine();
        if (line != null) {
            released(line);
            in.put(line, 0, line.length);
        }
    }

    @Override
    public final boolean inputEnded() {
        return ended && (paced == null || paced.usedUp()) && in.isEmpty();
    }

    /**
     * Flushes output first, so a prompt is visible while the guest waits for its answer. The guest
     * is halted with nothing but input to wake it, so paced input hands over its next line.
     */
    @Override
    public boolean awaitInput(long millis) {
        flush();
        if (paced == null) {
            return in.await(millis);
        }
        if (in.isEmpty()) {
            paced.await(millis);
            guestWaiting();
        }
        return hasInput();
    }
}
