package jx86.demo;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Paces one machine to the wall clock for the live view, at its console lines: before a line is
 * shown, the machine thread waits until as much wall time has passed since the run's first line as
 * virtual time has, not counting time spent paused. A machine slower than real time is not held.
 * The clock and sleeping are injected so the arithmetic is tested without waiting.
 */
final class LivePacer {
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final LongSupplier wallClock;
    private final Sleeper sleeper;
    private final BooleanSupplier paused;
    private final BooleanSupplier aborted;
    private long wallStart = -1;
    private long virtualStart;
    private long pausedNanos;

    LivePacer(LongSupplier wallClock, Sleeper sleeper, BooleanSupplier paused, BooleanSupplier aborted) {
        this.wallClock = wallClock;
        this.sleeper = sleeper;
        this.paused = paused;
        this.aborted = aborted;
    }

    /** Called on the machine thread for a line at {@code virtualNanos}; returns when it may be shown. */
    void pace(long virtualNanos) {
        try {
            if (wallStart < 0) {
                wallStart = wallClock.getAsLong();
                virtualStart = virtualNanos;
            }
            while (paused.getAsBoolean() && !aborted.getAsBoolean()) {
                long t = wallClock.getAsLong();
                sleeper.sleep(50_000_000L);
                pausedNanos += wallClock.getAsLong() - t;
            }
            while (!aborted.getAsBoolean()) {
                long due = wallStart + pausedNanos + (virtualNanos - virtualStart);
                long wait = due - wallClock.getAsLong();
                if (wait <= 0) {
                    return;
                }
                sleeper.sleep(Math.min(wait, 50_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wall nanoseconds spent paused so far. */
    long pausedNanos() {
        return pausedNanos;
    }
}
