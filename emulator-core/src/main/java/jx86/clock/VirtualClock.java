package jx86.clock;

import java.util.ArrayList;
import java.util.List;

/**
 * Virtual time, derived from the CPU's cycle counter and nothing else, so the same image and input
 * give the same run. The CPU adds one cycle per instruction plus the cost model's penalties; every
 * time-keeping device (PIT, APIC timer, RTC, RDTSC) reads this clock.
 *
 * <p>Devices schedule callbacks through {@link Timer}s. The run loop checks one field,
 * {@link #nextEventAt}, and calls {@link #runDueEvents()} when the counter reaches it. Events due
 * at the same cycle run in the order their timers were created, which keeps runs reproducible.
 */
public final class VirtualClock {
    /** Nominal frequency of the virtual CPU: one instruction = one cycle = 10 ns by default. */
    public static final long DEFAULT_HZ = 100_000_000L;

    /** Cycles elapsed since reset. Advanced by the CPU; never decreases. */
    public long cycles;
    /** The part of {@link #cycles} skipped by {@link #skipToNextEvent}: time the CPU spent halted. */
    public long haltedCycles;
    /** The earliest deadline of any armed timer, or Long.MAX_VALUE. */
    public long nextEventAt = Long.MAX_VALUE;

    private final long hz;
    private final List<Timer> timers = new ArrayList<>();
    /** The same timers as an array, for the per-event scans (no iterator allocation). */
    private Timer[] timerArray = new Timer[0];

    public VirtualClock() {
        this(DEFAULT_HZ);
    }

    public VirtualClock(long hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("clock frequency must be positive");
        }
        this.hz = hz;
    }

    public long hz() {
        return hz;
    }

    public long now() {
        return cycles;
    }

    /** Virtual nanoseconds since reset. */
    public long nanos() {
        return cycles / hz * 1_000_000_000L + (cycles % hz) * 1_000_000_000L / hz;
    }

    /** Converts a duration in nanoseconds to cycles (rounded up, at least 1). */
    public long nanosToCycles(long nanos) {
        long c = (long) Math.ceil(nanos * (double) hz / 1e9);
        return Math.max(1, c);
    }

    /**
     * Converts cycles to ticks of a device clock at {@code deviceHz} (the PIT's 1193182 Hz, the
     * RTC's 32768 Hz ...), exactly and without overflow for any realistic run.
     */
    public long toDeviceTicks(long cycleCount, long deviceHz) {
        return (long) ((double) cycleCount * deviceHz / hz);
    }

    /** The first cycle at which {@code ticks} of a device clock at {@code deviceHz} have elapsed. */
    public long fromDeviceTicks(long ticks, long deviceHz) {
        return (long) Math.ceil((double) ticks * hz / deviceHz);
    }

    public Timer newTimer(String name, Runnable callback) {
        Timer t = new Timer(this, name, callback, timers.size());
        timers.add(t);
        timerArray = timers.toArray(new Timer[0]);
        return t;
    }

    /** Runs every timer whose deadline has passed, in deadline order (creation order on ties). */
    public void runDueEvents() {
        while (nextEventAt <= cycles) {
            Timer due = null;
            for (Timer t : timerArray) {
                if (t.armed && (due == null || t.deadline < due.deadline)) {
                    due = t;
                }
            }
            if (due == null || due.deadline > cycles) {
                recompute();
                return;
            }
            due.armed = false;
            recompute();
            due.callback.run();
        }
    }

    /**
     * Jumps the clock forward to the next timer deadline (a halted CPU has nothing else to do), and
     * returns false when no timer is armed.
     */
    public boolean skipToNextEvent() {
        if (nextEventAt == Long.MAX_VALUE) {
            return false;
        }
        if (nextEventAt > cycles) {
            haltedCycles += nextEventAt - cycles;
            cycles = nextEventAt;
        }
        return true;
    }

    /**
     * True if an armed timer could wake a halted CPU. Timers marked with
     * {@code setWakeSource(false)} (a UART polling an idle line) do not count: skipping time for
     * them alone would spin forever without the guest ever running.
     */
    public boolean hasWakeTimer() {
        for (Timer t : timerArray) {
            if (t.armed && t.wakeSource) {
                return true;
            }
        }
        return false;
    }

    void recompute() {
        long next = Long.MAX_VALUE;
        for (Timer t : timerArray) {
            if (t.armed && t.deadline < next) {
                next = t.deadline;
            }
        }
        nextEventAt = next;
    }

    /** A one-shot callback at a cycle deadline; re-arm it from its callback for periodic events. */
    public static final class Timer {
        private final VirtualClock clock;
        private final String name;
        private final Runnable callback;
        private final int order;
        private long deadline;
        private boolean armed;
        private boolean wakeSource = true;

        private Timer(VirtualClock clock, String name, Runnable callback, int order) {
            this.clock = clock;
            this.name = name;
            this.callback = callback;
            this.order = order;
        }

        /** Fires the callback once the clock reaches {@code cycle} (immediately if already past). */
        public void setDeadline(long cycle) {
            deadline = cycle;
            armed = true;
            clock.recompute();
        }

        /** Fires the callback {@code delta} cycles from now. */
        public void setDelay(long delta) {
            setDeadline(clock.cycles + Math.max(0, delta));
        }

        public void cancel() {
            if (armed) {
                armed = false;
                clock.recompute();
            }
        }

        /** Whether this timer counts as something that can wake a halted CPU (default true). */
        public void setWakeSource(boolean value) {
            wakeSource = value;
        }

        public boolean armed() {
            return armed;
        }

        public long deadline() {
            return deadline;
        }

        public String name() {
            return name;
        }

        int order() {
            return order;
        }
    }
}
