package jx86.machine;

import java.time.Duration;

/**
 * Start-up marks for measuring where the time to the first guest output goes (docs/performance.md,
 * "Start-up"). Off unless the JVM runs with {@code -Djx86.startupTrace=true} (e.g. through
 * {@code JX86_JAVA_OPTS}); then each {@link #mark} prints one line on standard error (standard
 * output is the guest's console): milliseconds since RuntimeMXBean's start time (which is the
 * JVM's "init done" moment, some 30 ms after it began to create itself; the launcher script, the
 * exec and JVM creation come before it: time those from outside with tools/time-to-prompt.sh),
 * milliseconds since the previous mark, and the process's CPU
 * time so far (all threads: the JIT compilers and the GC too; 10 ms resolution). The first mark
 * also pays for loading java.management (a few ms). Nothing here feeds back into the machine.
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("jx86.startupTrace");
    private static long previousNanos;
    private static long originNanos;

    private StartupTrace() {
    }

    /** Whether marks are printed. */
    public static boolean enabled() {
        return ON;
    }

    /** Prints {@code what} with the times (when enabled). */
    public static void mark(String what) {
        if (ON) {
            print(what);
        }
    }

    private static synchronized void print(String what) {
        long now = System.nanoTime();
        if (originNanos == 0) {
            // RuntimeMXBean's start time (the JVM's init-done moment, ms resolution) as a nanoTime value
            long uptimeMillis = System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            originNanos = now - uptimeMillis * 1_000_000;
            previousNanos = now;
        }
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        System.err.printf(java.util.Locale.ROOT, "jx86 startup: %7.1f ms (+%6.1f) cpu %6.0f ms  %s%n", (now - originNanos) / 1e6,
                (now - previousNanos) / 1e6, cpu / 1e6, what);
        previousNanos = now;
    }
}
