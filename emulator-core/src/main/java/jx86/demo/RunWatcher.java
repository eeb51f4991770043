package jx86.demo;

import jx86.harness.ConsoleLine;

/** Sees a crash run as it happens, on the machine thread (the live view). */
public interface RunWatcher {
    /** Every console line. */
    void line(ConsoleLine line);

    /** The inspector's explanation of a line just seen (what a burst hit), one line at a time. */
    default void note(String text) {
    }
}
