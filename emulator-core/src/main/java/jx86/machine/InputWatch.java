package jx86.machine;

import jx86.host.SerialBackend;

/**
 * Decides, between CPU slices, when the guest is waiting for console input: all input handed to it
 * so far is consumed (COM1's back-end and receive FIFO are empty) and the CPU has been idle, halted
 * nearly all the time, for {@link #WAIT_CYCLES}. Idleness is measured in windows of virtual time:
 * a window is idle when the CPU was halted ({@link jx86.clock.VirtualClock#haltedCycles}) for at
 * least 90% of it (a guest at its prompt runs only its timer tick; a busy one, however many
 * cycles its page faults and TLB misses cost, is not halted). Then the back-end may hand over its
 * next line of scripted input ({@link SerialBackend#guestWaiting}); and with {@code exitOnEof},
 * once the input has ended, the run ends after {@link #EOF_GRACE_CYCLES} of idleness. Only virtual
 * time counts, so the same script gives the same run every time.
 */
final class InputWatch {
    /** 10 ms of virtual time at 100 MHz: the window idleness is judged over. */
    static final long WINDOW_CYCLES = 1_000_000;
    /** 50 ms idle with all input consumed: the guest is waiting for more. */
    static final long WAIT_CYCLES = 5_000_000;
    /** One virtual second idle after the input ended: the end of a run with exitOnEof. */
    static final long EOF_GRACE_CYCLES = 100_000_000;

    private final boolean exitOnEof;
    private long windowCycles = -1;
    private long windowHalted;
    private long idleCycles;

    InputWatch(boolean exitOnEof) {
        this.exitOnEof = exitOnEof;
    }

    /**
     * Called between slices with the clock's counters (cycles, and the part of them spent halted);
     * {@code consumed} says the guest has taken every byte handed to it. Returns true when the run
     * should end ({@code exitOnEof}).
     */
    boolean afterSlice(long cycles, long haltedCycles, boolean consumed, SerialBackend backend) {
        if (windowCycles < 0) {
            windowCycles = cycles;
            windowHalted = haltedCycles;
            return false;
        }
        long span = cycles - windowCycles;
        if (span < WINDOW_CYCLES) {
            return false;
        }
        boolean idle = (haltedCycles - windowHalted) * 10 >= span * 9;
        idleCycles = idle ? idleCycles + span : 0;
        windowCycles = cycles;
        windowHalted = haltedCycles;
        if (!consumed) {
            idleCycles = 0;
            return false;
        }
        if (backend.inputEnded()) {
            return exitOnEof && idleCycles >= EOF_GRACE_CYCLES;
        }
        if (idleCycles >= WAIT_CYCLES) {
            backend.guestWaiting();
            idleCycles = 0;
        }
        return false;
    }
}
